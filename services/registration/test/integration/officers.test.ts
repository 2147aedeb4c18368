import { randomUUID } from 'node:crypto';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { registration } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  jurisdictionTree,
  rejectionOf,
} from '@learning/testing';
import { expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { call, seedJurisdictions } from '../support/http.js';

const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 2 });
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
const T2_V1 = '330281002001';

const AREA_PHONE = '13900004321';
const AREA_EMAIL = 'area.officer@example.cn';

type Directory = GrpcClient<typeof registration.OfficerDirectoryServiceService>;
const { OFFICER_ROLE_AREA_OFFICER: AREA, OFFICER_ROLE_DEPARTMENT_OFFICER: DEPT } =
  registration.OfficerRole;

describeWithServers(['mongo', 'kafka', 'redis'], 'registration officer directory', (servers) => {
  const running = useRegistrationApp(servers);
  const run = randomUUID().slice(0, 8);

  const directoryAs = (service: string): Directory =>
    createGrpcClient(registration.OfficerDirectoryServiceClient, {
      address: `127.0.0.1:${running.ports.grpcPort}`,
      logger: captureLogger('officer-directory-client').logger,
      idempotentMethods: [],
      deadlineMs: 20_000,
      tokenProvider: () =>
        running.issuer.sign({ subject: `svc-${service}`, roles: ['service'], service }),
    });

  const tokens = async () => ({
    admin: await running.issuer.sign({
      subject: `admin-${run}`,
      roles: ['city_admin'],
      cityWide: true,
    }),
    areaT1: await running.issuer.sign({
      subject: `area-t1-${run}`,
      roles: ['area_officer'],
      jurisdictions: [T1],
    }),
    areaT2: await running.issuer.sign({
      subject: `area-t2-${run}`,
      roles: ['area_officer'],
      jurisdictions: [T2],
    }),
    culture: await running.issuer.sign({
      subject: `dept-${run}`,
      roles: ['department_officer'],
      department: 'wenhua-ju',
    }),
    person: await running.issuer.sign({ subject: `person-${run}`, roles: ['participant'] }),
  });

  it('when officers keep, read, list and remove duty contacts, then contacts are masked, others get 403/400/404, and no contact is logged', async () => {
    const t = await tokens();
    await seedJurisdictions(running.base, t.admin, tree);

    const put = await call(running.base, 'PUT', '/v1/officers/me', t.areaT1, {
      name: 'Area officer one',
      language: 'zh-CN',
      phone: AREA_PHONE,
      email: AREA_EMAIL,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      subject: `area-t1-${run}`,
      roles: ['area_officer'],
      jurisdictionCodes: [T1],
      cityWide: false,
      departmentCode: null,
      phone: '139****4321',
    });
    expect(put.body['email']).not.toBe(AREA_EMAIL);
    expect(String(put.body['email'])).toContain('*');

    const mine = await call(running.base, 'GET', '/v1/officers/me', t.areaT1);
    expect(mine.status).toBe(200);
    expect(mine.body['phone']).toBe('139****4321');

    const byParticipant = await call(running.base, 'PUT', '/v1/officers/me', t.person, {
      name: 'Not an officer',
      language: 'en',
    });
    expect(byParticipant.status).toBe(403);
    const badPhone = await call(running.base, 'PUT', '/v1/officers/me', t.areaT2, {
      name: 'Area officer two',
      language: 'en',
      phone: '12345',
    });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body['code']).toBe('PHONE_FORMAT');
    const badLanguage = await call(running.base, 'PUT', '/v1/officers/me', t.areaT2, {
      name: 'Area officer two',
      language: 'fr',
    });
    expect(badLanguage.status).toBe(400);
    const none = await call(running.base, 'GET', '/v1/officers/me', t.areaT2);
    expect(none.status).toBe(404);
    expect(none.body['code']).toBe('OFFICER_NOT_FOUND');

    expect(
      (
        await call(running.base, 'PUT', '/v1/officers/me', t.culture, {
          name: 'Culture officer',
          language: 'en',
          email: 'culture@example.cn',
        })
      ).status,
    ).toBe(200);

    const listed = await call(running.base, 'GET', '/v1/officers?role=area_officer', t.admin);
    expect(listed.status).toBe(200);
    const items = listed.body['items'] as { subject: string; phone: string | null }[];
    expect(items.map((item) => item.subject)).toEqual([`area-t1-${run}`]);
    expect(items[0]?.phone).toBe('139****4321');
    const byDepartment = await call(
      running.base,
      'GET',
      '/v1/officers?departmentCode=wenhua-ju',
      t.admin,
    );
    expect((byDepartment.body['items'] as { subject: string }[]).map((i) => i.subject)).toEqual([
      `dept-${run}`,
    ]);
    expect((await call(running.base, 'GET', '/v1/officers', t.areaT1)).status).toBe(403);
    expect((await call(running.base, 'GET', '/v1/officers?role=mayor', t.admin)).status).toBe(400);

    const logged = JSON.stringify(running.logs.lines);
    expect(logged).not.toContain(AREA_PHONE);
    expect(logged).not.toContain(AREA_EMAIL);

    expect((await call(running.base, 'DELETE', '/v1/officers/me', t.culture)).status).toBe(204);
    expect((await call(running.base, 'DELETE', '/v1/officers/me', t.culture)).status).toBe(404);
  });

  it('when FindOfficers asks for a village, then the township’s area officer comes with unmasked contacts, another township’s does not, and only notifications may ask', async () => {
    const t = await tokens();
    await call(running.base, 'PUT', '/v1/officers/me', t.areaT1, {
      name: 'Area officer one',
      language: 'zh-CN',
      phone: AREA_PHONE,
    });
    await call(running.base, 'PUT', '/v1/officers/me', t.areaT2, {
      name: 'Area officer two',
      language: 'en',
    });
    await call(running.base, 'PUT', '/v1/officers/me', t.culture, {
      name: 'Culture officer',
      language: 'en',
      email: 'culture@example.cn',
    });
    const notifications = directoryAs('notifications');
    try {
      const inT1 = await notifications.call.findOfficers({
        roles: [AREA],
        jurisdictionCode: T1_V1,
        departmentCode: '',
      });
      expect(inT1.officers.map((o) => o.subject)).toEqual([`area-t1-${run}`]);
      expect(inT1.officers[0]).toMatchObject({ phone: AREA_PHONE, language: 'zh-CN' });

      const inT2 = await notifications.call.findOfficers({
        roles: [AREA],
        jurisdictionCode: T2_V1,
        departmentCode: '',
      });
      expect(inT2.officers.map((o) => o.subject)).toEqual([`area-t2-${run}`]);

      const ofCulture = await notifications.call.findOfficers({
        roles: [DEPT],
        jurisdictionCode: '',
        departmentCode: 'wenhua-ju',
      });
      expect(ofCulture.officers.map((o) => o.subject)).toEqual([`dept-${run}`]);
      expect(ofCulture.officers[0]?.email).toBe('culture@example.cn');

      const malformed = await rejectionOf(
        notifications.call.findOfficers({ roles: [], jurisdictionCode: 'x', departmentCode: '' }),
      );
      expect(malformed).toMatchObject({ code: 'OFFICER_CRITERIA_INVALID' });
    } finally {
      notifications.close();
    }
    const scoring = directoryAs('scoring');
    try {
      const refused = await rejectionOf(
        scoring.call.findOfficers({ roles: [AREA], jurisdictionCode: T1_V1, departmentCode: '' }),
      );
      expect(refused).toMatchObject({
        code: 'OFFICER_DIRECTORY_FORBIDDEN',
        kind: 'permission_denied',
      });
    } finally {
      scoring.close();
    }
  });
});

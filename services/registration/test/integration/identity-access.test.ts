import { randomUUID } from 'node:crypto';
import { generatePiiEnvironment } from '@learning/pii';
import { useServiceApp } from '@learning/runtime/testing';
import { describeWithServers, eventually, jurisdictionTree, uniqueName } from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import { registrationService } from '../../src/app.js';
import { REVEAL_LIMIT } from '../../src/adapters/http/identity-access.js';
import { loadRegistrationConfig } from '../../src/config.js';
import { seedJurisdictions } from '../support/http.js';
import { idNumberOf, phoneOf } from '../support/people.js';

const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 2 });
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';

/** Every raw number this file sends: none may appear in a log line. */
const secrets: string[] = [];
let sequence = 700;

interface DataAccessBody {
  items: {
    at: string;
    viewer: { subject: string; roles: string[] };
    fields: string[];
    reason: string;
  }[];
  nextPageToken: string | null;
}

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'registration: who looked at a person’s numbers',
  (servers) => {
    const running = useServiceApp(registrationService, servers, {
      loadConfig: loadRegistrationConfig,
      environment: () => ({
        ...generatePiiEnvironment(),
        MONGODB_DATABASE: uniqueName('registration-who-looked'),
      }),
    });
    // Rate-limit counters outlive a run in the shared Redis, so every run signs in fresh accounts.
    const run = randomUUID().slice(0, 8);
    const sign = (
      name: string,
      claims: {
        roles: ('participant' | 'area_officer' | 'city_admin')[];
        jurisdictions?: string[];
      },
    ) => running.issuer.sign({ subject: `${name}-${run}`, ...claims });
    const person = (name: string) => sign(name, { roles: ['participant'] });
    const officerOf = (name: string, root: string) =>
      sign(name, { roles: ['area_officer'], jurisdictions: [root] });

    async function registered(
      name: string,
    ): Promise<{ id: string; idNumber: string; phone: string; token: string }> {
      sequence += 1;
      const idNumber = idNumberOf('19850607', String(sequence));
      const phone = phoneOf(sequence);
      secrets.push(idNumber, phone);
      const token = await person(name);
      const response = await running.send('POST', '/v1/participants', token, {
        name: '赵敏',
        tier: 'ordinary_citizen',
        homeJurisdiction: T1_V1,
        idNumber,
        phone,
        language: 'zh-CN',
        consent: { notifications: true },
      });
      expect(response.status).toBe(201);
      return { id: ((await response.json()) as { id: string }).id, idNumber, phone, token };
    }

    const reveal = async (token: string, id: string, body: unknown) =>
      running.send('POST', `/v1/participants/${id}:reveal`, token, body);
    const accessLog = async (token: string): Promise<DataAccessBody> => {
      const response = await running.send('GET', '/v1/me/data-access-log', token);
      expect(response.status).toBe(200);
      return (await response.json()) as DataAccessBody;
    };

    beforeAll(async () => {
      await seedJurisdictions(running.base, await sign('admin', { roles: ['city_admin'] }), tree);
    });

    it('when an officer states why, then they see the full numbers, uncached, and the person sees who looked, when and why', async () => {
      const zhao = await registered('zhao');
      const officer = await officerOf('officer-t1', T1);

      const response = await reveal(officer, zhao.id, {
        fields: ['idNumber', 'phone'],
        reason: '核对补贴发放身份',
      });

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ idNumber: zhao.idNumber, phone: zhao.phone });
      const log = await eventually('the reading filed', async () => {
        const found = await accessLog(zhao.token);
        return found.items.length > 0 ? found : undefined;
      });
      const readAt = Date.now();
      expect(
        log.items.map(({ at, ...rest }) => ({ ...rest, recent: readAt - Date.parse(at) < 60_000 })),
      ).toEqual([
        {
          recent: true,
          viewer: { subject: `officer-t1-${run}`, roles: ['area_officer'] },
          fields: ['idNumber', 'phone'],
          reason: '核对补贴发放身份',
        },
      ]);
    });

    it('when only one number is asked for, then only it is shown, and only it is recorded', async () => {
      const qian = await registered('qian');
      const response = await reveal(await officerOf('officer-t1', T1), qian.id, {
        fields: ['phone'],
        reason: '联系本人确认报名',
      });
      expect(await response.json()).toEqual({ phone: qian.phone });
      const log = await eventually('the reading filed', async () => {
        const found = await accessLog(qian.token);
        return found.items.length > 0 ? found : undefined;
      });
      expect(log.items.map((item) => item.fields)).toEqual([['phone']]);
    });

    it('when the officer is elsewhere, is no officer, or gives no reason, then nothing is shown and nothing recorded', async () => {
      const sun = await registered('sun');
      const body = { fields: ['idNumber'], reason: '核对身份信息' };

      const outside = await reveal(await officerOf('officer-t2', T2), sun.id, body);
      expect(outside.status).toBe(404);
      expect(await outside.json()).toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
      expect((await reveal(sun.token, sun.id, body)).status).toBe(403);

      const officer = await officerOf('officer-t1', T1);
      for (const bad of [
        { fields: ['idNumber'] },
        { fields: ['idNumber'], reason: '看看' },
        { fields: [], reason: '核对身份信息' },
        { fields: ['name'], reason: '核对身份信息' },
        { fields: ['idNumber', 'idNumber'], reason: '核对身份信息' },
      ]) {
        const refused = await reveal(officer, sun.id, bad);
        expect(refused.status).toBe(400);
        expect(await refused.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
      // The masked reads an officer makes every day are not "looking" at the numbers.
      expect((await running.send('GET', `/v1/participants/${sun.id}`, officer)).status).toBe(200);
      expect((await accessLog(sun.token)).items).toEqual([]);
    });

    it('when an officer reads more numbers than a case needs, then they are stopped with 429', async () => {
      const li = await registered('li');
      const officer = await officerOf('officer-busy', T1);
      const body = { fields: ['idNumber'], reason: '核对身份信息' };
      for (let reading = 0; reading < REVEAL_LIMIT.points; reading += 1)
        expect((await reveal(officer, li.id, body)).status).toBe(200);
      const stopped = await reveal(officer, li.id, body);
      expect(stopped.status).toBe(429);
      expect(stopped.headers.get('retry-after')).not.toBeNull();
    });

    it('when a person with no record asks for their log, then 404; and no number ever reached a log line', async () => {
      const stranger = await person('stranger');
      const response = await running.send('GET', '/v1/me/data-access-log', stranger);
      expect(response.status).toBe(404);
      const text = JSON.stringify(running.logs.lines);
      expect(running.logs.lines.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(text).not.toContain(secret);
    });
  },
);

import { randomUUID } from 'node:crypto';
import { AppError } from '@learning/errors';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { common, registration } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  jurisdictionTree,
  rejectionOf,
} from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { seedJurisdictions } from '../support/http.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
const T2_V1 = '330281002001';

/** Enough organizations for several pages of the sizes asked for below. */
const BULK = 1_200;
const STATUS_CYCLE = ['recognized', 'applied', 'under_review', 'rejected', 'suspended'] as const;
const { OrganizationStatus } = registration;
const ASSESSED = [
  OrganizationStatus.ORGANIZATION_STATUS_APPLIED,
  OrganizationStatus.ORGANIZATION_STATUS_UNDER_REVIEW,
  OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED,
];

type Directory = GrpcClient<typeof registration.OrganizationDirectoryServiceService>;

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'registration organization stream and counts',
  (servers) => {
    const running = useRegistrationApp(servers);
    const run = randomUUID().slice(0, 8);
    const bulkId = (n: number): string => `bulk-${run}-${String(n).padStart(5, '0')}`;
    /** Active members of bulk organization n: every third has n % 4 of them (and one who left). */
    const activeMembersOf = (n: number): number => (n % 3 === 0 ? n % 4 : 0);
    const statusOfBulk = (n: number) => STATUS_CYCLE[n % STATUS_CYCLE.length] ?? 'recognized';
    const townshipOf = (n: number): string => (n % 2 === 0 ? T1 : T2);
    let connection: Connection | undefined;
    let scoring: Directory;

    beforeAll(async () => {
      const admin = await running.issuer.sign({ subject: `admin-${run}`, roles: ['city_admin'] });
      await seedJurisdictions(
        running.base,
        admin,
        jurisdictionTree({ townships: 2, villagesPerTownship: 2 }),
      );
      // One organization through the API, so its stored shape is the template and its database is found.
      const applicant = await running.issuer.sign({
        subject: `applicant-${run}`,
        roles: ['org_admin'],
      });
      const response = await running.send('POST', '/v1/organizations', applicant, {
        kind: 'community',
        name: `模板社区 ${run}`,
        jurisdictionCode: T1_V1,
      });
      expect(response.status).toBe(201);
      const templateId = ((await response.json()) as { id: string }).id;

      const probe = await createConnection(servers.mongo.uri).asPromise();
      try {
        const { databases } = (await probe.db?.admin().listDatabases()) ?? { databases: [] };
        for (const { name } of databases.filter((db) => db.name.startsWith('registration'))) {
          const found = await probe
            .useDb(name)
            .collection<{ _id: string }>('organizations')
            .countDocuments({ _id: templateId });
          if (found > 0)
            connection = await createConnection(servers.mongo.uri, { dbName: name }).asPromise();
        }
      } finally {
        await probe.close();
      }
      if (connection === undefined) throw new Error('the app database was not found');
      const organizations = connection.collection<Record<string, unknown>>('organizations');
      const template = await organizations.findOne({ _id: templateId as never });
      if (template === null) throw new Error('the template organization was not found');
      // The template's pending events are its own: the copies carry none.
      const shape = { ...template };
      delete shape['outbox'];
      delete shape['outboxSince'];
      await organizations.insertMany(
        Array.from({ length: BULK }, (_, n) => ({
          ...shape,
          _id: bulkId(n) as never,
          kind: 'enterprise',
          leadDepartment: 'jingmao-ju',
          name: `企业${n}`,
          status: statusOfBulk(n),
          jurisdictionPath: [CITY, townshipOf(n), townshipOf(n) === T1 ? T1_V1 : T2_V1],
        })),
      );
      const memberships = Array.from({ length: BULK }, (_, n) => n).flatMap((n) => {
        if (n % 3 !== 0) return [];
        const base = {
          organizationId: bulkId(n),
          organizationKind: 'enterprise',
          role: 'member',
          since: new Date(),
          jurisdictionPath: [CITY, townshipOf(n)],
          version: 1,
        };
        const active = Array.from({ length: activeMembersOf(n) }, (_, m) => ({
          ...base,
          _id: `${bulkId(n)}:p${m}`,
          participantId: `p${m}`,
          status: 'active',
          endedAt: null,
        }));
        return [
          ...active,
          {
            ...base,
            _id: `${bulkId(n)}:left`,
            participantId: 'left',
            status: 'ended',
            endedAt: new Date(),
          },
        ];
      });
      await connection.collection<{ _id: string }>('memberships').insertMany(memberships);

      scoring = createGrpcClient(registration.OrganizationDirectoryServiceClient, {
        address: `127.0.0.1:${running.ports.grpcPort}`,
        logger: captureLogger('organization-stream-client').logger,
        idempotentMethods: [],
        deadlineMs: 60_000,
        tokenProvider: () =>
          running.issuer.sign({ subject: 'svc-scoring', roles: ['service'], service: 'scoring' }),
      });
    });

    afterAll(async () => {
      scoring.close();
      await connection?.close();
    });

    async function streamed(
      request: Partial<registration.StreamOrganizationsRequest>,
    ): Promise<registration.DirectoryOrganization[][]> {
      const pages: registration.DirectoryOrganization[][] = [];
      for await (const page of scoring.call.streamOrganizations({
        kind: common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE,
        jurisdictionCode: '',
        statuses: [],
        pageSize: 0,
        afterId: '',
        organizationIds: [],
        ...request,
      }))
        pages.push(page.organizations);
      return pages;
    }

    it('when a service streams the enterprises not rejected or suspended, then each comes once, in id order, in pages of the size asked, with its active member count', async () => {
      const pages = await streamed({ statuses: ASSESSED, pageSize: 200 });
      const all = pages.flat();
      const expected = Array.from({ length: BULK }, (_, n) => n).filter((n) =>
        ['recognized', 'applied', 'under_review'].includes(statusOfBulk(n)),
      );

      expect(pages.length).toBe(Math.ceil(expected.length / 200));
      expect(pages.every((page) => page.length <= 200)).toBe(true);
      expect(all.map((entry) => entry.organization?.organizationId)).toEqual(expected.map(bulkId));
      expect(all.map((entry) => entry.memberCount)).toEqual(expected.map(activeMembersOf));
      expect(all[0]?.organization).toMatchObject({
        name: '企业0',
        status: OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED,
        routing: { leadDepartment: 'jingmao-ju', jurisdictionPath: [CITY, T1, T1_V1] },
      });
    });

    it('when the stream is narrowed to a township and resumed after an id, then it goes on strictly after it within the township', async () => {
      const whole = (await streamed({ jurisdictionCode: T2 })).flat();
      const resumeAfter = whole[99]?.organization?.organizationId ?? '';
      const rest = (await streamed({ jurisdictionCode: T2, afterId: resumeAfter })).flat();

      expect(whole).toHaveLength(BULK / 2);
      expect(
        whole.every((entry) => entry.organization?.routing?.jurisdictionPath.includes(T2)),
      ).toBe(true);
      expect(rest.map((entry) => entry.organization?.organizationId)).toEqual(
        whole.slice(100).map((entry) => entry.organization?.organizationId),
      );
    });

    it('when the stream is asked for some organizations by id, then it answers those of them that match, with their member counts', async () => {
      const ids = [bulkId(15), bulkId(6), bulkId(8), 'nobody'];
      const found = (await streamed({ organizationIds: ids, statuses: ASSESSED })).flat();

      // 8 is rejected; nobody is unknown.
      expect(found.map((entry) => [entry.organization?.organizationId, entry.memberCount])).toEqual(
        [
          [bulkId(6), activeMembersOf(6)],
          [bulkId(15), activeMembersOf(15)],
        ],
      );
    });

    it('when organizations are counted per area, then each code counts its subtree, in total and of the statuses asked; an unknown code counts zero', async () => {
      const response = await scoring.call.countOrganizations({
        jurisdictionCodes: [T1, T2, CITY, '330281099000'],
        statuses: [OrganizationStatus.ORGANIZATION_STATUS_RECOGNIZED],
      });
      const byCode = new Map(response.counts.map((count) => [count.jurisdictionCode, count]));
      const recognizedIn = (township: string): number =>
        Array.from({ length: BULK }, (_, n) => n).filter(
          (n) => townshipOf(n) === township && statusOfBulk(n) === 'recognized',
        ).length;

      // T1 also holds the template community, applied through the API.
      expect(byCode.get(T1)).toMatchObject({ total: BULK / 2 + 1, matching: recognizedIn(T1) });
      expect(byCode.get(T2)).toMatchObject({ total: BULK / 2, matching: recognizedIn(T2) });
      expect(byCode.get(CITY)).toMatchObject({
        total: BULK + 1,
        matching: recognizedIn(T1) + recognizedIn(T2),
      });
      expect(byCode.get('330281099000')).toMatchObject({ total: 0, matching: 0 });
    });

    it('when a stream asks for an unknown status or too large a page, then it is refused with ORGANIZATION_QUERY_INVALID', async () => {
      for (const request of [
        { statuses: [OrganizationStatus.ORGANIZATION_STATUS_UNSPECIFIED] },
        { pageSize: 5_000 },
      ]) {
        const error = await rejectionOf(streamed(request));
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({
          kind: 'invalid_argument',
          code: 'ORGANIZATION_QUERY_INVALID',
        });
      }
    });
  },
);

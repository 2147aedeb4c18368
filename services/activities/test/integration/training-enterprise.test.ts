import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { chinaYearOf } from '@learning/domain';
import { fromKafkaMessage, topics, type CloudEvent } from '@learning/events';
import { activities, common } from '@learning/proto';
import { describeWithServers, eventually, watchTopics, type TopicWatch } from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useActivitiesStack } from '../support/stack.js';

const T1 = '330281001000';
const T2 = '330281002000';
const village = (township: number, n: number): string =>
  `330281${String(township).padStart(3, '0')}${String(n).padStart(3, '0')}`;
const BASE = '/v1/training/enterprise-reports';

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

interface ReportView {
  id: string;
  organizationId: string;
  year: number;
  leadDepartment: string;
  jurisdictionPath: string[];
  trainees: number;
  trainingMinutes: number;
  trainingHours: string;
  spendYuan: string;
  note: string;
  revision: number;
  recordedMinutes?: number;
  recordedHours?: string;
}

interface ListView {
  items: ReportView[];
  nextPageToken: string | null;
  totals: Record<string, unknown>;
}

const figures = {
  trainees: 120,
  trainingMinutes: 120 * 16 * 60,
  spendYuan: '125000.5',
  note: '安全生产与技能提升',
};

describeWithServers(['mongo', 'kafka', 'redis'], "enterprises' own training reports", (servers) => {
  const stack = useActivitiesStack(servers);
  const year = chinaYearOf(new Date());
  const organizations = {} as Record<'a' | 'b' | 'rejected' | 'community', string>;
  let leadDepartment: string;
  const tokens = {} as Record<
    | 'admin'
    | 'aAdmin'
    | 'bAdmin'
    | 'rejectedAdmin'
    | 'communityAdmin'
    | 't1Officer'
    | 't2Officer'
    | 'leadOfficer'
    | 'otherDepartment'
    | 'participant',
    string
  >;
  let watch: TopicWatch;
  let db: Connection;

  async function registerOrganization(
    kind: 'enterprise' | 'community',
    jurisdictionCode: string,
  ): Promise<{ id: string; leadDepartment: string }> {
    const applicant = await stack.token({ subject: `applicant-${kind}`, roles: ['org_admin'] });
    const response = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind,
      name: `${kind === 'enterprise' ? '企业' : '社区'} ${randomUUID().slice(0, 8)}`,
      jurisdictionCode,
    });
    const body = (await response.json()) as { id: string; leadDepartment: string };
    expect(response.status, JSON.stringify(body)).toBe(201);
    return body;
  }

  async function decide(id: string, body: Record<string, unknown>): Promise<void> {
    const response = await stack.registration.send(
      'POST',
      `/v1/organizations/${id}:decide`,
      tokens.admin,
      body,
    );
    expect(response.status, await response.text()).toBe(200);
  }

  const adminOf = (organizationId: string) =>
    stack.token({
      subject: `hr-${organizationId}`,
      roles: ['org_admin'],
      organizations: [organizationId],
    });

  beforeAll(async () => {
    tokens.admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'] });
    const [a, b, rejected, community] = await Promise.all([
      registerOrganization('enterprise', village(1, 1)),
      registerOrganization('enterprise', village(2, 1)),
      registerOrganization('enterprise', village(1, 2)),
      registerOrganization('community', village(1, 3)),
    ]);
    organizations.a = a.id;
    organizations.b = b.id;
    organizations.rejected = rejected.id;
    organizations.community = community.id;
    leadDepartment = a.leadDepartment;
    await decide(rejected.id, { action: 'start_review' });
    await decide(rejected.id, { action: 'reject', reason: '材料不实' });
    tokens.aAdmin = await adminOf(a.id);
    tokens.bAdmin = await adminOf(b.id);
    tokens.rejectedAdmin = await adminOf(rejected.id);
    tokens.communityAdmin = await adminOf(community.id);
    tokens.t1Officer = await stack.token({
      subject: 't1-officer',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    tokens.t2Officer = await stack.token({
      subject: 't2-officer',
      roles: ['area_officer'],
      jurisdictions: [T2],
    });
    tokens.leadOfficer = await stack.token({
      subject: 'lead-officer',
      roles: ['department_officer'],
      department: leadDepartment,
    });
    tokens.otherDepartment = await stack.token({
      subject: 'other-officer',
      roles: ['department_officer'],
      department: leadDepartment === 'jiaoyu-ju' ? 'xuanchuan-bu' : 'jiaoyu-ju',
      cityWide: true,
    });
    tokens.participant = await stack.token({ subject: 'person-1', roles: ['participant'] });
    watch = await watchTopics(servers.kafka, [topics.activitiesTraining.name]);
    db = await createConnection(servers.mongo.uri, { dbName: stack.database }).asPromise();
  });

  afterAll(async () => {
    await watch.stop();
    await db.close();
  });

  async function call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply> {
    const response = await stack.activities.send(
      method,
      path,
      token,
      body,
      headers === undefined ? {} : { headers },
    );
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  const put = (
    organizationId: string,
    body: Record<string, unknown>,
    token: string,
    ifMatch?: string,
    reportYear = year,
    idempotencyKey?: string,
  ) =>
    call('PUT', `${BASE}/${organizationId}/${String(reportYear)}`, token, body, {
      ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    });

  const reported = (organizationId: string): CloudEvent[] =>
    watch.messages
      .map(({ message }) => fromKafkaMessage(message))
      .filter(
        (event) =>
          event.type === activityEvents.EnterpriseTrainingReported.type &&
          (event.data as { organizationId?: string }).organizationId === organizationId,
      );

  const decoded = (event: CloudEvent) =>
    activityEvents.EnterpriseTrainingReported.codec.fromJSON(event.data);

  it('when the OpenAPI document is read, then it describes the report routes', async () => {
    const docs = (await (await stack.activities.send('GET', '/openapi.json', null)).json()) as {
      paths: Record<string, unknown>;
    };

    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        BASE,
        `${BASE}/{organizationId}/{year}`,
        `${BASE}/{organizationId}/{year}/revisions`,
      ]),
    );
  });

  describe('reporting', () => {
    it('when the admin first reports a year, then it is revision 1 and EnterpriseTrainingReported goes out routed by the enterprise', async () => {
      const reply = await put(organizations.a, figures, tokens.aAdmin);

      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.headers.get('etag')).toBe('"1"');
      expect(reply.body).toMatchObject({
        id: `${organizations.a}:${String(year)}`,
        revision: 1,
        trainees: 120,
        trainingMinutes: 115_200,
        trainingHours: '1920',
        spendYuan: '125000.50',
        leadDepartment,
        jurisdictionPath: ['330281000000', T1, village(1, 1)],
      });
      const [event] = await eventually('the report on Kafka', () => {
        const found = reported(organizations.a);
        return found.length > 0 ? found : undefined;
      });
      // Keyed by the report, so its revisions stay in order on one partition.
      const keys = watch.messages
        .filter(({ message }) => fromKafkaMessage(message).id === event?.id)
        .map(({ message }) => message.key?.toString());
      expect(keys).toEqual([`${organizations.a}:${String(year)}`]);
      expect(decoded(event as CloudEvent)).toMatchObject({
        reportId: `${organizations.a}:${String(year)}`,
        organizationId: organizations.a,
        year,
        trainees: 120,
        trainingMinutes: 115_200,
        spendYuan: '125000.50',
        revision: 1,
        routing: {
          programmeId: '',
          leadDepartment,
          jurisdictionPath: ['330281000000', T1, village(1, 1)],
          organizerKind: activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION,
          organizerId: organizations.a,
          organizationKind: common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE,
        },
      });
    });

    it('when the same figures are sent again, with or without If-Match, then nothing changes and nothing is published', async () => {
      const again = await put(organizations.a, figures, tokens.aAdmin);
      const staleRetry = await put(organizations.a, figures, tokens.aAdmin, '"7"');

      expect(again.status).toBe(200);
      expect(again.body['revision']).toBe(1);
      expect(staleRetry.status).toBe(200);
      expect(staleRetry.body['revision']).toBe(1);
      // The first report's event is on the topic; give a duplicate as long to arrive.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(reported(organizations.a)).toHaveLength(1);
    });

    it('when the PUT comes without an Idempotency-Key, then it is refused; under a used key it answers the first reply again', async () => {
      const path = `${BASE}/${organizations.a}/${String(year)}`;
      const response = await fetch(`${stack.activities.base}${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${tokens.aAdmin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...figures, trainees: 1 }),
      });
      const keyless = (await response.json()) as Record<string, unknown>;
      const key = randomUUID();
      const first = await put(organizations.a, figures, tokens.aAdmin, undefined, year, key);
      const replay = await put(organizations.a, figures, tokens.aAdmin, undefined, year, key);

      expect([response.status, keyless['code']]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
      expect(first.status).toBe(200);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
    });

    it('when a change names no revision, a stale one or a malformed one, then it is refused and nothing changes', async () => {
      const changed = { ...figures, spendYuan: '130000' };

      const none = await put(organizations.a, changed, tokens.aAdmin);
      const stale = await put(organizations.a, changed, tokens.aAdmin, '"2"');
      const malformed = await put(organizations.a, changed, tokens.aAdmin, 'revision-1');

      expect([none.status, none.body['code']]).toEqual([
        409,
        'ENTERPRISE_REPORT_REVISION_REQUIRED',
      ]);
      expect([stale.status, stale.body['code']]).toEqual([409, 'VERSION_CONFLICT']);
      expect([malformed.status, malformed.body['code']]).toEqual([
        400,
        'ENTERPRISE_REPORT_REVISION_INVALID',
      ]);
      const current = await call(
        'GET',
        `${BASE}/${organizations.a}/${String(year)}`,
        tokens.aAdmin,
      );
      expect(current.body).toMatchObject({ revision: 1, spendYuan: '125000.50' });
    });

    it('when a change names the current revision, then it is the next revision with its event', async () => {
      const reply = await put(
        organizations.a,
        { ...figures, trainees: 130, spendYuan: '130000.05' },
        tokens.aAdmin,
        '"1"',
      );

      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.headers.get('etag')).toBe('"2"');
      expect(reply.body).toMatchObject({ revision: 2, trainees: 130, spendYuan: '130000.05' });
      const events = await eventually('the revision on Kafka', () => {
        const found = reported(organizations.a);
        return found.length >= 2 ? found : undefined;
      });
      expect(events.map((event) => decoded(event).revision)).toEqual([1, 2]);
      expect(decoded(events[1] as CloudEvent).spendYuan).toBe('130000.05');
    });

    it.each([
      ['12.345', 'ENTERPRISE_REPORT_SPEND_INVALID'],
      ['-1', 'ENTERPRISE_REPORT_SPEND_INVALID'],
      ['1e3', 'ENTERPRISE_REPORT_SPEND_INVALID'],
    ])('when the spend is "%s", then it is refused with %s', async (spendYuan, code) => {
      const reply = await put(organizations.b, { ...figures, spendYuan }, tokens.bAdmin);

      expect([reply.status, reply.body['code']]).toEqual([400, code]);
    });

    it('when the spend is a JSON number, then the schema refuses it', async () => {
      const reply = await put(organizations.b, { ...figures, spendYuan: 1000 }, tokens.bAdmin);

      expect([reply.status, reply.body['code']]).toEqual([400, 'VALIDATION_FAILED']);
    });

    it('when the year is in the future or before 2000, then it is refused', async () => {
      const future = await put(organizations.b, figures, tokens.bAdmin, undefined, year + 1);
      const early = await put(organizations.b, figures, tokens.bAdmin, undefined, 1999);

      expect([future.status, future.body['code']]).toEqual([400, 'ENTERPRISE_REPORT_YEAR_INVALID']);
      expect([early.status, early.body['code']]).toEqual([400, 'ENTERPRISE_REPORT_YEAR_INVALID']);
    });

    it('when trainees come without minutes, then the figures are refused', async () => {
      const reply = await put(organizations.b, { ...figures, trainingMinutes: 0 }, tokens.bAdmin);

      expect([reply.status, reply.body['code']]).toEqual([
        400,
        'ENTERPRISE_REPORT_FIGURES_INCONSISTENT',
      ]);
    });

    it('when someone reports for an organization that is not theirs, not an enterprise, not active or unknown, then it is refused', async () => {
      const otherAdmin = await put(organizations.a, figures, tokens.bAdmin, '"2"');
      const officer = await put(organizations.a, figures, tokens.admin, '"2"');
      const community = await put(organizations.community, figures, tokens.communityAdmin);
      const rejected = await put(organizations.rejected, figures, tokens.rejectedAdmin);
      const unknownId = randomUUID();
      const unknown = await put(unknownId, figures, await adminOf(unknownId));

      expect([otherAdmin.status, otherAdmin.body['code']]).toEqual([
        403,
        'ENTERPRISE_REPORT_NOT_ADMIN',
      ]);
      expect([officer.status, officer.body['code']]).toEqual([403, 'ROLE_REQUIRED']);
      expect([community.status, community.body['code']]).toEqual([
        400,
        'ENTERPRISE_REPORT_NOT_ENTERPRISE',
      ]);
      expect([rejected.status, rejected.body['code']]).toEqual([
        409,
        'ENTERPRISE_REPORT_ENTERPRISE_NOT_ACTIVE',
      ]);
      expect([unknown.status, unknown.body['code']]).toEqual([
        404,
        'ENTERPRISE_REPORT_ORGANIZATION_NOT_FOUND',
      ]);
      const current = await call(
        'GET',
        `${BASE}/${organizations.a}/${String(year)}`,
        tokens.aAdmin,
      );
      expect(current.body['revision']).toBe(2);
      expect(reported(organizations.community)).toHaveLength(0);
    });
  });

  describe('reading', () => {
    const programmeA = randomUUID();
    const publicProgramme = randomUUID();

    beforeAll(async () => {
      const b = await put(
        organizations.b,
        { trainees: 10, trainingMinutes: 600, spendYuan: '0.05', note: '' },
        tokens.bAdmin,
      );
      expect(b.status, JSON.stringify(b.body)).toBe(201);
      // What the hours part writes from session check-ins: two trainees of A's own programme this
      // year, one last year, and a trainee of a public programme that must not count for A.
      await db
        .collection('training_programmes')
        .insertMany([
          { _id: programmeA, enterpriseId: organizations.a } as never,
          { _id: publicProgramme, enterpriseId: null } as never,
        ]);
      await db.collection('training_trainees').insertMany([
        { _id: `${programmeA}:p1:${String(year)}`, programmeId: programmeA, year, minutes: 90 },
        { _id: `${programmeA}:p2:${String(year)}`, programmeId: programmeA, year, minutes: 120 },
        {
          _id: `${programmeA}:p1:${String(year - 1)}`,
          programmeId: programmeA,
          year: year - 1,
          minutes: 600,
        },
        {
          _id: `${publicProgramme}:p3:${String(year)}`,
          programmeId: publicProgramme,
          year,
          minutes: 45,
        },
      ] as never[]);
    });

    it('when those who may read a report read it, then they see it with the minutes the platform recorded', async () => {
      const path = `${BASE}/${organizations.a}/${String(year)}`;
      for (const token of [tokens.aAdmin, tokens.leadOfficer, tokens.t1Officer, tokens.admin]) {
        const reply = await call('GET', path, token);
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        expect(reply.headers.get('etag')).toBe('"2"');
        expect(reply.body).toMatchObject({
          revision: 2,
          trainees: 130,
          recordedMinutes: 210,
          recordedHours: '3.5',
        });
      }
    });

    it('when others read a report, then it is not found', async () => {
      const path = `${BASE}/${organizations.a}/${String(year)}`;
      for (const token of [tokens.bAdmin, tokens.t2Officer, tokens.otherDepartment]) {
        const reply = await call('GET', path, token);
        expect([reply.status, reply.body['code']]).toEqual([404, 'ENTERPRISE_REPORT_NOT_FOUND']);
      }
      const participant = await call('GET', path, tokens.participant);
      expect([participant.status, participant.body['code']]).toEqual([403, 'ROLE_REQUIRED']);
      const missingYear = await call('GET', `${BASE}/${organizations.a}/2001`, tokens.admin);
      expect(missingYear.status).toBe(404);
    });

    it('when the history is read, then every revision is there, newest first', async () => {
      const reply = await call(
        'GET',
        `${BASE}/${organizations.a}/${String(year)}/revisions`,
        tokens.leadOfficer,
      );

      expect(reply.status).toBe(200);
      const revisions = reply.body['revisions'] as { revision: number; spendYuan: string }[];
      expect(revisions.map(({ revision, spendYuan }) => [revision, spendYuan])).toEqual([
        [2, '130000.05'],
        [1, '125000.50'],
      ]);
      const outsider = await call(
        'GET',
        `${BASE}/${organizations.a}/${String(year)}/revisions`,
        tokens.t2Officer,
      );
      expect(outsider.status).toBe(404);
    });

    const list = async (token: string, query: string): Promise<ListView> => {
      const reply = await call('GET', `${BASE}?year=${String(year)}${query}`, token);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body as unknown as ListView;
    };

    it('when the city admin lists the year, then both reports come in pages with totals over both', async () => {
      const first = await list(tokens.admin, '&pageSize=1');
      expect(first.items).toHaveLength(1);
      expect(first.nextPageToken).not.toBeNull();
      const second = await list(
        tokens.admin,
        `&pageSize=1&pageToken=${encodeURIComponent(first.nextPageToken ?? '')}`,
      );
      const items = [...first.items, ...second.items];

      expect(items.map((item) => item.organizationId).sort()).toEqual(
        [organizations.a, organizations.b].sort(),
      );
      expect(second.nextPageToken).toBeNull();
      expect(items.find((item) => item.organizationId === organizations.a)?.recordedMinutes).toBe(
        210,
      );
      expect(items.find((item) => item.organizationId === organizations.b)?.recordedMinutes).toBe(
        0,
      );
      expect(first.totals).toEqual({
        reports: 2,
        trainees: 140,
        trainingMinutes: 115_800,
        trainingHours: '1930',
        spendYuan: '130000.10',
        minutesPerTrainee: 827,
        spendYuanPerTrainee: '928.57',
      });
    });

    it('when officers list, then each sees what their area or department reaches', async () => {
      const t1 = await list(tokens.t1Officer, '');
      const t2 = await list(tokens.t2Officer, '');
      const lead = await list(tokens.leadOfficer, `&jurisdiction=${T2}`);
      const other = await list(tokens.otherDepartment, '');

      expect(t1.items.map((item) => item.organizationId)).toEqual([organizations.a]);
      expect(t1.totals).toMatchObject({ reports: 1, trainees: 130, spendYuan: '130000.05' });
      expect(t2.items.map((item) => item.organizationId)).toEqual([organizations.b]);
      expect(lead.items.map((item) => item.organizationId)).toEqual([organizations.b]);
      expect(other.items).toEqual([]);
      expect(other.totals).toMatchObject({ reports: 0, minutesPerTrainee: null });
    });

    it('when the list filters by lead department or year, or a non-officer lists, then it answers accordingly', async () => {
      const byDepartment = await list(tokens.admin, `&leadDepartment=${leadDepartment}`);
      const lastYear = await call('GET', `${BASE}?year=${String(year - 1)}`, tokens.admin);
      const admin = await call('GET', `${BASE}?year=${String(year)}`, tokens.aAdmin);
      const noYear = await call('GET', BASE, tokens.admin);

      expect(byDepartment.totals['reports']).toBe(2);
      expect((lastYear.body as unknown as ListView).items).toEqual([]);
      expect([admin.status, admin.body['code']]).toEqual([403, 'ROLE_REQUIRED']);
      expect([noYear.status, noYear.body['code']]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { fromKafkaMessage, topics, type CloudEvent } from '@learning/events';
import {
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traineeModel, type TraineeDocument } from '../../src/adapters/mongo/training-models.js';
import { CITY, T1, T1_V1, T2, adminTokenOf, registerOrganization } from '../support/activities.js';
import { useActivitiesReplica, useActivitiesStack } from '../support/stack.js';

const T3 = '330281003000';
const UNKNOWN = '330281999000';
/** The app's "now": 2 July 2026 00:00 China time, 182 of 365 days into the year. */
const NOW = new Date('2026-07-02T00:00:00+08:00');
const ELAPSED = 182 / 365;

interface ProgrammeBody {
  id: string;
  title: string;
  leadDepartment: string;
  enterpriseId: string | null;
  jurisdictionCode: string;
  jurisdictionPath: string[];
  firstYear: number;
  lastYear: number;
  quotas: { year: number; jurisdictionCode: string; people: number }[];
  status: string;
  version: number;
  thisYear?: { year: number; quota: number; trained: number; completed: number } | null;
}

interface Pace {
  quota: number;
  trained: number;
  completed: number;
  expectedByNow: number;
  behind: boolean;
  forecast: number | null;
}

interface ProgressBody {
  year: number;
  countedWithin: string[];
  elapsedFraction: number;
  total: Pace;
  townships: (Pace & { jurisdictionCode: string })[];
  behind: string[];
  targetGroups: { targetGroup: string; trained: number; completed: number }[];
  months: { month: string; trained: number; completed: number }[];
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  etag: string | null;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'training programmes', (servers) => {
  const stack = useActivitiesStack(servers);
  const databaseName = uniqueName('training-programmes');
  // An activities app on a database this file names (to seed trainee records, as the hours
  // part would write them) and with a fixed clock (so pace and forecast are known).
  const app = useActivitiesReplica(servers, stack, {
    clock: () => NOW,
    environment: { MONGODB_DATABASE: databaseName },
  });
  let database: Connection;
  let watch: TopicWatch;
  let enterprise: string;
  let community: string;
  const tokens = {} as Record<
    | 'admin'
    | 'nongban'
    | 'education'
    | 't1Officer'
    | 't2Officer'
    | 'cityOfficer'
    | 'enterpriseAdmin'
    | 'otherAdmin'
    | 'participant',
    string
  >;

  beforeAll(async () => {
    database = await createConnection(servers.mongo.uri, { dbName: databaseName }).asPromise();
    watch = await watchTopics(servers.kafka, [topics.activitiesTraining.name]);
    [enterprise, community] = await Promise.all([
      registerEnterprise(),
      registerOrganization(stack, 'community'),
    ]);
    tokens.admin = await stack.token({ subject: 'office-admin', roles: ['city_admin'] });
    tokens.nongban = await stack.token({
      subject: 'nongban-officer',
      roles: ['department_officer'],
      department: 'nongban',
      cityWide: true,
    });
    tokens.education = await stack.token({
      subject: 'jiaoyu-officer',
      roles: ['department_officer'],
      department: 'jiaoyu-ju',
      cityWide: true,
    });
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
    tokens.cityOfficer = await stack.token({
      subject: 'city-officer',
      roles: ['area_officer'],
      cityWide: true,
    });
    tokens.enterpriseAdmin = await adminTokenOf(stack, enterprise);
    tokens.otherAdmin = await adminTokenOf(stack, community);
    tokens.participant = await stack.token({ subject: 'citizen-1', roles: ['participant'] });
  });

  afterAll(async () => {
    await watch.stop();
    await database.close();
  });

  async function registerEnterprise(): Promise<string> {
    const applicant = await stack.token({ subject: 'applicant-enterprise', roles: ['org_admin'] });
    const response = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'enterprise',
      name: `企业 ${randomUUID().slice(0, 8)}`,
      jurisdictionCode: T1_V1,
    });
    const body = (await response.json()) as { id: string };
    expect(response.status, JSON.stringify(body)).toBe(201);
    return body.id;
  }

  async function call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply> {
    const response = await app.send(
      method,
      path,
      token,
      body,
      headers === undefined ? {} : { headers },
    );
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      etag: response.headers.get('etag'),
    };
  }

  async function refused(reply: Promise<Reply>, status: number, code: string): Promise<string> {
    const { status: actual, body } = await reply;
    expect({ status: actual, code: body['code'] }, JSON.stringify(body)).toEqual({ status, code });
    return String(body['message']);
  }

  /** The rural labour programme of 2026–2028, city-wide, led by 农办, unless `overrides` say otherwise. */
  const ruralPlan = (overrides: Record<string, unknown> = {}) => ({
    title: '十万农村劳动力素质培训工程',
    description: '农村劳动力转移就业技能培训',
    leadDepartment: 'nongban',
    jurisdictionCode: CITY,
    firstYear: 2026,
    lastYear: 2028,
    targetGroups: ['rural_labour', 'farmers'],
    categories: ['science_culture_skills'],
    requiredMinutes: 40 * 60,
    skillsTest: true,
    ...overrides,
  });

  /** A plan for an enterprise's own programme: without a lead department. */
  const withoutLead = (plan: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(plan).filter(([key]) => key !== 'leadDepartment'));

  async function create(
    overrides: Record<string, unknown> = {},
    token = tokens.nongban,
  ): Promise<ProgrammeBody> {
    const reply = await call('POST', '/v1/training/programmes', token, ruralPlan(overrides));
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body as unknown as ProgrammeBody;
  }

  const setQuotas = (
    id: string,
    year: number,
    quotas: { jurisdictionCode: string; people: number }[],
    token = tokens.nongban,
    headers?: Record<string, string>,
  ) => call('PUT', `/v1/training/programmes/${id}/quotas/${year}`, token, { quotas }, headers);

  async function launched(overrides: Record<string, unknown> = {}): Promise<ProgrammeBody> {
    const programme = await create(overrides);
    const reply = await call(
      'POST',
      `/v1/training/programmes/${programme.id}:launch`,
      tokens.nongban,
      {},
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body as unknown as ProgrammeBody;
  }

  /** Trainee records as the hours part writes them: `count` people of one township and year. */
  async function train(
    programmeId: string,
    township: string,
    count: number,
    options: {
      year?: number;
      completed?: number;
      month?: string;
      completedMonth?: string;
      groups?: string[];
    } = {},
  ): Promise<void> {
    const year = options.year ?? 2026;
    const month = options.month ?? `${year}-03`;
    const docs: Omit<TraineeDocument, 'outbox'>[] = Array.from({ length: count }, (_, index) => {
      const participantId = randomUUID();
      const completed = index < (options.completed ?? 0);
      return {
        _id: `${programmeId}:${participantId}:${year}`,
        programmeId,
        participantId,
        year,
        townshipCode: township,
        jurisdictionPath: [CITY, township],
        targetGroups: options.groups ?? ['rural_labour'],
        minutes: completed ? 2400 : 120,
        attendanceIds: [`${randomUUID()}:s1`],
        classIds: [],
        firstAttendedAt: new Date(`${month}-10T02:00:00Z`),
        trainedMonth: month,
        testPassed: completed ? true : null,
        skillsTest: null,
        completedAt: completed ? new Date(`${options.completedMonth ?? month}-20T02:00:00Z`) : null,
        completedMonth: completed ? (options.completedMonth ?? month) : null,
        completedClassId: null,
        certificateCode: null,
        version: 1,
      };
    });
    await traineeModel(database).insertMany(docs);
  }

  const launchEvents = (programmeId: string): CloudEvent[] =>
    watch.messages
      .map(({ message }) => fromKafkaMessage(message))
      .filter(
        (event) =>
          event.type === 'activities.training-programme.launched.v1' &&
          event.subject === programmeId,
      );

  it('when the OpenAPI document is read, then it describes every programme route', async () => {
    const docs = (await (await app.send('GET', '/openapi.json', null)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(docs.paths['/v1/training/programmes'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
    expect(Object.keys(docs.paths['/v1/training/programmes/{id}'] ?? {})).toEqual(
      expect.arrayContaining(['get', 'patch']),
    );
    expect(docs.paths['/v1/training/programmes/{id}/quotas/{year}']).toHaveProperty('put');
    expect(docs.paths['/v1/training/programmes/{id}/progress']).toHaveProperty('get');
  });

  describe('planning', () => {
    it('when the lead department plans a programme, then it is a draft over the city with its version as ETag', async () => {
      const reply = await call('POST', '/v1/training/programmes', tokens.nongban, ruralPlan());

      expect(reply.status).toBe(201);
      expect(reply.etag).toBe('"1"');
      expect(reply.body).toMatchObject({
        leadDepartment: 'nongban',
        enterpriseId: null,
        jurisdictionCode: CITY,
        jurisdictionPath: [CITY],
        firstYear: 2026,
        lastYear: 2028,
        requiredMinutes: 2400,
        skillsTest: true,
        quotas: [],
        status: 'draft',
        version: 1,
      });
    });

    it('when the department is unknown to registration, then 400 DEPARTMENT_UNKNOWN', async () => {
      await refused(
        call(
          'POST',
          '/v1/training/programmes',
          tokens.admin,
          ruralPlan({ leadDepartment: 'no-such-ju' }),
        ),
        400,
        'DEPARTMENT_UNKNOWN',
      );
    });

    it('when an officer plans for another department, then 403 PROGRAMME_MANAGE_FORBIDDEN; an area officer or a participant, 403 ROLE_REQUIRED', async () => {
      await refused(
        call('POST', '/v1/training/programmes', tokens.education, ruralPlan()),
        403,
        'PROGRAMME_MANAGE_FORBIDDEN',
      );
      await refused(
        call('POST', '/v1/training/programmes', tokens.t1Officer, ruralPlan()),
        403,
        'ROLE_REQUIRED',
      );
      await refused(
        call('POST', '/v1/training/programmes', tokens.participant, ruralPlan()),
        403,
        'ROLE_REQUIRED',
      );
    });

    it('when the area, years or owner are wrong, then each has its code', async () => {
      const plan = (overrides: Record<string, unknown>) =>
        call('POST', '/v1/training/programmes', tokens.nongban, ruralPlan(overrides));
      await refused(plan({ jurisdictionCode: UNKNOWN }), 400, 'JURISDICTION_UNKNOWN');
      await refused(plan({ jurisdictionCode: T1_V1 }), 400, 'PROGRAMME_AREA_LEVEL_INVALID');
      await refused(plan({ lastYear: 2036 }), 400, 'PROGRAMME_YEARS_INVALID');
      await refused(plan({ firstYear: 2028, lastYear: 2026 }), 400, 'PROGRAMME_YEARS_INVALID');
      await refused(plan({ enterpriseId: enterprise }), 400, 'PROGRAMME_OWNER_INVALID');
    });

    it('when an enterprise’s admin plans its own programme, then it is led by the enterprise’s lead department in registration', async () => {
      const plan = withoutLead(
        ruralPlan({
          title: '企业职工岗位培训',
          targetGroups: ['workers', 'technical_staff'],
          jurisdictionCode: T1,
        }),
      );
      const reply = await call('POST', '/v1/training/programmes', tokens.enterpriseAdmin, {
        ...plan,
        enterpriseId: enterprise,
      });

      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body).toMatchObject({ enterpriseId: enterprise, leadDepartment: 'jingmao-ju' });
      // Readable (and manageable) by its admin, not by another organization's.
      const id = String(reply.body['id']);
      expect(
        (await call('GET', `/v1/training/programmes/${id}`, tokens.enterpriseAdmin)).status,
      ).toBe(200);
      await refused(
        call('GET', `/v1/training/programmes/${id}`, tokens.otherAdmin),
        404,
        'PROGRAMME_NOT_FOUND',
      );
      await refused(
        call('POST', '/v1/training/programmes', tokens.otherAdmin, {
          ...plan,
          enterpriseId: enterprise,
        }),
        403,
        'PROGRAMME_MANAGE_FORBIDDEN',
      );
    });

    it('when the organization is not an enterprise, or unknown, then 400 with its code', async () => {
      const plan = withoutLead(ruralPlan());
      await refused(
        call('POST', '/v1/training/programmes', tokens.admin, { ...plan, enterpriseId: community }),
        400,
        'PROGRAMME_NOT_ENTERPRISE',
      );
      await refused(
        call('POST', '/v1/training/programmes', tokens.admin, {
          ...plan,
          enterpriseId: randomUUID(),
        }),
        400,
        'PROGRAMME_ENTERPRISE_UNKNOWN',
      );
    });
  });

  describe('reading and changing', () => {
    it('when another department’s officer, or an area officer, reads a draft, then it is not found', async () => {
      const programme = await create();

      expect(
        (await call('GET', `/v1/training/programmes/${programme.id}`, tokens.admin)).status,
      ).toBe(200);
      await refused(
        call('GET', `/v1/training/programmes/${programme.id}`, tokens.education),
        404,
        'PROGRAMME_NOT_FOUND',
      );
      await refused(
        call('GET', `/v1/training/programmes/${programme.id}`, tokens.t1Officer),
        404,
        'PROGRAMME_NOT_FOUND',
      );
      await refused(
        call('GET', `/v1/training/programmes/${randomUUID()}`, tokens.nongban),
        404,
        'PROGRAMME_NOT_FOUND',
      );
    });

    it('when changed at the version read (If-Match), then it changes; at an older version, 409 VERSION_CONFLICT and nothing changes', async () => {
      const programme = await create();
      const path = `/v1/training/programmes/${programme.id}`;

      const changed = await call(
        'PATCH',
        path,
        tokens.nongban,
        { title: '新型职业农民培训', lastYear: 2030 },
        { 'if-match': '"1"' },
      );
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.etag).toBe('"2"');
      expect(changed.body).toMatchObject({ title: '新型职业农民培训', lastYear: 2030, version: 2 });

      await refused(
        call('PATCH', path, tokens.nongban, { title: '旧标题' }, { 'if-match': '"1"' }),
        409,
        'VERSION_CONFLICT',
      );
      await refused(
        call('PATCH', path, tokens.nongban, { title: '旧标题' }, { 'if-match': 'version-one' }),
        400,
        'PROGRAMME_VERSION_INVALID',
      );
      await refused(call('PATCH', path, tokens.nongban, {}), 400, 'PROGRAMME_CHANGE_EMPTY');
      await refused(
        call('PATCH', path, tokens.nongban, { firstYear: 2020 }),
        400,
        'PROGRAMME_YEARS_INVALID',
      );
      await refused(
        call('PATCH', path, tokens.education, { title: 'x' }),
        404,
        'PROGRAMME_NOT_FOUND',
      );
      expect((await call('GET', path, tokens.nongban)).body).toMatchObject({
        title: '新型职业农民培训',
        version: 2,
      });
    });

    it('when quotas are set, then the years and area may not move away from them', async () => {
      const programme = await create();
      const path = `/v1/training/programmes/${programme.id}`;
      expect(
        (await setQuotas(programme.id, 2028, [{ jurisdictionCode: T2, people: 5 }])).status,
      ).toBe(200);

      await refused(
        call('PATCH', path, tokens.nongban, { lastYear: 2027 }),
        409,
        'PROGRAMME_QUOTAS_OUTSIDE_PLAN',
      );
      await refused(
        call('PATCH', path, tokens.nongban, { jurisdictionCode: T1 }),
        409,
        'PROGRAMME_QUOTAS_OUTSIDE_PLAN',
      );
    });
  });

  describe('quotas', () => {
    it('when a year’s quotas are set, then they replace that year’s table, other years kept', async () => {
      const programme = await create();
      expect(
        (await setQuotas(programme.id, 2027, [{ jurisdictionCode: T3, people: 7 }])).status,
      ).toBe(200);

      const reply = await setQuotas(
        programme.id,
        2026,
        [
          { jurisdictionCode: T2, people: 10 },
          { jurisdictionCode: T1, people: 100 },
        ],
        tokens.nongban,
        { 'if-match': '"2"' },
      );

      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.etag).toBe('"3"');
      expect(reply.body['quotas']).toEqual([
        { year: 2027, jurisdictionCode: T3, people: 7 },
        { year: 2026, jurisdictionCode: T1, people: 100 },
        { year: 2026, jurisdictionCode: T2, people: 10 },
      ]);
    });

    it('when a quota names an unknown place, a village, a township outside the area, a year outside, or one twice, then 400 with its code', async () => {
      const programme = await create({ jurisdictionCode: T1 });
      const message = await refused(
        setQuotas(programme.id, 2026, [
          { jurisdictionCode: T1, people: 5 },
          { jurisdictionCode: T2, people: 5 },
        ]),
        400,
        'PROGRAMME_QUOTA_OUTSIDE_AREA',
      );
      expect(message).toContain(T2);
      await refused(
        setQuotas(programme.id, 2026, [{ jurisdictionCode: UNKNOWN, people: 5 }]),
        400,
        'JURISDICTION_UNKNOWN',
      );
      await refused(
        setQuotas(programme.id, 2026, [{ jurisdictionCode: T1_V1, people: 5 }]),
        400,
        'PROGRAMME_QUOTA_NOT_TOWNSHIP',
      );
      await refused(
        setQuotas(programme.id, 2031, [{ jurisdictionCode: T1, people: 5 }]),
        400,
        'PROGRAMME_YEAR_OUTSIDE',
      );
      await refused(
        setQuotas(programme.id, 2026, [
          { jurisdictionCode: T1, people: 5 },
          { jurisdictionCode: T1, people: 6 },
        ]),
        400,
        'PROGRAMME_QUOTA_DUPLICATE',
      );
      await refused(
        setQuotas(programme.id, 2026, [{ jurisdictionCode: T1, people: 5 }], tokens.education),
        404,
        'PROGRAMME_NOT_FOUND',
      );
      await refused(
        setQuotas(programme.id, 2026, [{ jurisdictionCode: T1, people: 5 }], tokens.t1Officer),
        403,
        'ROLE_REQUIRED',
      );
    });

    it('when a quota is below the people already trained there, then 409 PROGRAMME_QUOTA_BELOW_TRAINED names the township and count, and nothing changes', async () => {
      const programme = await create();
      expect(
        (
          await setQuotas(programme.id, 2026, [
            { jurisdictionCode: T1, people: 50 },
            { jurisdictionCode: T2, people: 20 },
          ])
        ).status,
      ).toBe(200);
      await train(programme.id, T1, 12);
      await train(programme.id, T2, 4);
      // Another year's trainees do not count against 2026.
      await train(programme.id, T1, 30, { year: 2027 });

      const message = await refused(
        setQuotas(programme.id, 2026, [
          { jurisdictionCode: T1, people: 11 },
          { jurisdictionCode: T2, people: 20 },
        ]),
        409,
        'PROGRAMME_QUOTA_BELOW_TRAINED',
      );
      expect(message).toContain(`${T1}: quota 11, 12 already trained`);
      await refused(
        setQuotas(programme.id, 2026, [{ jurisdictionCode: T1, people: 12 }]),
        409,
        'PROGRAMME_QUOTA_BELOW_TRAINED',
      );

      const after = await call('GET', `/v1/training/programmes/${programme.id}`, tokens.nongban);
      expect(after.body).toMatchObject({
        version: 2,
        quotas: [
          { year: 2026, jurisdictionCode: T1, people: 50 },
          { year: 2026, jurisdictionCode: T2, people: 20 },
        ],
      });
      expect(
        (
          await setQuotas(programme.id, 2026, [
            { jurisdictionCode: T1, people: 12 },
            { jurisdictionCode: T2, people: 4 },
          ])
        ).status,
      ).toBe(200);
    });
  });

  describe('launch and close', () => {
    it('when the lead department launches a draft, then TrainingProgrammeLaunched is published with the first year’s quota and routing', async () => {
      const programme = await create();
      await setQuotas(programme.id, 2026, [
        { jurisdictionCode: T1, people: 100 },
        { jurisdictionCode: T2, people: 10 },
      ]);
      const path = `/v1/training/programmes/${programme.id}`;

      await refused(
        call('POST', `${path}:launch`, tokens.nongban, {}, { 'if-match': '"1"' }),
        409,
        'VERSION_CONFLICT',
      );
      await refused(
        call('POST', `${path}:launch`, tokens.education, {}),
        404,
        'PROGRAMME_NOT_FOUND',
      );
      const reply = await call('POST', `${path}:launch`, tokens.nongban, {}, { 'if-match': '"2"' });

      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toMatchObject({
        status: 'launched',
        launchedAt: NOW.toISOString(),
        version: 3,
      });
      const [event] = await eventually('the launch event', () => {
        const found = launchEvents(programme.id);
        return found.length > 0 ? found : undefined;
      });
      expect(event?.data).toMatchObject({
        programmeId: programme.id,
        title: '十万农村劳动力素质培训工程',
        firstYear: 2026,
        lastYear: 2028,
        targetGroups: ['TRAINING_TARGET_GROUP_RURAL_LABOUR', 'TRAINING_TARGET_GROUP_FARMERS'],
        categories: ['CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS'],
        firstYearQuota: 110,
        requiredMinutes: 2400,
        launchedAt: NOW.toISOString(),
        routing: {
          programmeId: programme.id,
          leadDepartment: 'nongban',
          jurisdictionPath: [CITY],
          organizerKind: 'ORGANIZER_KIND_DEPARTMENT',
          organizerId: 'nongban',
        },
      });
      await refused(call('POST', `${path}:launch`, tokens.nongban, {}), 409, 'PROGRAMME_NOT_DRAFT');
      expect(launchEvents(programme.id)).toHaveLength(1);
    });

    it('when a programme whose last year is over is launched, then 409 PROGRAMME_ALREADY_ENDED', async () => {
      const programme = await create({ firstYear: 2024, lastYear: 2025 });
      await refused(
        call('POST', `/v1/training/programmes/${programme.id}:launch`, tokens.nongban, {}),
        409,
        'PROGRAMME_ALREADY_ENDED',
      );
    });

    it('when a launched programme is closed, then nothing in it changes any more', async () => {
      const programme = await launched();
      const path = `/v1/training/programmes/${programme.id}`;
      await refused(
        call('POST', `/v1/training/programmes/${(await create()).id}:close`, tokens.nongban, {}),
        409,
        'PROGRAMME_NOT_LAUNCHED',
      );

      const closed = await call('POST', `${path}:close`, tokens.nongban, {});
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      expect(closed.body['status']).toBe('closed');
      await refused(
        setQuotas(programme.id, 2026, [{ jurisdictionCode: T1, people: 5 }]),
        409,
        'PROGRAMME_CLOSED',
      );
      await refused(call('PATCH', path, tokens.nongban, { title: '改' }), 409, 'PROGRAMME_CLOSED');
      await refused(
        call('POST', `${path}:close`, tokens.nongban, {}),
        409,
        'PROGRAMME_NOT_LAUNCHED',
      );
    });
  });

  describe('progress', () => {
    let programmeId: string;

    beforeAll(async () => {
      const programme = await create();
      programmeId = programme.id;
      await setQuotas(programmeId, 2026, [
        { jurisdictionCode: T1, people: 100 },
        { jurisdictionCode: T2, people: 10 },
      ]);
      // T1: 10 trained (3 completed in May), far behind 100 × 182/365; T2: 8 of 10, ahead.
      await train(programmeId, T1, 6, {
        month: '2026-03',
        completed: 3,
        completedMonth: '2026-05',
      });
      await train(programmeId, T1, 4, { month: '2026-04', groups: ['farmers', 'rural_labour'] });
      await train(programmeId, T2, 8, { month: '2026-04', groups: ['farmers'] });
      // T3 has trainees but no quota; another year's do not count.
      await train(programmeId, T3, 2, { month: '2026-06' });
      await train(programmeId, T1, 50, { year: 2027, month: '2027-02' });
      const reply = await call(
        'POST',
        `/v1/training/programmes/${programmeId}:launch`,
        tokens.nongban,
        {},
      );
      expect(reply.status).toBe(200);
    });

    const progress = async (token: string, query = '?year=2026'): Promise<ProgressBody> => {
      const reply = await call(
        'GET',
        `/v1/training/programmes/${programmeId}/progress${query}`,
        token,
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body as unknown as ProgressBody;
    };

    it('when the lead department reads the year, then each township is counted against its quota, with the ones behind and a forecast', async () => {
      const report = await progress(tokens.nongban);

      expect(report.elapsedFraction).toBeCloseTo(ELAPSED, 9);
      expect(report.countedWithin).toEqual([CITY]);
      expect(report.townships).toEqual([
        {
          jurisdictionCode: T1,
          quota: 100,
          trained: 10,
          completed: 3,
          expectedByNow: Math.round(100 * ELAPSED),
          behind: true,
          forecast: Math.round(10 / ELAPSED),
        },
        {
          jurisdictionCode: T2,
          quota: 10,
          trained: 8,
          completed: 0,
          expectedByNow: Math.round(10 * ELAPSED),
          behind: false,
          forecast: Math.round(8 / ELAPSED),
        },
        {
          jurisdictionCode: T3,
          quota: 0,
          trained: 2,
          completed: 0,
          expectedByNow: 0,
          behind: false,
          forecast: Math.round(2 / ELAPSED),
        },
      ]);
      expect(report.behind).toEqual([T1]);
      expect(report.total).toEqual({
        quota: 110,
        trained: 20,
        completed: 3,
        expectedByNow: Math.round(110 * ELAPSED),
        behind: true,
        forecast: Math.round(20 / ELAPSED),
      });
      expect(report.targetGroups).toEqual([
        { targetGroup: 'farmers', trained: 12, completed: 0 },
        { targetGroup: 'rural_labour', trained: 12, completed: 3 },
      ]);
      expect(report.months).toEqual([
        { month: '2026-03', trained: 6, completed: 0 },
        { month: '2026-04', trained: 12, completed: 0 },
        { month: '2026-05', trained: 0, completed: 3 },
        { month: '2026-06', trained: 2, completed: 0 },
      ]);
    });

    it('when no year is named, then the current one is reported; a year outside the programme is 400', async () => {
      expect((await progress(tokens.admin, '')).year).toBe(2026);
      await refused(
        call('GET', `/v1/training/programmes/${programmeId}/progress?year=2029`, tokens.nongban),
        400,
        'PROGRAMME_YEAR_OUTSIDE',
      );
    });

    it('when a later year is read, then nothing has passed of it: nobody behind, no forecast', async () => {
      const report = await progress(tokens.nongban, '?year=2027');

      expect(report.elapsedFraction).toBe(0);
      expect(report.total).toMatchObject({ trained: 50, behind: false, forecast: null });
    });

    it('when an area officer reads it, then only their townships are shown and totalled', async () => {
      const report = await progress(tokens.t1Officer);

      expect(report.countedWithin).toEqual([T1]);
      expect(report.townships.map((township) => township.jurisdictionCode)).toEqual([T1]);
      expect(report.total).toMatchObject({ quota: 100, trained: 10, completed: 3, behind: true });
      expect(report.behind).toEqual([T1]);
      expect(report.targetGroups).toEqual([
        { targetGroup: 'farmers', trained: 4, completed: 0 },
        { targetGroup: 'rural_labour', trained: 10, completed: 3 },
      ]);

      const cityWide = await progress(tokens.cityOfficer);
      expect(cityWide.total.trained).toBe(20);
    });

    it('when an area officer is outside a township programme’s area, or the reader is another department, then it is not found', async () => {
      const township = await launched({ jurisdictionCode: T2 });
      await refused(
        call('GET', `/v1/training/programmes/${township.id}/progress`, tokens.t1Officer),
        404,
        'PROGRAMME_NOT_FOUND',
      );
      expect(
        (await call('GET', `/v1/training/programmes/${township.id}/progress`, tokens.t2Officer))
          .status,
      ).toBe(200);
      await refused(
        call('GET', `/v1/training/programmes/${programmeId}/progress`, tokens.education),
        404,
        'PROGRAMME_NOT_FOUND',
      );
      await refused(
        call('GET', `/v1/training/programmes/${programmeId}/progress`, tokens.participant),
        403,
        'ROLE_REQUIRED',
      );
    });

    it('when the lead department lists its programmes, then each running this year carries this year’s city-wide figure', async () => {
      const reply = await call(
        'GET',
        '/v1/training/programmes?leadDepartment=nongban&status=launched&year=2026&pageSize=200',
        tokens.nongban,
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const items = reply.body['items'] as ProgrammeBody[];
      expect(items.find((item) => item.id === programmeId)?.thisYear).toEqual({
        year: 2026,
        quota: 110,
        trained: 20,
        completed: 3,
      });
      expect(
        items.every((item) => item.status === 'launched' && item.leadDepartment === 'nongban'),
      ).toBe(true);
    });
  });

  describe('lists', () => {
    it('when an area officer lists, then launched programmes overlapping their area are there, drafts and other areas’ are not, and no figure', async () => {
      const cityWide = await launched({ title: '城市' });
      const inT1 = await launched({ title: '一镇', jurisdictionCode: T1 });
      const inT2 = await launched({ title: '二镇', jurisdictionCode: T2 });
      const draft = await create({ title: '草稿' });

      const ids: string[] = [];
      let pageToken: string | null = null;
      do {
        const query: string =
          pageToken === null ? '' : `&pageToken=${encodeURIComponent(pageToken)}`;
        const reply = await call(
          'GET',
          `/v1/training/programmes?pageSize=2${query}`,
          tokens.t1Officer,
        );
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        const items = reply.body['items'] as ProgrammeBody[];
        expect(items.length).toBeLessThanOrEqual(2);
        expect(items.every((item) => item.thisYear === null)).toBe(true);
        ids.push(...items.map((item) => item.id));
        pageToken = reply.body['nextPageToken'] as string | null;
      } while (pageToken !== null);

      expect(ids).toEqual(expect.arrayContaining([cityWide.id, inT1.id]));
      expect(ids).not.toContain(inT2.id);
      expect(ids).not.toContain(draft.id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('when a department officer lists, then only their department’s programmes are there; filters narrow', async () => {
      const mine = await create(
        { title: '教育', leadDepartment: 'jiaoyu-ju', targetGroups: ['employees'], lastYear: 2026 },
        tokens.education,
      );
      const reply = await call('GET', '/v1/training/programmes?pageSize=200', tokens.education);
      const items = reply.body['items'] as ProgrammeBody[];
      expect(items.map((item) => item.id)).toContain(mine.id);
      expect(items.every((item) => item.leadDepartment === 'jiaoyu-ju')).toBe(true);

      const byGroup = await call(
        'GET',
        '/v1/training/programmes?targetGroup=farmers&pageSize=200',
        tokens.education,
      );
      expect((byGroup.body['items'] as ProgrammeBody[]).map((item) => item.id)).not.toContain(
        mine.id,
      );
      const byYear = await call(
        'GET',
        '/v1/training/programmes?year=2027&pageSize=200',
        tokens.education,
      );
      expect((byYear.body['items'] as ProgrammeBody[]).map((item) => item.id)).not.toContain(
        mine.id,
      );
      const byStatus = await call(
        'GET',
        '/v1/training/programmes?status=draft&pageSize=200',
        tokens.education,
      );
      expect((byStatus.body['items'] as ProgrammeBody[]).map((item) => item.id)).toContain(mine.id);
    });
  });
});

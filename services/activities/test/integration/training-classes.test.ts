import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { createLocalIssuer, createTokenVerifier } from '@learning/auth';
import { topics } from '@learning/events';
import { createGrpcClient, createGrpcServer, type GrpcServer } from '@learning/grpc';
import { activities, common, lectures, seating } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { programmeModel } from '../../src/adapters/mongo/training-models.js';
import {
  about,
  at,
  CITY,
  eventOf,
  HOUR,
  idNumberOf,
  registerOrganization,
  request,
  T1,
  T1_V1,
  T2_V1,
  type Reply,
} from '../support/activities.js';
import { useActivitiesStack } from '../support/stack.js';

const ACTIVE_EXPERT = randomUUID();
const RETIRED_EXPERT = randomUUID();

/** Lectures' expert pool on a real gRPC socket, checking activities' service token. */
async function startExpertPool(): Promise<{
  address: string;
  token: string;
  stop: () => Promise<void>;
}> {
  const issuer = await createLocalIssuer({ issuer: 'lectures-pool', audience: 'lectures-pool' });
  const server: GrpcServer = createGrpcServer({
    logger: captureLogger('expert-pool').logger,
    registry: new Registry(),
    auth: createTokenVerifier({
      issuer: issuer.issuer,
      audience: issuer.audience,
      jwks: issuer.jwks,
    }),
    readiness: {},
  });
  const pool = new Map<string, { name: string; status: lectures.ExpertStatus }>([
    [ACTIVE_EXPERT, { name: '王农艺师', status: lectures.ExpertStatus.EXPERT_STATUS_ACTIVE }],
    [RETIRED_EXPERT, { name: '李退休', status: lectures.ExpertStatus.EXPERT_STATUS_RETIRED }],
  ]);
  server.addService(lectures.ExpertDirectoryServiceService, {
    getExperts(request) {
      return {
        experts: request.expertIds.flatMap((id) => {
          const expert = pool.get(id);
          return expert === undefined ? [] : [{ expertId: id, fields: [], ...expert }];
        }),
      };
    },
  });
  const port = await server.listen('127.0.0.1', 0);
  const token = await issuer.sign(
    { subject: 'service:activities', roles: ['service'], service: 'activities', cityWide: true },
    { expiresIn: '2h' },
  );
  return { address: `127.0.0.1:${port}`, token, stop: () => server.stop(500) };
}

describeWithServers(['mongo', 'kafka', 'redis'], 'training classes', (servers) => {
  const database = uniqueName('activities-training');
  let pool: Awaited<ReturnType<typeof startExpertPool>>;
  beforeAll(async () => {
    pool = await startExpertPool();
  });
  const stack = useActivitiesStack(servers, () => ({
    MONGODB_DATABASE: database,
    LECTURES_GRPC_ADDRESS: pool.address,
    LECTURES_SERVICE_TOKEN: pool.token,
  }));
  let connection: Connection;
  let watch: TopicWatch;
  const programme = randomUUID();
  const draftProgramme = randomUUID();
  const enterpriseProgramme = randomUUID();
  let community: string;
  let otherCommunity: string;
  let enterprise: string;
  const tokens = {} as Record<
    | 'admin'
    | 'lead'
    | 'communityAdmin'
    | 'otherAdmin'
    | 'enterpriseAdmin'
    | 't1'
    | 't2'
    | 'service',
    string
  >;

  const insertProgramme = async (
    id: string,
    fields: { status: 'draft' | 'launched'; enterpriseId?: string; path?: string[] },
  ) => {
    const now = new Date();
    await programmeModel(connection).create({
      _id: id,
      title: '十万农村劳动力素质培训',
      description: '',
      leadDepartment: 'nongye-nongcun-ju',
      jurisdictionPath: fields.path ?? [CITY, T1],
      firstYear: now.getFullYear(),
      lastYear: now.getFullYear() + 1,
      targetGroups: ['rural_labour', 'farmers'],
      categories: ['science_culture_skills'],
      requiredMinutes: 240,
      skillsTest: false,
      quotas: [],
      status: fields.status,
      enterpriseId: fields.enterpriseId ?? null,
      createdBy: 'test',
      createdAt: now,
      updatedAt: now,
      launchedAt: fields.status === 'launched' ? now : null,
      version: 1,
      outbox: [],
    });
  };

  /** A class body: two evening sessions starting tomorrow in a T1 village. */
  const classBody = (overrides: Record<string, unknown> = {}) => ({
    programmeId: programme,
    title: '设施蔬菜种植技术班',
    organizer: { kind: 'organization', organizationId: community },
    jurisdictionCode: T1_V1,
    venueName: '村文化礼堂',
    address: '一号路',
    sessions: [
      { start: at(24 * HOUR), end: at(26 * HOUR), topic: '育苗' },
      { start: at(48 * HOUR), end: at(50 * HOUR), topic: '病虫害' },
    ],
    capacity: 1,
    targetGroups: ['farmers'],
    trainers: [{ expertId: ACTIVE_EXPERT }, { name: '村技术员' }],
    ...overrides,
  });

  const expectRefused = (reply: Reply, status: number, code: string) => {
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    expect(reply.body['code']).toBe(code);
  };

  beforeAll(async () => {
    connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    watch = await watchTopics(servers.kafka, [topics.activitiesTraining.name]);
    const applicant = await stack.token({
      subject: `applicant-${randomUUID()}`,
      roles: ['org_admin'],
    });
    const created = await stack.registration.send('POST', '/v1/organizations', applicant, {
      kind: 'enterprise',
      name: `企业 ${randomUUID().slice(0, 8)}`,
      jurisdictionCode: T1_V1,
    });
    enterprise = ((await created.json()) as { id: string }).id;
    [community, otherCommunity] = await Promise.all([
      registerOrganization(stack),
      registerOrganization(stack),
    ]);
    tokens.admin = await stack.token({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    tokens.lead = await stack.token({
      subject: 'lead-officer',
      roles: ['department_officer'],
      department: 'nongye-nongcun-ju',
      cityWide: true,
    });
    tokens.communityAdmin = await stack.token({
      subject: 'community-admin',
      roles: ['org_admin'],
      organizations: [community],
    });
    tokens.otherAdmin = await stack.token({
      subject: 'other-admin',
      roles: ['org_admin'],
      organizations: [otherCommunity],
    });
    tokens.enterpriseAdmin = await stack.token({
      subject: 'enterprise-admin',
      roles: ['org_admin'],
      organizations: [enterprise],
    });
    tokens.t1 = await stack.token({ subject: 't1', roles: ['area_officer'], jurisdictions: [T1] });
    tokens.t2 = await stack.token({
      subject: 't2',
      roles: ['area_officer'],
      jurisdictions: ['330281002000'],
    });
    tokens.service = await stack.token({
      subject: 'service:registration',
      roles: ['service'],
      service: 'registration',
      cityWide: true,
    });
    await insertProgramme(programme, { status: 'launched' });
    await insertProgramme(draftProgramme, { status: 'draft' });
    await insertProgramme(enterpriseProgramme, {
      status: 'launched',
      enterpriseId: enterprise,
      path: [CITY],
    });
  });
  afterAll(async () => {
    await watch.stop();
    await connection.close();
    await pool.stop();
  });

  let classId: string;
  let version: number;

  it('when a class is drafted wrongly, then each refusal has its stable code and nothing is written', async () => {
    const post = (token: string, body: unknown) =>
      request(stack, 'POST', '/v1/training/classes', token, body);
    expectRefused(await post(tokens.otherAdmin, classBody()), 403, 'TRAINING_CLASS_FORBIDDEN');
    expectRefused(
      await post(tokens.communityAdmin, classBody({ jurisdictionCode: T2_V1 })),
      400,
      'TRAINING_CLASS_OUTSIDE_PROGRAMME_AREA',
    );
    expectRefused(
      await post(tokens.communityAdmin, classBody({ targetGroups: ['workers'] })),
      400,
      'TRAINING_CLASS_TARGET_GROUP_OUTSIDE_PROGRAMME',
    );
    expectRefused(
      await post(tokens.communityAdmin, classBody({ trainers: [{ expertId: randomUUID() }] })),
      400,
      'TRAINING_CLASS_EXPERT_UNKNOWN',
    );
    expectRefused(
      await post(tokens.communityAdmin, classBody({ trainers: [{ expertId: RETIRED_EXPERT }] })),
      400,
      'TRAINING_CLASS_EXPERT_UNKNOWN',
    );
    expectRefused(
      await post(
        tokens.communityAdmin,
        classBody({
          sessions: [
            { start: at(24 * HOUR), end: at(27 * HOUR) },
            { start: at(26 * HOUR), end: at(28 * HOUR) },
          ],
        }),
      ),
      400,
      'SCHEDULE_SESSIONS_OVERLAP',
    );
    expectRefused(
      await post(tokens.communityAdmin, classBody({ programmeId: draftProgramme })),
      409,
      'TRAINING_CLASS_PROGRAMME_NOT_OPEN',
    );
    expectRefused(
      await post(tokens.communityAdmin, classBody({ programmeId: randomUUID() })),
      400,
      'TRAINING_CLASS_PROGRAMME_UNKNOWN',
    );
    const list = await request(stack, 'GET', '/v1/training/classes', tokens.admin);
    expect(list.body['items']).toEqual([]);
  });

  it('when the organizer drafts and edits a class, then trainers are named from the pool and edits need the ETag', async () => {
    const created = await request(
      stack,
      'POST',
      '/v1/training/classes',
      tokens.communityAdmin,
      classBody(),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      public: true,
      leadDepartment: 'nongye-nongcun-ju',
      categories: ['science_culture_skills'],
      learningMinutes: 240,
      trainers: [
        { expertId: ACTIVE_EXPERT, name: '王农艺师' },
        { expertId: null, name: '村技术员' },
      ],
      organizer: { kind: 'organization', organizationId: community, organizationKind: 'community' },
    });
    classId = created.body['id'] as string;
    const sessions = created.body['sessions'] as { id: string }[];
    expect(sessions).toHaveLength(2);

    const patch = (headers: Record<string, string>, body: unknown) =>
      stack.activities
        .send('PATCH', `/v1/training/classes/${classId}`, tokens.communityAdmin, body, { headers })
        .then(async (response) => ({
          status: response.status,
          etag: response.headers.get('etag'),
          body: (await response.json()) as Record<string, unknown>,
        }));
    expectRefused(await patch({}, { title: '新' }), 400, 'TRAINING_CLASS_VERSION_REQUIRED');
    expectRefused(await patch({ 'if-match': '"7"' }, { title: '新' }), 409, 'VERSION_CONFLICT');
    expectRefused(await patch({ 'if-match': '"1"' }, {}), 400, 'TRAINING_CLASS_CHANGE_EMPTY');
    const edited = await patch(
      { 'if-match': '"1"' },
      {
        title: '设施蔬菜种植技术培训班',
        sessions: [
          { id: sessions[0]?.id, start: at(25 * HOUR), end: at(27 * HOUR), topic: '育苗' },
          { start: at(48 * HOUR), end: at(50 * HOUR), topic: '病虫害' },
        ],
      },
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.etag).toBe('"2"');
    const editedSessions = edited.body['sessions'] as { id: string }[];
    expect(editedSessions[0]?.id).toBe(sessions[0]?.id);
    expect(editedSessions[1]?.id).not.toBe(sessions[1]?.id);
    version = 2;

    // Outside the organization and the area, the class is not there.
    expectRefused(
      await request(stack, 'GET', `/v1/training/classes/${classId}`, tokens.otherAdmin),
      404,
      'TRAINING_CLASS_NOT_FOUND',
    );
    expectRefused(
      await request(stack, 'GET', `/v1/training/classes/${classId}`, tokens.t2),
      404,
      'TRAINING_CLASS_NOT_FOUND',
    );
    expectRefused(
      await request(
        stack,
        'POST',
        `/v1/training/classes/${classId}:publish`,
        tokens.otherAdmin,
        {},
      ),
      404,
      'TRAINING_CLASS_NOT_FOUND',
    );
    const ids = async (token: string, path = '/v1/training/classes') =>
      ((await request(stack, 'GET', path, token)).body['items'] as { id: string }[]).map(
        (c) => c.id,
      );
    expect(await ids(tokens.t1)).toEqual([classId]);
    expect(await ids(tokens.lead)).toEqual([classId]);
    expect(await ids(tokens.t2)).toEqual([]);
    expect(await ids(tokens.otherAdmin)).toEqual([]);
    expect(await ids(tokens.lead, `/v1/training/programmes/${programme}/classes`)).toEqual([
      classId,
    ]);
    expect(await ids(tokens.lead, `/v1/training/programmes/${draftProgramme}/classes`)).toEqual([]);
  });

  it('when it is published, then TrainingClassPublished carries its routing, and publishing twice is refused', async () => {
    const published = await request(
      stack,
      'POST',
      `/v1/training/classes/${classId}:publish`,
      tokens.lead,
      {},
    );
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body['status']).toBe('published');
    version = published.body['version'] as number;
    expectRefused(
      await request(stack, 'POST', `/v1/training/classes/${classId}:publish`, tokens.lead, {}),
      409,
      'TRAINING_CLASS_TRANSITION_NOT_ALLOWED',
    );
    const [message] = await watch.waitFor(
      'TrainingClassPublished',
      about(classId, activityEvents.TrainingClassPublished.type),
    );
    if (message === undefined) throw new Error('no event');
    const event = activityEvents.TrainingClassPublished.codec.fromJSON(eventOf(message).data);
    expect(event).toMatchObject({
      classId,
      capacity: 1,
      sessionCount: 2,
      learningMinutes: 240,
      public: true,
      routing: {
        programmeId: programme,
        leadDepartment: 'nongye-nongcun-ju',
        jurisdictionPath: [CITY, T1, T1_V1],
        organizerKind: activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION,
        organizerId: community,
        organizationKind: common.OrganizationKind.ORGANIZATION_KIND_COMMUNITY,
      },
    });
  });

  it('when registration asks for its seats, then the class comes with its sessions, and people sign up until it is full', async () => {
    const client = createGrpcClient(seating.SeatedEventSourceServiceClient, {
      address: `127.0.0.1:${stack.activities.ports.grpcPort}`,
      logger: captureLogger('client').logger,
      deadlineMs: 5_000,
      idempotentMethods: [],
      tokenProvider: () => tokens.service,
    });
    try {
      const { event } = await client.call.getSeatedEvent({ eventId: classId });
      expect(event).toMatchObject({
        eventId: classId,
        capacity: 1,
        status: seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED,
        jurisdictionPath: [CITY, T1, T1_V1],
        organizerOrganizationId: community,
        learningMinutes: 240,
        audience: { areaRootCodes: [T1], organizationIds: [] },
      });
      expect(event?.sessions.map((s) => s.learningMinutes)).toEqual([120, 120]);
      expect(event?.signUpClosesAt?.getTime()).toBe(event?.startsAt?.getTime());
      expect(event?.audience?.targetTiers).not.toContain(common.Tier.TIER_PUPIL);
      const draft = await request(
        stack,
        'POST',
        '/v1/training/classes',
        tokens.communityAdmin,
        classBody(),
      );
      await expect(
        client.call.getSeatedEvent({ eventId: draft.body['id'] as string }),
      ).rejects.toMatchObject({ kind: 'not_found' });
      await expect(client.call.getSeatedEvent({ eventId: randomUUID() })).rejects.toMatchObject({
        kind: 'not_found',
      });
    } finally {
      client.close();
    }

    const statuses: string[] = [];
    for (const n of [1, 2]) {
      const token = await stack.token({
        subject: `trainee-${n}-${randomUUID().slice(0, 8)}`,
        roles: ['participant'],
      });
      const registered = await stack.registration.send('POST', '/v1/participants', token, {
        name: `学员${n}`,
        tier: 'ordinary_citizen',
        homeJurisdiction: T1_V1,
        idNumber: idNumberOf(900 + n),
        language: 'zh-CN',
        consent: { notifications: true },
      });
      expect(registered.status, await registered.text()).toBe(201);
      const signUp = await stack.registration.send('POST', '/v1/enrollments', token, {
        owner: 'training',
        eventId: classId,
      });
      const body = (await signUp.json()) as Record<string, unknown>;
      expect(signUp.status, JSON.stringify(body)).toBe(201);
      statuses.push(body['status'] as string);
    }
    expect(statuses).toEqual(['confirmed', 'waitlisted']);
  });

  it('when the public looks for open classes, then it sees published public classes with no personal data', async () => {
    const enterpriseClass = await request(
      stack,
      'POST',
      '/v1/training/classes',
      tokens.enterpriseAdmin,
      classBody({
        programmeId: enterpriseProgramme,
        organizer: { kind: 'organization', organizationId: enterprise },
        trainers: [],
      }),
    );
    expect(enterpriseClass.status, JSON.stringify(enterpriseClass.body)).toBe(201);
    expect(enterpriseClass.body['public']).toBe(false);
    const privateId = enterpriseClass.body['id'] as string;
    expect(
      (
        await request(
          stack,
          'POST',
          `/v1/training/classes/${privateId}:publish`,
          tokens.enterpriseAdmin,
          {},
        )
      ).status,
    ).toBe(200);

    const list = await request(
      stack,
      'GET',
      `/v1/public/training/classes?jurisdictionCode=${T1}`,
      null,
    );
    expect(list.status).toBe(200);
    const items = list.body['items'] as Record<string, unknown>[];
    expect(items.map((item) => item['id'])).toEqual([classId]);
    expect(items[0]).not.toHaveProperty('createdBy');
    expect(items[0]?.['organizer']).toEqual({ kind: 'organization' });
    const none = await request(
      stack,
      'GET',
      '/v1/public/training/classes?targetGroup=rural_labour',
      null,
    );
    expect(none.body['items']).toEqual([]);
    const elsewhere = await request(
      stack,
      'GET',
      '/v1/public/training/classes?jurisdictionCode=330281002000',
      null,
    );
    expect(elsewhere.body['items']).toEqual([]);
    expect(
      (await request(stack, 'GET', `/v1/public/training/classes/${classId}`, null)).status,
    ).toBe(200);
    expectRefused(
      await request(stack, 'GET', `/v1/public/training/classes/${privateId}`, null),
      404,
      'TRAINING_CLASS_NOT_FOUND',
    );

    // The enterprise's own class admits only its members.
    const client = createGrpcClient(seating.SeatedEventSourceServiceClient, {
      address: `127.0.0.1:${stack.activities.ports.grpcPort}`,
      logger: captureLogger('client').logger,
      deadlineMs: 5_000,
      idempotentMethods: [],
      tokenProvider: () => tokens.service,
    });
    try {
      const { event } = await client.call.getSeatedEvent({ eventId: privateId });
      expect(event?.audience?.organizationIds).toEqual([enterprise]);
    } finally {
      client.close();
    }
  });

  it('when it is rescheduled and cancelled, then the events say so once, and cancelling twice is refused', async () => {
    const moved = await request(
      stack,
      'POST',
      `/v1/training/classes/${classId}:reschedule`,
      tokens.communityAdmin,
      {
        capacity: 2,
        reason: '场地调整',
      },
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body['capacity']).toBe(2);
    expect(moved.body['version']).toBe(version + 1);
    expectRefused(
      await request(
        stack,
        'POST',
        `/v1/training/classes/${classId}:reschedule`,
        tokens.communityAdmin,
        {
          capacity: 2,
          reason: '再调整',
        },
      ),
      400,
      'TRAINING_CLASS_RESCHEDULE_EMPTY',
    );
    const [rescheduled] = await watch.waitFor(
      'TrainingClassRescheduled',
      about(classId, activityEvents.TrainingClassRescheduled.type),
    );
    if (rescheduled === undefined) throw new Error('no event');
    const data = activityEvents.TrainingClassRescheduled.codec.fromJSON(eventOf(rescheduled).data);
    expect(data).toMatchObject({ classId, capacity: 2, reason: '场地调整' });
    expect(data.previousStartsAt?.getTime()).toBe(data.startsAt?.getTime());

    expect(
      (
        await request(
          stack,
          'POST',
          `/v1/training/classes/${classId}:cancel`,
          tokens.communityAdmin,
          {},
        )
      ).body['code'],
    ).toBe('VALIDATION_FAILED');
    const cancelled = await request(
      stack,
      'POST',
      `/v1/training/classes/${classId}:cancel`,
      tokens.communityAdmin,
      {
        reason: '暴雨预警',
      },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellationReason: '暴雨预警' });
    expectRefused(
      await request(
        stack,
        'POST',
        `/v1/training/classes/${classId}:cancel`,
        tokens.communityAdmin,
        {
          reason: '再次取消',
        },
      ),
      409,
      'TRAINING_CLASS_TRANSITION_NOT_ALLOWED',
    );
    const [cancel] = await watch.waitFor(
      'TrainingClassCancelled',
      about(classId, activityEvents.TrainingClassCancelled.type),
    );
    if (cancel === undefined) throw new Error('no event');
    expect(
      activityEvents.TrainingClassCancelled.codec.fromJSON(eventOf(cancel).data),
    ).toMatchObject({
      classId,
      reason: '暴雨预警',
      routing: { programmeId: programme },
    });
    expect(
      (await request(stack, 'GET', '/v1/public/training/classes', null)).body['items'],
    ).toEqual([]);
  });
});

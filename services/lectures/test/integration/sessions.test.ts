import { randomUUID } from 'node:crypto';
import { enrollmentEvents, lectureEvents } from '@learning/contracts';
import { topics } from '@learning/events';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { REPLAYED_HEADER } from '@learning/http';
import { common, lectures, seating } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  openApiProblems,
  residentIdNumber,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionModel } from '../../src/adapters/mongo/sessions.js';
import {
  about,
  addExpert,
  addForum,
  addSeries,
  addVenue,
  CITY,
  DAY,
  eventOf,
  HOUR,
  importStreet,
  STREET,
  STREET_COMMUNITY,
  T1,
  T1_V1,
  T2,
} from '../support/sessions.js';
import { useLecturesStack } from '../support/stack.js';

interface SessionBody {
  id: string;
  forumId: string;
  leadDepartment: string;
  title: string;
  jurisdictionPath: string[];
  venue: { id: string; name: string; setting: string; townshipCode: string };
  startsAt: string;
  endsAt: string;
  speakerIds: string[];
  capacity: number | 'unlimited';
  signUpWindow: { opensAt: string; closesAt: string };
  targetTiers: string[];
  categories: string[];
  campaignId: string | null;
  status: string;
  cancellation: { reason: string } | null;
  version: number;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Far enough ahead that nothing starts in the past while the file runs; a day per test. */
const dayAhead = (n: number, hour: number): Date => {
  const midnight = new Date();
  midnight.setUTCHours(0, 0, 0, 0);
  return new Date(midnight.getTime() + (10 + n) * DAY + hour * HOUR);
};
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describeWithServers(['mongo', 'kafka', 'redis'], 'lecture sessions', (servers) => {
  const database = uniqueName('lectures-sessions');
  const stack = useLecturesStack(servers, { lecturesEnvironment: { MONGODB_DATABASE: database } });
  let db: Connection;
  let watch: TopicWatch;
  const tokens = {} as Record<
    'admin' | 'manager' | 'otherManager' | 'officer' | 'stranger',
    string
  >;
  const venues = {} as Record<'cityHall' | 'cityLibrary' | 'villageHall' | 'townHall', string>;
  const forums = {} as Record<'humanities' | 'youth' | 'retired', string>;
  const experts = {} as Record<'wang' | 'li' | 'zhao' | 'retired', string>;

  beforeAll(async () => {
    tokens.admin = await stack.token({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    tokens.manager = await stack.token({ subject: 'manager-1', roles: ['participant'] });
    tokens.otherManager = await stack.token({ subject: 'manager-2', roles: ['participant'] });
    tokens.officer = await stack.token({
      subject: 'xuanchuan-officer',
      roles: ['department_officer'],
      department: 'xuanchuan-bu',
      cityWide: true,
    });
    tokens.stranger = await stack.token({ subject: 'stranger', roles: ['participant'] });
    await importStreet(stack, tokens.admin);
    venues.cityHall = await addVenue(stack, tokens.admin, '城东文化礼堂', STREET_COMMUNITY);
    venues.cityLibrary = await addVenue(stack, tokens.admin, '城东图书馆', STREET);
    venues.villageHall = await addVenue(stack, tokens.admin, '一村文化礼堂', T1_V1);
    venues.townHall = await addVenue(stack, tokens.admin, '二镇会堂', T2);

    db = createConnection(servers.mongo.uri, { dbName: database });
    await db.asPromise();
    const series = await addSeries(db, 'xuanchuan-bu');
    forums.humanities = await addForum(db, series, {
      name: '人文讲坛',
      managerSubjects: ['manager-1'],
    });
    forums.youth = await addForum(db, series, { name: '青年讲坛', managerSubjects: ['manager-2'] });
    forums.retired = await addForum(db, series, {
      name: '旧讲坛',
      managerSubjects: ['manager-1'],
      status: 'retired',
    });
    const always = [{ startsAt: new Date(), endsAt: new Date(Date.now() + 800 * DAY) }];
    experts.wang = await addExpert(db, {
      displayName: '王教授',
      travelRadius: 'countryside',
      availability: always,
    });
    experts.li = await addExpert(db, {
      displayName: '李研究员',
      travelRadius: 'city',
      availability: always,
    });
    experts.zhao = await addExpert(db, {
      displayName: '赵老师',
      travelRadius: 'countryside',
      availability: [{ startsAt: dayAhead(0, 0), endsAt: dayAhead(1, 0) }],
    });
    experts.retired = await addExpert(db, {
      displayName: '钱先生',
      travelRadius: 'countryside',
      availability: always,
      status: 'retired',
    });
    watch = await watchTopics(servers.kafka, [
      topics.lecturesSessions.name,
      topics.registrationEnrollments.name,
    ]);
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
    const response = await stack.lectures.send(
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
      headers: response.headers,
    };
  }

  const plan = (day: number, overrides: Record<string, unknown> = {}) => ({
    forumId: forums.humanities,
    lectureType: 'history_culture',
    title: '宋韵文化与城市精神',
    description: '漫谈宋韵文化',
    venueId: venues.cityHall,
    startsAt: dayAhead(day, 2).toISOString(),
    endsAt: dayAhead(day, 4).toISOString(),
    speakerIds: [experts.wang],
    capacity: 100,
    ...overrides,
  });

  async function schedule(
    body: Record<string, unknown>,
    token = tokens.manager,
  ): Promise<SessionBody> {
    const reply = await call('POST', '/v1/sessions', token, body);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body as unknown as SessionBody;
  }

  const sessionCount = () => sessionModel(db).countDocuments({});

  describe('scheduling', () => {
    it('when a forum manager schedules a session at a city venue, then it is stored with the venue’s setting and township, and SessionScheduled carries the whole summary', async () => {
      const key = randomUUID();
      const first = await call('POST', '/v1/sessions', tokens.manager, plan(0), {
        'idempotency-key': key,
      });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const session = first.body as unknown as SessionBody;
      expect(session).toMatchObject({
        forumId: forums.humanities,
        leadDepartment: 'wenming-ban',
        title: '宋韵文化与城市精神',
        jurisdictionPath: [CITY, STREET, STREET_COMMUNITY],
        venue: { id: venues.cityHall, name: '城东文化礼堂', setting: 'city', townshipCode: STREET },
        speakerIds: [experts.wang],
        capacity: 100,
        targetTiers: ['ordinary_citizen'],
        categories: ['science_culture_skills'],
        campaignId: null,
        status: 'scheduled',
        version: 1,
      });
      expect(session.signUpWindow.closesAt).toBe(session.startsAt);

      const replay = await call('POST', '/v1/sessions', tokens.manager, plan(0), {
        'idempotency-key': key,
      });
      expect(replay.status).toBe(201);
      expect(replay.headers.get(REPLAYED_HEADER)).toBe('true');
      expect((replay.body as unknown as SessionBody).id).toBe(session.id);
      expect(await sessionModel(db).countDocuments({ _id: session.id })).toBe(1);

      const [message] = await watch.waitFor(
        'SessionScheduled',
        about(session.id, lectureEvents.SessionScheduled.type),
      );
      if (message === undefined) throw new Error('no event');
      const event = lectureEvents.SessionScheduled.codec.fromJSON(eventOf(message).data);
      expect(event).toEqual({
        session: {
          sessionId: session.id,
          forumId: forums.humanities,
          leadDepartment: 'wenming-ban',
          lectureType: 'history_culture',
          title: '宋韵文化与城市精神',
          startsAt: new Date(session.startsAt),
          endsAt: new Date(session.endsAt),
          jurisdictionPath: [CITY, STREET, STREET_COMMUNITY],
          townshipCode: STREET,
          venueSetting: lectures.VenueSetting.VENUE_SETTING_CITY,
          venueId: venues.cityHall,
          venueName: '城东文化礼堂',
          campaignId: '',
          categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
          targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN],
          speakerIds: [experts.wang],
          speakerNames: ['王教授'],
        },
        capacity: 100,
        signUpOpensAt: expect.any(Date) as Date,
        signUpClosesAt: new Date(session.startsAt),
        scheduledAt: expect.any(Date) as Date,
      });

      const audit = await eventually('the schedule in the audit log', async () => {
        const response = await stack.lectures.send(
          'GET',
          `/v1/audit-log?entityId=${session.id}`,
          tokens.admin,
        );
        const page = (await response.json()) as {
          items: { action: string; actor: { subject: string } }[];
        };
        return page.items.length === 1 ? page.items : undefined;
      });
      expect(audit[0]).toMatchObject({
        action: 'session.schedule',
        actor: { subject: 'manager-1' },
      });
    });

    it('when a session at a township venue is scheduled by the office, then its setting is countryside', async () => {
      const session = await schedule(plan(1, { venueId: venues.villageHall }), tokens.officer);
      expect(session.venue).toMatchObject({ setting: 'countryside', townshipCode: T1 });
      expect(session.jurisdictionPath).toEqual([CITY, T1, T1_V1]);
    });

    it('when the speaker lectures elsewhere without time to travel, or the venue is taken, then 409 with codes naming the clashing session, and nothing is stored', async () => {
      const held = await schedule(plan(2));
      const before = await sessionCount();

      // Two hours after the city session ends is not enough to reach the countryside...
      const tooSoon = await call(
        'POST',
        '/v1/sessions',
        tokens.manager,
        plan(2, {
          venueId: venues.townHall,
          startsAt: dayAhead(2, 5).toISOString(),
          endsAt: dayAhead(2, 6).toISOString(),
        }),
      );
      expect(tooSoon.status).toBe(409);
      expect(tooSoon.body['code']).toBe('SESSION_SPEAKER_CLASH');
      expect(tooSoon.body['message']).toContain(held.id);
      expect(tooSoon.body['message']).toContain('王教授');

      // ...but is enough for a venue in the same street.
      const sameStreet = await call(
        'POST',
        '/v1/sessions',
        tokens.manager,
        plan(2, {
          venueId: venues.cityLibrary,
          startsAt: dayAhead(2, 5).toISOString(),
          endsAt: dayAhead(2, 6).toISOString(),
        }),
      );
      expect(sameStreet.status, JSON.stringify(sameStreet.body)).toBe(201);

      const venueTaken = await call(
        'POST',
        '/v1/sessions',
        tokens.manager,
        plan(2, { speakerIds: [experts.li], startsAt: dayAhead(2, 3).toISOString() }),
      );
      expect(venueTaken.status).toBe(409);
      expect(venueTaken.body['code']).toBe('SESSION_VENUE_CLASH');
      expect(venueTaken.body['message']).toContain(held.id);
      expect(await sessionCount()).toBe(before + 1);
    });

    it('when a speaker is out of radius, unavailable, retired or not in the pool, or the forum is retired, then each is refused with its code and nothing is stored', async () => {
      const before = await sessionCount();
      const cases: [Record<string, unknown>, number, string][] = [
        [
          plan(3, { venueId: venues.villageHall, speakerIds: [experts.li] }),
          409,
          'SESSION_SPEAKER_OUT_OF_RADIUS',
        ],
        [plan(3, { speakerIds: [experts.zhao] }), 409, 'SESSION_SPEAKER_UNAVAILABLE'],
        [plan(3, { speakerIds: [experts.retired] }), 409, 'SESSION_SPEAKER_NOT_ACTIVE'],
        [plan(3, { speakerIds: [randomUUID()] }), 400, 'SESSION_SPEAKER_NOT_IN_POOL'],
        [plan(3, { forumId: forums.retired }), 409, 'SESSION_FORUM_NOT_ACTIVE'],
        [plan(3, { forumId: randomUUID() }), 400, 'SESSION_FORUM_UNKNOWN'],
        [plan(3, { venueId: randomUUID() }), 400, 'SESSION_VENUE_UNKNOWN'],
        [plan(3, { endsAt: dayAhead(3, 1).toISOString() }), 400, 'SESSION_TIMES_INVALID'],
        [plan(-20), 400, 'SESSION_IN_PAST'],
        [plan(3, { endsAt: dayAhead(3, 12).toISOString() }), 400, 'SESSION_LENGTH_INVALID'],
        [
          plan(3, {
            signUpWindow: {
              opensAt: dayAhead(1, 0).toISOString(),
              closesAt: dayAhead(3, 3).toISOString(),
            },
          }),
          400,
          'SESSION_SIGN_UP_WINDOW_INVALID',
        ],
        [plan(3, { capacity: 0 }), 400, 'VALIDATION_FAILED'],
        [plan(3, { campaignId: randomUUID() }), 400, 'SESSION_CAMPAIGN_UNKNOWN'],
      ];
      for (const [body, status, code] of cases) {
        const reply = await call('POST', '/v1/sessions', tokens.manager, body);
        expect({ status: reply.status, code: reply.body['code'] }, JSON.stringify(body)).toEqual({
          status,
          code,
        });
      }
      expect(await sessionCount()).toBe(before);
    });

    it('when someone not managing the forum schedules for it, then 403 SESSION_FORBIDDEN; a service token is refused by role', async () => {
      for (const token of [tokens.stranger, tokens.otherManager]) {
        const reply = await call('POST', '/v1/sessions', token, plan(4));
        expect(reply.status).toBe(403);
        expect(reply.body['code']).toBe('SESSION_FORBIDDEN');
      }
      const service = await stack.token({
        subject: 'service:x',
        roles: ['service'],
        service: 'x',
        cityWide: true,
      });
      expect((await call('POST', '/v1/sessions', service, plan(4))).body['code']).toBe(
        'ROLE_REQUIRED',
      );
    });

    it('when a session joins a launched campaign, then it must fall on its dates; a draft campaign is unknown', async () => {
      const created = await stack.activities.send('POST', '/v1/campaigns', tokens.admin, {
        title: `${NEXT_YEAR} 全民学习月`,
        description: '全市每年四月的全民学习月',
        ownerDepartment: 'xuanchuan-bu',
        rule: { kind: 'fixed_window', startMonth: 4, startDay: 1, endMonth: 4, endDay: 30 },
        startsOn: `${NEXT_YEAR}-04-01`,
        endsOn: `${NEXT_YEAR}-04-30`,
        targetTiers: ['ordinary_citizen'],
        categories: ['science_culture_skills'],
        jurisdictionCode: CITY,
        goals: [{ metric: 'activities_per_township', target: 1 }],
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const campaignId = ((await created.json()) as { id: string }).id;
      const draft = await call('POST', '/v1/sessions', tokens.manager, {
        ...plan(5),
        campaignId,
      });
      expect(draft.body['code']).toBe('SESSION_CAMPAIGN_UNKNOWN');
      const launched = await stack.activities.send(
        'POST',
        `/v1/campaigns/${campaignId}:launch`,
        tokens.admin,
        {},
      );
      expect(launched.status, await launched.clone().text()).toBe(200);

      const outside = await call('POST', '/v1/sessions', tokens.manager, {
        ...plan(5),
        campaignId,
      });
      expect(outside.status).toBe(400);
      expect(outside.body['code']).toBe('SESSION_OUTSIDE_CAMPAIGN_DATES');

      const april = new Date(`${NEXT_YEAR}-04-10T02:00:00Z`);
      const inside = await schedule({
        ...plan(0),
        startsAt: april.toISOString(),
        endsAt: new Date(april.getTime() + 90 * 60_000).toISOString(),
        categories: ['ethics_etiquette', 'political_theory'],
        campaignId,
      });
      expect(inside.campaignId).toBe(campaignId);

      // What registration asks at sign-up and carries onto attendance, for scoring.
      const service = await stack.token({
        subject: 'service:registration',
        roles: ['service'],
        service: 'registration',
        cityWide: true,
      });
      const seats = createGrpcClient(seating.SeatedEventSourceServiceClient, {
        address: `127.0.0.1:${stack.lectures.ports.grpcPort}`,
        logger: captureLogger('seating-client').logger,
        idempotentMethods: ['getSeatedEvent'],
        tokenProvider: () => service,
      });
      try {
        const { event } = await seats.call.getSeatedEvent({ eventId: inside.id });
        expect(event).toMatchObject({
          categories: [
            common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
            common.ContentCategory.CONTENT_CATEGORY_POLITICAL_THEORY,
          ],
          campaignId,
          learningMinutes: 90,
        });
      } finally {
        seats.close();
      }
    });
  });

  it('when /openapi.json is read, then the session routes declare their Idempotency-Keys and errors', async () => {
    const docs = (await (await stack.lectures.send('GET', '/openapi.json', null)).json()) as {
      paths: Record<string, unknown>;
    };
    const { problems } = openApiProblems(docs);

    expect(problems).toEqual([]);
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sessions',
        '/v1/sessions/{id}',
        '/v1/sessions/{id}:reschedule',
        '/v1/sessions/{id}:cancel',
      ]),
    );
  });

  describe('reading', () => {
    it('when sessions are listed, then a manager sees their forums’ only, the office all, with filters and cursor pages', async () => {
      const mine = await schedule(plan(6, { title: '青年与创新' }));
      const theirs = await schedule(
        plan(6, { forumId: forums.youth, venueId: venues.cityLibrary, speakerIds: [experts.li] }),
        tokens.otherManager,
      );
      const from = dayAhead(6, 0).toISOString();
      const to = dayAhead(7, 0).toISOString();
      const list = async (token: string, query: string) => {
        const reply = await call('GET', `/v1/sessions?from=${from}&to=${to}${query}`, token);
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        return reply.body as { items: SessionBody[]; nextPageToken: string | null };
      };

      expect((await list(tokens.manager, '')).items.map((s) => s.id)).toEqual([mine.id]);
      expect((await list(tokens.otherManager, '')).items.map((s) => s.id)).toEqual([theirs.id]);
      expect((await list(tokens.stranger, '')).items).toEqual([]);
      expect((await list(tokens.manager, `&forumId=${forums.youth}`)).items).toEqual([]);
      expect((await list(tokens.officer, '')).items.map((s) => s.id).sort()).toEqual(
        [mine.id, theirs.id].sort(),
      );
      const first = await list(tokens.admin, '&pageSize=1');
      expect(first.items).toHaveLength(1);
      expect(first.nextPageToken).not.toBeNull();
      const second = await list(
        tokens.admin,
        `&pageSize=1&pageToken=${encodeURIComponent(first.nextPageToken ?? '')}`,
      );
      expect([...first.items, ...second.items].map((s) => s.id).sort()).toEqual(
        [mine.id, theirs.id].sort(),
      );
      expect((await list(tokens.admin, '&status=cancelled')).items).toEqual([]);

      expect((await call('GET', `/v1/sessions/${mine.id}`, tokens.manager)).status).toBe(200);
      const hidden = await call('GET', `/v1/sessions/${mine.id}`, tokens.otherManager);
      expect(hidden.status).toBe(404);
      expect(hidden.body['code']).toBe('SESSION_NOT_FOUND');
      const backwards = await call('GET', `/v1/sessions?from=${to}&to=${from}`, tokens.admin);
      expect(backwards.body['code']).toBe('SESSION_RANGE_INVALID');
    });
  });

  describe('rescheduling and cancelling', () => {
    it('when a session is moved with a reason, then the rules are checked without itself, the version guards it, and SessionRescheduled says the previous times', async () => {
      const session = await schedule(plan(8));
      const blocker = await schedule(
        plan(8, {
          venueId: venues.cityLibrary,
          startsAt: dayAhead(8, 8).toISOString(),
          endsAt: dayAhead(8, 9).toISOString(),
        }),
      );
      const path = `/v1/sessions/${session.id}:reschedule`;
      const later = {
        startsAt: dayAhead(8, 3).toISOString(),
        endsAt: dayAhead(8, 5).toISOString(),
      };

      const noReason = await call('POST', path, tokens.manager, {
        version: 1,
        reason: ' ',
        ...later,
      });
      expect(noReason.body['code']).toBe('SESSION_REASON_REQUIRED');
      const nothing = await call('POST', path, tokens.manager, { version: 1, reason: '无' });
      expect(nothing.body['code']).toBe('SESSION_CHANGE_EMPTY');
      const clash = await call('POST', path, tokens.manager, {
        version: 1,
        reason: '改期',
        startsAt: dayAhead(8, 7).toISOString(),
        endsAt: dayAhead(8, 8).toISOString(),
      });
      expect(clash.status).toBe(409);
      expect(clash.body['code']).toBe('SESSION_SPEAKER_CLASH');
      expect(clash.body['message']).toContain(blocker.id);
      const foreign = await call('POST', path, tokens.otherManager, {
        version: 1,
        reason: '改期',
        ...later,
      });
      expect(foreign.status).toBe(404);

      // Overlapping its own old times is no clash.
      const moved = await call('POST', path, tokens.manager, {
        version: 1,
        reason: '专家航班改签',
        ...later,
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body).toMatchObject({ ...later, version: 2 });
      const stale = await call('POST', path, tokens.manager, {
        version: 1,
        reason: '再改',
        capacity: 50,
      });
      expect(stale.status).toBe(409);
      expect(stale.body['code']).toBe('VERSION_CONFLICT');

      const [message] = await watch.waitFor(
        'SessionRescheduled',
        about(session.id, lectureEvents.SessionRescheduled.type),
      );
      if (message === undefined) throw new Error('no event');
      expect(lectureEvents.SessionRescheduled.codec.fromJSON(eventOf(message).data)).toMatchObject({
        sessionId: session.id,
        startsAt: new Date(later.startsAt),
        endsAt: new Date(later.endsAt),
        previousStartsAt: new Date(session.startsAt),
        previousEndsAt: new Date(session.endsAt),
        reason: '专家航班改签',
        capacityUnlimited: false,
        jurisdictionPath: [CITY, STREET, STREET_COMMUNITY],
        session: {
          sessionId: session.id,
          forumId: forums.humanities,
          leadDepartment: 'wenming-ban',
        },
      });
    });

    it('when a session is cancelled with a reason, then SessionCancelled is published once and cancelling again is refused', async () => {
      const session = await schedule(plan(9));
      const path = `/v1/sessions/${session.id}:cancel`;
      expect((await call('POST', path, tokens.manager, { reason: '' })).body['code']).toBe(
        'SESSION_REASON_REQUIRED',
      );
      const cancelled = await call('POST', path, tokens.manager, { reason: '场地维修' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        cancellation: { reason: '场地维修' },
      });
      const again = await call('POST', path, tokens.manager, { reason: '再次' });
      expect(again.status).toBe(409);
      expect(again.body['code']).toBe('SESSION_NOT_SCHEDULED');
      const [message] = await watch.waitFor(
        'SessionCancelled',
        about(session.id, lectureEvents.SessionCancelled.type),
      );
      if (message === undefined) throw new Error('no event');
      expect(lectureEvents.SessionCancelled.codec.fromJSON(eventOf(message).data)).toMatchObject({
        sessionId: session.id,
        reason: '场地维修',
        forum: forums.humanities,
        jurisdictionPath: [CITY, STREET, STREET_COMMUNITY],
        session: { sessionId: session.id, townshipCode: STREET },
      });
      // The slot is free again.
      await schedule(plan(9, { title: '替补讲座' }));
    });
  });

  describe('registration’s seats', () => {
    let client: GrpcClient<typeof seating.SeatedEventSourceServiceService>;
    const citizens: string[] = [];

    beforeAll(async () => {
      const service = await stack.token({
        subject: 'service:registration',
        roles: ['service'],
        service: 'registration',
        cityWide: true,
      });
      client = createGrpcClient(seating.SeatedEventSourceServiceClient, {
        address: `127.0.0.1:${stack.lectures.ports.grpcPort}`,
        logger: captureLogger('seating-client').logger,
        idempotentMethods: ['getSeatedEvent'],
        tokenProvider: () => service,
      });
      for (const n of [1, 2, 3, 4]) {
        const token = await stack.token({
          subject: `lecture-citizen-${n}-${randomUUID().slice(0, 8)}`,
          roles: ['participant'],
        });
        const registered = await stack.registration.send('POST', '/v1/participants', token, {
          name: `市民${n}`,
          tier: 'ordinary_citizen',
          homeJurisdiction: T1_V1,
          idNumber: residentIdNumber('19850101', 800 + n),
          language: 'zh-CN',
          consent: { notifications: true },
        });
        if (registered.status !== 201)
          throw new Error(`registering a citizen: ${registered.status} ${await registered.text()}`);
        citizens.push(token);
      }
    });

    afterAll(() => {
      client.close();
    });

    it('when GetSeatedEvent is asked, then a session comes with capacity, window, times, city-wide audience and status; unknown ids are NOT_FOUND', async () => {
      const session = await schedule(plan(10, { capacity: 'unlimited' }));
      const { event } = await client.call.getSeatedEvent({ eventId: session.id });
      expect(event).toEqual({
        eventId: session.id,
        title: '宋韵文化与城市精神',
        capacity: undefined,
        signUpOpensAt: new Date(session.signUpWindow.opensAt),
        signUpClosesAt: new Date(session.signUpWindow.closesAt),
        startsAt: new Date(session.startsAt),
        endsAt: new Date(session.endsAt),
        audience: {
          targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN],
          areaRootCodes: [CITY],
          pupilAgeBand: undefined,
          organizationIds: [],
        },
        status: seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED,
        jurisdictionPath: [CITY, STREET, STREET_COMMUNITY],
        organizerOrganizationId: '',
        categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
        campaignId: '',
        learningMinutes: 120,
        sessions: [],
      });
      await expect(client.call.getSeatedEvent({ eventId: randomUUID() })).rejects.toMatchObject({
        kind: 'not_found',
        code: 'SESSION_NOT_FOUND',
      });
      await expect(client.call.getSeatedEvent({ eventId: 'x' })).rejects.toMatchObject({
        kind: 'invalid_argument',
        code: 'SESSION_ID_INVALID',
      });
    });

    it('when people sign up through registration and the session is moved then cancelled, then registration flags the move and cancels every enrollment exactly once, a duplicated cancellation changing nothing', async () => {
      const session = await schedule(plan(11, { capacity: 2, venueId: venues.villageHall }));
      const enrollmentIds: string[] = [];
      const statuses: string[] = [];
      for (const token of citizens.slice(0, 3)) {
        const signUp = await stack.registration.send('POST', '/v1/enrollments', token, {
          owner: 'lectures',
          eventId: session.id,
        });
        const body = (await signUp.json()) as { id: string; status: string };
        expect(signUp.status, JSON.stringify(body)).toBe(201);
        enrollmentIds.push(body.id);
        statuses.push(body.status);
      }
      expect(statuses).toEqual(['confirmed', 'confirmed', 'waitlisted']);

      const below = await call('POST', `/v1/sessions/${session.id}:reschedule`, tokens.manager, {
        version: 1,
        reason: '缩小场地',
        capacity: 1,
      });
      expect(below.status).toBe(409);
      expect(below.body['code']).toBe('SESSION_CAPACITY_BELOW_ENROLLMENT');

      const newTimes = {
        startsAt: dayAhead(11, 6).toISOString(),
        endsAt: dayAhead(11, 8).toISOString(),
      };
      const moved = await call('POST', `/v1/sessions/${session.id}:reschedule`, tokens.manager, {
        version: 1,
        reason: '推迟到下午',
        ...newTimes,
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      const [first] = citizens;
      const flagged = await eventually('the enrollment flagged with the new times', async () => {
        const reply = await stack.registration.send('GET', '/v1/me/enrollments', first ?? '');
        const page = (await reply.json()) as {
          items: { eventId: string; rescheduled: { startsAt: string } | null }[];
        };
        return page.items.find((e) => e.eventId === session.id && e.rescheduled !== null);
      });
      expect(flagged.rescheduled?.startsAt).toBe(newTimes.startsAt);

      const cancelled = await call('POST', `/v1/sessions/${session.id}:cancel`, tokens.manager, {
        version: 2,
        reason: '暴雨预警，讲座取消',
      });
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
      const key = `lectures:${session.id}`;
      const cancelledType = enrollmentEvents.EnrollmentCancelled.type;
      const events = await watch.waitFor(
        'EnrollmentCancelled for each',
        about(key, cancelledType),
        3,
        30_000,
      );
      expect(
        events
          .map(
            (m) =>
              enrollmentEvents.EnrollmentCancelled.codec.fromJSON(eventOf(m).data).enrollmentId,
          )
          .sort(),
      ).toEqual([...enrollmentIds].sort());

      // The same SessionCancelled delivered again (same event id): registration cancels nothing more.
      const [original] = await watch.waitFor(
        'SessionCancelled',
        about(session.id, lectureEvents.SessionCancelled.type),
      );
      if (original === undefined) throw new Error('no event');
      const producer = new Kafka({
        brokers: servers.kafka.brokers,
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      try {
        await producer.send({
          topic: original.topic,
          messages: [
            {
              key: original.message.key,
              value: original.message.value,
              headers: original.message.headers ?? {},
            },
          ],
        });
      } finally {
        await producer.disconnect();
      }
      await watch.waitFor(
        'the duplicate',
        about(session.id, lectureEvents.SessionCancelled.type),
        2,
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(watch.messages.filter(about(key, cancelledType))).toHaveLength(3);

      const late = await stack.registration.send('POST', '/v1/enrollments', citizens[3] ?? '', {
        owner: 'lectures',
        eventId: session.id,
      });
      expect(late.status).toBe(409);
    });
  });
});

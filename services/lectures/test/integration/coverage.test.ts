import { lectureEvents } from '@learning/contracts';
import { fromKafkaMessage, topics, type CloudEvent } from '@learning/events';
import { createGrpcClient } from '@learning/grpc';
import { lectures } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  openApiProblems,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MongoCoverageCatalogue,
  MongoCoverageFigures,
} from '../../src/adapters/mongo/coverage-figures.js';
import { coverageGapModel, MongoGapStore } from '../../src/adapters/mongo/coverage-gaps.js';
import { checkGaps } from '../../src/application/coverage/check-gaps.js';
import type { Jurisdiction, Jurisdictions } from '../../src/application/ports.js';
import {
  attendanceDoc,
  CITY,
  expertDoc,
  forumDoc,
  importStreet,
  S4,
  S4_COMMUNITY,
  seeder,
  seriesDoc,
  sessionDoc,
  T1,
  T1_VILLAGE,
  T2,
  T3,
  useLecturesReplica,
} from '../support/coverage.js';
import { useLecturesStack } from '../support/stack.js';

const DAY = 24 * 60 * 60_000;
const at = (iso: string): Date => new Date(iso);

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'lectures coverage', (servers) => {
  const database = uniqueName('lectures-coverage');
  const stack = useLecturesStack(servers, { lecturesEnvironment: { MONGODB_DATABASE: database } });
  const now = new Date();
  let connection: Connection;
  const tokens = {} as Record<
    | 'admin'
    | 'propaganda'
    | 'education'
    | 't1Officer'
    | 'villageOfficer'
    | 'participant'
    | 'emptyOfficer',
    string
  >;
  const forums = {} as Record<'humanities' | 'youth' | 'quiet', string>;
  const experts = {} as Record<'cityOnly' | 'law' | 'busy' | 'retired', string>;

  beforeAll(async () => {
    connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    await importStreet(stack);
    tokens.admin = await stack.token({ subject: 'office-admin', roles: ['city_admin'] });
    tokens.propaganda = await stack.token({
      subject: 'xuanchuan-officer',
      roles: ['department_officer'],
      department: 'xuanchuan-bu',
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
    tokens.villageOfficer = await stack.token({
      subject: 'village-officer',
      roles: ['area_officer'],
      jurisdictions: [T1_VILLAGE],
    });
    tokens.emptyOfficer = await stack.token({ subject: 'nowhere', roles: ['area_officer'] });
    tokens.participant = await stack.token({ subject: 'citizen', roles: ['participant'] });

    const seed = seeder(connection);
    const series = seriesDoc('xuanchuan-bu');
    const humanities = forumDoc(series._id, '人文讲坛');
    const youth = forumDoc(series._id, '青年讲坛');
    const quiet = forumDoc(series._id, '企业家讲坛');
    forums.humanities = humanities._id;
    forums.youth = youth._id;
    forums.quiet = quiet._id;
    await seed.series([series]);
    await seed.forums([humanities, youth, quiet]);

    const pool = {
      cityOnly: expertDoc('城区专家', ['political_theory', 'ethics_etiquette'], 'city'),
      law: expertDoc('法学专家', ['market_economy_law'], 'countryside'),
      busy: expertDoc('忙碌专家', ['political_theory', 'ethics_etiquette'], 'countryside'),
      retired: expertDoc(
        '退休专家',
        ['market_economy_law', 'political_theory'],
        'countryside',
        'retired',
      ),
    };
    for (const [key, doc] of Object.entries(pool)) experts[key as keyof typeof experts] = doc._id;
    await seed.experts(Object.values(pool));

    // 2025, by the city's calendar: T1 (countryside) twice in Q1 and once in Q3, a cancelled
    // session in Q2; T2 one scheduled in Q4; T3 nothing; the street S4 once in Q2.
    await seed.sessions([
      sessionDoc({ township: T1, startsAt: at('2025-01-10T02:00:00Z'), forumId: humanities._id }),
      // 1 January 2025 00:30 China time: the first quarter of 2025, though still 2024 in UTC.
      sessionDoc({ township: T1, startsAt: at('2024-12-31T16:30:00Z'), forumId: humanities._id }),
      sessionDoc({
        township: T1,
        startsAt: at('2025-08-01T02:00:00Z'),
        forumId: youth._id,
        categories: ['science_culture_skills'],
      }),
      sessionDoc({
        township: T1,
        startsAt: at('2025-05-01T02:00:00Z'),
        forumId: humanities._id,
        status: 'cancelled',
      }),
      // 31 December 2024 23:30 China time: 2024, not counted in 2025.
      sessionDoc({ township: T1, startsAt: at('2024-12-31T15:30:00Z'), forumId: humanities._id }),
      sessionDoc({
        township: T2,
        startsAt: at('2025-11-20T02:00:00Z'),
        forumId: humanities._id,
        status: 'scheduled',
      }),
      sessionDoc({ township: S4, startsAt: at('2025-04-15T02:00:00Z'), forumId: humanities._id }),
      // Now-relative, for the gaps: the street had one a month ago (with the busy expert),
      // T2 has one coming in ten days, and a cancelled one in T3 last week covers nothing.
      sessionDoc({
        township: S4,
        startsAt: new Date(now.getTime() - 30 * DAY),
        forumId: youth._id,
        speakerIds: [pool.busy._id],
      }),
      sessionDoc({
        township: T2,
        startsAt: new Date(now.getTime() + 10 * DAY),
        forumId: youth._id,
        status: 'scheduled',
      }),
      sessionDoc({
        township: T3,
        startsAt: new Date(now.getTime() - 7 * DAY),
        forumId: youth._id,
        status: 'cancelled',
      }),
    ]);
    await seed.attendance([
      attendanceDoc(T1, at('2025-01-10T04:00:00Z')),
      attendanceDoc(T1, at('2025-01-10T04:05:00Z')),
      attendanceDoc(T1, at('2024-12-31T16:30:00Z')),
      attendanceDoc(T1, at('2024-12-31T15:30:00Z')),
      attendanceDoc(T1, at('2025-08-01T04:00:00Z')),
      attendanceDoc(S4, at('2025-04-15T04:00:00Z')),
      attendanceDoc(T3, at('2026-01-01T00:00:00Z')),
    ]);
  });

  afterAll(async () => {
    await connection.close();
  });

  async function call(path: string, token: string | null): Promise<Reply> {
    const response = await stack.lectures.send('GET', path, token);
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  async function ok(path: string, token: string): Promise<Record<string, unknown>> {
    const reply = await call(path, token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body;
  }

  async function refused(path: string, token: string | null, status: number): Promise<string> {
    const reply = await call(path, token);
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    return String(reply.body['code']);
  }

  const quarter = (sessions: number, held: number, attendance: number, q: number) => ({
    quarter: q,
    sessions,
    held,
    scheduled: sessions - held,
    attendance,
  });

  it('when the OpenAPI document is read, then it describes the four coverage routes, each declaring its errors', async () => {
    const docs = (await (await stack.lectures.send('GET', '/openapi.json', null)).json()) as {
      paths: Record<string, unknown>;
    };
    const coverageOnly = {
      paths: Object.fromEntries(
        Object.entries(docs.paths).filter(([path]) => path.startsWith('/v1/coverage')),
      ),
    };
    expect(Object.keys(coverageOnly.paths).sort()).toEqual([
      '/v1/coverage',
      '/v1/coverage/gaps',
      '/v1/coverage/rural-share',
      '/v1/coverage/suggestions',
    ]);
    expect(openApiProblems(coverageOnly)).toEqual({ operations: 4, problems: [] });
  });

  describe('the report', () => {
    it('when the office asks for the city’s year, then each township has its quarters, cancelled sessions and other years left out', async () => {
      const body = await ok(`/v1/coverage?jurisdictionCode=${CITY}&year=2025`, tokens.admin);

      expect(body['quarterBoundaries']).toEqual([
        '2024-12-31T16:00:00.000Z',
        '2025-03-31T16:00:00.000Z',
        '2025-06-30T16:00:00.000Z',
        '2025-09-30T16:00:00.000Z',
        '2025-12-31T16:00:00.000Z',
      ]);
      const townships = body['townships'] as Record<string, unknown>[];
      expect(townships.map((t) => [t['jurisdictionCode'], t['setting']])).toEqual([
        [T1, 'countryside'],
        [T2, 'countryside'],
        [T3, 'countryside'],
        [S4, 'city'],
      ]);
      expect(townships[0]).toMatchObject({
        sessions: 3,
        held: 3,
        scheduled: 0,
        attendance: 4,
        quarters: [
          quarter(2, 2, 3, 1),
          quarter(0, 0, 0, 2),
          quarter(1, 1, 1, 3),
          quarter(0, 0, 0, 4),
        ],
      });
      expect(townships[1]).toMatchObject({ sessions: 1, held: 0, scheduled: 1 });
      expect((townships[1]?.['quarters'] as unknown[])[3]).toEqual(quarter(1, 0, 0, 4));
      expect(townships[3]).toMatchObject({ sessions: 1, attendance: 1 });
      expect(body['totals']).toMatchObject({
        sessions: 5,
        held: 4,
        scheduled: 1,
        attendance: 5,
        townships: 4,
      });
      expect(body['townshipsWithoutSessions']).toEqual([T3]);
      expect(body['ruralShare']).toEqual({ sessions: 5, countrysideSessions: 4, share: 0.8 });
    });

    it('when the series’ department asks, it sees the city; an area officer sees their township only', async () => {
      const office = await ok(`/v1/coverage?jurisdictionCode=${CITY}&year=2025`, tokens.propaganda);
      expect((office['totals'] as Record<string, unknown>)['sessions']).toBe(5);

      const own = await ok(`/v1/coverage?jurisdictionCode=${T1}&year=2025`, tokens.t1Officer);
      expect(
        (own['townships'] as Record<string, unknown>[]).map((t) => t['jurisdictionCode']),
      ).toEqual([T1]);
      expect(own['ruralShare']).toEqual({ sessions: 3, countrysideSessions: 3, share: 1 });

      for (const code of [CITY, T2, '330281999000'])
        expect(
          await refused(`/v1/coverage?jurisdictionCode=${code}&year=2025`, tokens.t1Officer, 404),
        ).toBe('COVERAGE_JURISDICTION_NOT_FOUND');
    });

    it('when the year is left out, then it is this year in the city', async () => {
      const body = await ok(`/v1/coverage?jurisdictionCode=${CITY}`, tokens.admin);
      const chinaYear = new Date(now.getTime() + 8 * 60 * 60_000).getUTCFullYear();
      expect(body['year']).toBe(chinaYear);
    });

    it('when the request is bad or the reader may not read, then it is refused with a code', async () => {
      expect(
        await refused(`/v1/coverage?jurisdictionCode=${CITY}&year=1999`, tokens.admin, 400),
      ).toBe('COVERAGE_YEAR_INVALID');
      expect(
        await refused(`/v1/coverage?jurisdictionCode=${S4_COMMUNITY}`, tokens.admin, 400),
      ).toBe('COVERAGE_LEVEL_INVALID');
      expect(
        await refused(`/v1/coverage?jurisdictionCode=${T1_VILLAGE}`, tokens.villageOfficer, 400),
      ).toBe('COVERAGE_LEVEL_INVALID');
      expect(await refused(`/v1/coverage?jurisdictionCode=${T1}`, tokens.villageOfficer, 404)).toBe(
        'COVERAGE_JURISDICTION_NOT_FOUND',
      );
      expect(await refused(`/v1/coverage?jurisdictionCode=abc`, tokens.admin, 400)).toBe(
        'VALIDATION_FAILED',
      );
      expect(
        await refused(`/v1/coverage?jurisdictionCode=${CITY}&extra=1`, tokens.admin, 400),
      ).toBe('VALIDATION_FAILED');
      expect(await refused(`/v1/coverage?jurisdictionCode=${CITY}`, tokens.education, 403)).toBe(
        'COVERAGE_READ_FORBIDDEN',
      );
      expect(await refused(`/v1/coverage?jurisdictionCode=${CITY}`, tokens.participant, 403)).toBe(
        'ROLE_REQUIRED',
      );
      expect(await refused(`/v1/coverage?jurisdictionCode=${T1}`, tokens.emptyOfficer, 403)).toBe(
        'SCOPE_EMPTY',
      );
      expect((await call(`/v1/coverage?jurisdictionCode=${CITY}`, null)).status).toBe(401);
    });
  });

  describe('the gaps', () => {
    it('when the office asks for six months, then never-covered townships come first, a coming session does not close a gap and a cancelled one covers nothing', async () => {
      const body = await ok(`/v1/coverage/gaps?jurisdictionCode=${CITY}&months=6`, tokens.admin);

      expect(body).toMatchObject({ jurisdictionCode: CITY, months: 6, townships: 4 });
      const gaps = body['gaps'] as Record<string, unknown>[];
      expect(gaps.map((gap) => gap['jurisdictionCode'])).toEqual([T3, T1, T2]);
      expect(gaps[0]).toMatchObject({
        lastSessionAt: null,
        nextSessionAt: null,
        setting: 'countryside',
      });
      expect(gaps[1]).toMatchObject({
        lastSessionAt: '2025-08-01T02:00:00.000Z',
        nextSessionAt: null,
      });
      // Its 2025 session, still marked scheduled, has started: it is T2's last; the coming one is next.
      expect(gaps[2]).toMatchObject({ lastSessionAt: '2025-11-20T02:00:00.000Z' });
      expect(gaps[2]?.['nextSessionAt']).not.toBeNull();
    });

    it('when the look-back reaches back to 2025, then only the never-covered township is a gap', async () => {
      const gaps = (
        await ok(`/v1/coverage/gaps?jurisdictionCode=${CITY}&months=120`, tokens.admin)
      )['gaps'] as Record<string, unknown>[];
      expect(gaps.map((gap) => gap['jurisdictionCode'])).toEqual([T3]);
    });

    it('when no look-back is given, then COVERAGE_GAP_MONTHS (six) is used', async () => {
      const body = await ok(`/v1/coverage/gaps?jurisdictionCode=${CITY}`, tokens.admin);
      expect(body['months']).toBe(6);
    });

    it('when an area officer asks, then only their subtree; outside it, not found; a bad look-back, its code', async () => {
      const own = await ok(`/v1/coverage/gaps?jurisdictionCode=${T1}`, tokens.t1Officer);
      expect(
        (own['gaps'] as Record<string, unknown>[]).map((gap) => gap['jurisdictionCode']),
      ).toEqual([T1]);
      expect(
        await refused(`/v1/coverage/gaps?jurisdictionCode=${CITY}`, tokens.t1Officer, 404),
      ).toBe('COVERAGE_JURISDICTION_NOT_FOUND');
      for (const months of [0, 121])
        expect(
          await refused(
            `/v1/coverage/gaps?jurisdictionCode=${CITY}&months=${months}`,
            tokens.admin,
            400,
          ),
        ).toBe('COVERAGE_MONTHS_INVALID');
      expect(
        await refused(`/v1/coverage/gaps?jurisdictionCode=${CITY}`, tokens.education, 403),
      ).toBe('COVERAGE_READ_FORBIDDEN');
      expect(
        await refused(`/v1/coverage/gaps?jurisdictionCode=${CITY}`, tokens.participant, 403),
      ).toBe('ROLE_REQUIRED');
    });
  });

  describe('the rural share', () => {
    it('when the office asks, then every forum is listed with its share of countryside sessions', async () => {
      const body = await ok('/v1/coverage/rural-share?year=2025', tokens.admin);

      expect(body['countedWithin']).toBeNull();
      // By name, as the catalogue sorts: 人文 < 企业家 < 青年 by code point.
      expect(body['forums']).toEqual([
        {
          forumId: forums.humanities,
          name: '人文讲坛',
          status: 'active',
          sessions: 4,
          countrysideSessions: 3,
          share: 0.75,
        },
        {
          forumId: forums.quiet,
          name: '企业家讲坛',
          status: 'active',
          sessions: 0,
          countrysideSessions: 0,
          share: null,
        },
        {
          forumId: forums.youth,
          name: '青年讲坛',
          status: 'active',
          sessions: 1,
          countrysideSessions: 1,
          share: 1,
        },
      ]);
      expect(body['total']).toEqual({ sessions: 5, countrysideSessions: 4, share: 0.8 });
    });

    it('when an area officer asks, then only the sessions of their jurisdictions count', async () => {
      const body = await ok('/v1/coverage/rural-share?year=2025', tokens.t1Officer);

      expect(body['countedWithin']).toEqual([T1]);
      expect(body['total']).toEqual({ sessions: 3, countrysideSessions: 3, share: 1 });
    });

    it('when the year is out of range or the reader may not read, then it is refused', async () => {
      expect(await refused('/v1/coverage/rural-share?year=2101', tokens.admin, 400)).toBe(
        'COVERAGE_YEAR_INVALID',
      );
      expect(await refused('/v1/coverage/rural-share', tokens.education, 403)).toBe(
        'COVERAGE_READ_FORBIDDEN',
      );
      expect(await refused('/v1/coverage/rural-share', tokens.participant, 403)).toBe(
        'ROLE_REQUIRED',
      );
      expect((await call('/v1/coverage/rural-share', null)).status).toBe(401);
    });
  });

  describe('the suggestions', () => {
    it('when the office asks, then idle experts go first, by field and radius, each once, and the rest is unmatched', async () => {
      const body = await ok(
        `/v1/coverage/suggestions?jurisdictionCode=${CITY}&months=6`,
        tokens.admin,
      );

      expect(body).toMatchObject({ months: 6, idleMonths: 6, gaps: 3 });
      const suggestions = body['suggestions'] as Record<string, Record<string, unknown>>[];
      expect(
        suggestions.map((s) => [
          s['rank'],
          s['township']?.['jurisdictionCode'],
          s['expert']?.['id'],
          s['idle'],
        ]),
      ).toEqual([
        [1, T3, experts.law, true],
        [2, T1, experts.busy, false],
      ]);
      expect(suggestions[0]?.['matchedFields']).toEqual(['market_economy_law']);
      // What T1 had least of: neither of the categories it had.
      expect(suggestions[1]?.['township']?.['wantedCategories']).toEqual([
        'market_economy_law',
        'ethics_etiquette',
      ]);
      expect(suggestions[1]?.['matchedFields']).toEqual(['ethics_etiquette']);
      expect(suggestions[1]?.['expert']).toMatchObject({ recentSessions: 1, upcomingSessions: 0 });
      // T2 had political theory; the one expert left for the rest only goes to streets.
      const unmatched = body['unmatched'] as Record<string, unknown>[];
      expect(unmatched.map((t) => [t['jurisdictionCode'], t['wantedCategories']])).toEqual([
        [T2, ['science_culture_skills', 'market_economy_law', 'ethics_etiquette']],
      ]);
      // The city-only expert never goes to a countryside township, the retired one nowhere.
      const suggested = suggestions.map((s) => s['expert']?.['id']);
      expect(suggested).not.toContain(experts.cityOnly);
      expect(suggested).not.toContain(experts.retired);
      // Public profile only: no contact data.
      expect(JSON.stringify(body)).not.toMatch(/secret|phone|email|accountSubject/);
    });

    it('when the limit is one, then only the first pair is suggested', async () => {
      const body = await ok(
        `/v1/coverage/suggestions?jurisdictionCode=${CITY}&limit=1`,
        tokens.propaganda,
      );
      const suggestions = body['suggestions'] as Record<string, Record<string, unknown>>[];
      expect(suggestions.map((s) => s['expert']?.['id'])).toEqual([experts.law]);
      expect(body['unmatched']).toEqual([]);
    });

    it('when an area officer asks, then only the gaps of their subtree are paired', async () => {
      const body = await ok(`/v1/coverage/suggestions?jurisdictionCode=${T1}`, tokens.t1Officer);
      const suggestions = body['suggestions'] as Record<string, Record<string, unknown>>[];
      expect(
        suggestions.map((s) => [s['township']?.['jurisdictionCode'], s['expert']?.['id']]),
      ).toEqual([[T1, experts.law]]);
      expect(
        await refused(`/v1/coverage/suggestions?jurisdictionCode=${T2}`, tokens.t1Officer, 404),
      ).toBe('COVERAGE_JURISDICTION_NOT_FOUND');
    });

    it('when the limit or a look-back is out of range, or the reader may not read, then it is refused', async () => {
      for (const query of ['limit=0', 'limit=101'])
        expect(
          await refused(
            `/v1/coverage/suggestions?jurisdictionCode=${CITY}&${query}`,
            tokens.admin,
            400,
          ),
        ).toBe('COVERAGE_LIMIT_INVALID');
      for (const query of ['months=0', 'idleMonths=121'])
        expect(
          await refused(
            `/v1/coverage/suggestions?jurisdictionCode=${CITY}&${query}`,
            tokens.admin,
            400,
          ),
        ).toBe('COVERAGE_MONTHS_INVALID');
      expect(
        await refused(`/v1/coverage/suggestions?jurisdictionCode=${CITY}`, tokens.education, 403),
      ).toBe('COVERAGE_READ_FORBIDDEN');
      expect(
        await refused(`/v1/coverage/suggestions?jurisdictionCode=${CITY}`, tokens.participant, 403),
      ).toBe('ROLE_REQUIRED');
    });
  });

  describe('a township’s year over gRPC', () => {
    const clientOf = (token: string) =>
      createGrpcClient(lectures.LectureCoverageServiceClient, {
        address: `127.0.0.1:${stack.lectures.ports.grpcPort}`,
        logger: captureLogger('client').logger,
        deadlineMs: 5_000,
        idempotentMethods: ['getTownshipCoverage'],
        tokenProvider: () => token,
      });
    const scoringToken = () =>
      stack.token({
        subject: 'service:scoring',
        roles: ['service'],
        service: 'scoring',
        cityWide: true,
      });

    it('when scoring asks for a township’s 2025, then counted sessions, their months and the attendance in the city’s calendar come back', async () => {
      const client = clientOf(await scoringToken());
      try {
        const t1 = await client.call.getTownshipCoverage({ townshipCode: T1, year: 2025 });
        // The 1 January session (still 2024 in UTC) counts; the cancelled one and 2024's do not.
        expect(t1.coverage).toEqual({
          townshipCode: T1,
          year: 2025,
          sessions: 3,
          heldSessions: 3,
          monthsCovered: [1, 8],
          attendance: 4,
        });
        const t2 = await client.call.getTownshipCoverage({ townshipCode: T2, year: 2025 });
        expect(t2.coverage).toMatchObject({ sessions: 1, heldSessions: 0, monthsCovered: [11] });
        const street = await client.call.getTownshipCoverage({ townshipCode: S4, year: 2025 });
        expect(street.coverage).toMatchObject({ sessions: 1, monthsCovered: [4], attendance: 1 });
        const quiet = await client.call.getTownshipCoverage({ townshipCode: T3, year: 2025 });
        expect(quiet.coverage).toMatchObject({ sessions: 0, monthsCovered: [], attendance: 0 });
      } finally {
        client.close();
      }
    });

    it('when the code is bad, no township, the year out of range or the caller no service, then it is refused', async () => {
      const client = clientOf(await scoringToken());
      try {
        await expect(
          client.call.getTownshipCoverage({ townshipCode: 'T1', year: 2025 }),
        ).rejects.toMatchObject({ kind: 'invalid_argument' });
        await expect(
          client.call.getTownshipCoverage({ townshipCode: T1_VILLAGE, year: 2025 }),
        ).rejects.toMatchObject({ kind: 'not_found' });
        await expect(
          client.call.getTownshipCoverage({ townshipCode: '330281999000', year: 2025 }),
        ).rejects.toMatchObject({ kind: 'not_found' });
        await expect(
          client.call.getTownshipCoverage({ townshipCode: T1, year: 1999 }),
        ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'COVERAGE_YEAR_INVALID' });
      } finally {
        client.close();
      }
      const officer = clientOf(tokens.admin);
      try {
        await expect(
          officer.call.getTownshipCoverage({ townshipCode: T1, year: 2025 }),
        ).rejects.toMatchObject({ kind: 'permission_denied' });
      } finally {
        officer.close();
      }
    });
  });

  it('when no root is configured, then the app says once at start that gaps are not checked', () => {
    expect(
      stack.lectures.logs.lines.filter((line) =>
        String(line['msg']).startsWith('COVERAGE_CHECK_ROOT is not set'),
      ),
    ).toHaveLength(1);
  });

  describe('the periodic gap check on two replicas', () => {
    const gapDatabase = uniqueName('lectures-gaps');
    /** How far the replicas' clock is ahead of the wall clock. */
    let ahead = 0;
    const clock = () => new Date(Date.now() + ahead);
    const environment = {
      COVERAGE_CHECK_ROOT: CITY,
      COVERAGE_CHECK_EVERY_MS: '1000',
      COVERAGE_GAP_MONTHS: '6',
    };
    const first = useLecturesReplica(servers, stack, gapDatabase, { environment, clock });
    const second = useLecturesReplica(servers, stack, gapDatabase, { environment, clock });
    let gapConnection: Connection;
    let watch: TopicWatch;

    beforeAll(async () => {
      watch = await watchTopics(servers.kafka, [topics.lecturesCoverage.name]);
      gapConnection = await createConnection(servers.mongo.uri, {
        dbName: gapDatabase,
      }).asPromise();
    });

    afterAll(async () => {
      await watch.stop();
      await gapConnection.close();
    });

    const gapEvents = (township: string): CloudEvent[] =>
      watch.messages
        .map(({ message }) => fromKafkaMessage(message))
        .filter(
          (event) =>
            event.type === lectureEvents.CoverageGapDetected.type &&
            (event.data as Record<string, unknown>)['townshipCode'] === township,
        );

    const waitForGapEvents = (township: string, count: number): Promise<CloudEvent[]> =>
      eventually(`${count} gap events of ${township}`, () => {
        const found = gapEvents(township);
        return found.length >= count ? found : undefined;
      });

    const ticks = () =>
      [first, second].flatMap((app) =>
        app.logs.lines.filter((line) => String(line['msg']).startsWith('coverage gap check')),
      ).length;

    async function moreTicks(count: number): Promise<void> {
      const before = ticks();
      await eventually(`${count} more ticks`, () => (ticks() >= before + count ? true : undefined));
    }

    it('when townships go uncovered, then each gap is published once across both replicas, and a later gap after a held session again', async () => {
      // Before any series exists, the check reports nothing.
      await eventually('a tick without a series', () =>
        [first, second].some((app) =>
          app.logs.lines.some((line) => String(line['msg']).includes('no lecture series yet')),
        )
          ? true
          : undefined,
      );
      const seed = seeder(gapConnection);
      const start = clock().getTime();
      await seed.series([seriesDoc('xuanchuan-bu')]);
      const t2Last = new Date(start - 240 * DAY);
      await seed.sessions([
        sessionDoc({ township: T1, startsAt: new Date(start - 30 * DAY) }),
        sessionDoc({ township: T2, startsAt: t2Last }),
        sessionDoc({ township: S4, startsAt: new Date(start - 60 * DAY) }),
      ]);

      const [t2Gap] = await waitForGapEvents(T2, 1);
      expect(t2Gap?.data).toMatchObject({
        townshipCode: T2,
        jurisdictionPath: [CITY, T2],
        months: 6,
        lastSessionAt: t2Last.toISOString(),
        leadDepartment: 'xuanchuan-bu',
      });
      const [t3Gap] = await waitForGapEvents(T3, 1);
      expect(t3Gap?.data).not.toHaveProperty('lastSessionAt');

      // Further ticks, on either replica, find the same gaps and publish nothing more.
      await moreTicks(3);
      expect(gapEvents(T2)).toHaveLength(1);
      expect(gapEvents(T3)).toHaveLength(1);
      expect(gapEvents(T1)).toHaveLength(0);
      expect(gapEvents(S4)).toHaveLength(0);

      // A session held in T3 closes its gap.
      const t3Session = new Date(clock().getTime() - 60 * 60_000);
      await seed.sessions([sessionDoc({ township: T3, startsAt: t3Session })]);
      const gaps = coverageGapModel(gapConnection);
      await eventually('T3’s gap closed', async () =>
        (await gaps.countDocuments({ townshipCode: T3, open: false })) === 1 ? true : undefined,
      );
      expect(await gaps.countDocuments({ townshipCode: T3, open: true })).toBe(0);

      // Seven months on, T3 is uncovered again after that session: a new gap, published again.
      ahead = 210 * DAY;
      const [, again] = await waitForGapEvents(T3, 2);
      expect(again?.data).toMatchObject({
        townshipCode: T3,
        lastSessionAt: t3Session.toISOString(),
      });
      await waitForGapEvents(T1, 1);
      await moreTicks(3);
      expect(gapEvents(T3)).toHaveLength(2);
      expect(gapEvents(T2)).toHaveLength(1);
      expect(gapEvents(T1)).toHaveLength(1);
      const open = await gaps
        .find({ open: true }, { townshipCode: 1 })
        .lean<{ townshipCode: string }[]>();
      expect(open.map((gap) => gap.townshipCode).sort()).toEqual([T1, T2, T3, S4].sort());
      expect(await gaps.countDocuments({ townshipCode: T3 })).toBe(2);
    });
  });

  describe('two checks at once on the real stores', () => {
    const raceDatabase = uniqueName('lectures-gap-race');
    let raceConnection: Connection;
    // The tree registration holds after importStreet, without the gRPC round trips.
    const nodes: Jurisdiction[] = [
      ...stack.tree.map(({ code, name, level, path }) => ({ code, name, level, path })),
      { code: S4, name: '第4街道', level: 'street', path: [CITY, S4] },
    ];
    const tree: Jurisdictions = {
      find: (codes) =>
        Promise.resolve(
          new Map(nodes.filter((n) => codes.includes(n.code)).map((n) => [n.code, n])),
        ),
      async *subtree(root, levels = []) {
        await Promise.resolve();
        yield nodes.filter(
          (n) => n.path.includes(root) && (levels.length === 0 || levels.includes(n.level)),
        );
      },
    };

    beforeAll(async () => {
      raceConnection = await createConnection(servers.mongo.uri, {
        dbName: raceDatabase,
      }).asPromise();
      await coverageGapModel(raceConnection).createIndexes();
    });

    afterAll(async () => {
      await raceConnection.dropDatabase();
      await raceConnection.close();
    });

    it('when two replicas check at the same moment, then each gap is stored, with its one event, once', async () => {
      const seed = seeder(raceConnection);
      await seed.series([seriesDoc('xuanchuan-bu')]);
      await seed.sessions([sessionDoc({ township: T1, startsAt: new Date(now.getTime() - DAY) })]);
      const gaps = coverageGapModel(raceConnection);
      const check = () =>
        checkGaps({
          jurisdictions: tree,
          figures: new MongoCoverageFigures(raceConnection),
          catalogue: new MongoCoverageCatalogue(raceConnection),
          gaps: new MongoGapStore(gaps),
          clock: () => now,
        })(CITY, 6);

      const outcomes = await Promise.all([check(), check(), check()]);

      expect(outcomes.map((outcome) => outcome.gaps)).toEqual([3, 3, 3]);
      expect(outcomes.reduce((sum, outcome) => sum + outcome.newlyReported, 0)).toBe(3);
      const stored = await gaps
        .find({}, { townshipCode: 1, outbox: 1, open: 1 })
        .lean<{ townshipCode: string; outbox: { type: string }[]; open: boolean }[]>();
      expect(stored.map((gap) => gap.townshipCode).sort()).toEqual([T2, T3, S4].sort());
      expect(stored.every((gap) => gap.open && gap.outbox.length === 1)).toBe(true);
      expect(stored[0]?.outbox[0]?.type).toBe(lectureEvents.CoverageGapDetected.type);
    });
  });
});

/**
 * The area gatherers through their real gRPC clients against real
 * activities and lectures apps (beside the scoring stack's registration, on
 * the harness's servers): a township with a knowledge supermarket, two
 * libraries, two pairings (one with a donation received) and lecture
 * sessions, read back as an area's figures; an unreachable service leaves
 * only its own figures absent.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadActivitiesConfig } from '@learning/activities/config';
import { activitiesService } from '@learning/activities/service';
import { chinaDateOf, chinaYearOf } from '@learning/domain';
import { attendanceDoc, seeder, sessionDoc, useLecturesApp } from '@learning/lectures/testing';
import { reservePort, serviceToken, useServiceApp } from '@learning/runtime/testing';
import { captureLogger, describeWithServers, uniqueName } from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connectAreaSources,
  type AreaSources,
} from '../../src/adapters/evaluation/area-clients.js';
import type { SubjectCard } from '../../src/application/evaluation/ports.js';
import type { MetricKey, MetricReading } from '../../src/domain/evaluation.js';
import { useScoringStack } from '../support/stack.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T2 = '330281002000';
const village = (township: number, n: number): string =>
  `330281${String(township).padStart(3, '0')}${String(n).padStart(3, '0')}`;

const AREA_METRICS: MetricKey[] = [
  'supermarket',
  'villages',
  'villages_with_library',
  'paired_libraries',
  'libraries_at_standard',
  'pairings_with_donation',
  'lecture_sessions',
  'lecture_months_covered',
];

const area = (code: string): SubjectCard => ({
  subjectKind: 'area',
  subjectId: code,
  name: code,
  organizationKind: null,
  leadDepartment: null,
  jurisdictionPath: [CITY, code],
});

const figures = (readings: readonly MetricReading[] | undefined) =>
  Object.fromEntries((readings ?? []).map((reading) => [reading.metric, reading.value]));

describeWithServers(['mongo', 'kafka', 'redis'], 'evaluation inputs: areas', (servers) => {
  const stack = useScoringStack(servers);
  const lecturesDatabase = uniqueName('scoring-area-lectures');
  const now = new Date();
  const year = chinaYearOf(now);
  const activities = useServiceApp(activitiesService, servers, {
    loadConfig: loadActivitiesConfig,
    environment: async (issuer) => ({
      REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${stack.registration.ports.grpcPort}`,
      REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'activities'),
      SCHEDULER_TICK_MS: String(60 * 60_000),
      VERIFICATION_KEY: randomBytes(32).toString('base64'),
    }),
  });
  const lectures = useLecturesApp(servers, async (issuer) => ({
    MONGODB_DATABASE: lecturesDatabase,
    REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${stack.registration.ports.grpcPort}`,
    REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'lectures'),
    ACTIVITIES_GRPC_ADDRESS: `127.0.0.1:${activities.ports.grpcPort}`,
    ACTIVITIES_SERVICE_TOKEN: await serviceToken(issuer, 'lectures'),
    SCHEDULER_TICK_MS: String(60 * 60_000),
  }));
  const log = captureLogger('scoring-area-inputs');
  let connection: Connection;
  let sources: AreaSources;
  let scoringToken: string;

  async function send(
    app: typeof activities,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const response = await app.send('POST', path, token, body);
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  }

  beforeAll(async () => {
    const admin = await stack.token({ subject: 'city-admin', roles: ['city_admin'] });
    const applicant = await stack.token({ subject: 'applicant', roles: ['org_admin'] });
    const enterprise = String(
      (
        await send(stack.registration, '/v1/organizations', applicant, {
          kind: 'enterprise',
          name: `企业 ${randomUUID().slice(0, 8)}`,
          jurisdictionCode: village(1, 1),
        })
      )['id'],
    );
    const keeper = { participantId: randomUUID(), subject: `keeper-${randomUUID()}` };
    const open = async (kind: string, jurisdictionCode: string, books: number) =>
      String(
        (
          await send(activities, '/v1/network/places', admin, {
            kind,
            name: kind === 'knowledge_supermarket' ? '求知超市' : '农家书屋',
            jurisdictionCode,
            keeper,
            holdings: { science_culture_skills: books },
          })
        )['id'],
      );
    // T1: a supermarket; villages 1 and 2 have libraries (250 and 50 books), 3 and 4 none.
    await open('knowledge_supermarket', T1, 40);
    const full = await open('farmhouse_library', village(1, 1), 250);
    const thin = await open('farmhouse_library', village(1, 2), 50);
    const pair = async (libraryId: string) =>
      String(
        (
          await send(activities, '/v1/network/pairings', admin, {
            enterpriseId: enterprise,
            libraryId,
          })
        )['id'],
      );
    const fullPairing = await pair(full);
    await pair(thin);
    const hr = await stack.token({
      subject: `hr-${enterprise}`,
      roles: ['org_admin'],
      organizations: [enterprise],
    });
    const donation = String(
      (
        await send(activities, `/v1/network/pairings/${fullPairing}/donations`, hr, {
          donatedOn: chinaDateOf(now),
          count: 10,
          byCategory: { science_culture_skills: 10 },
        })
      )['id'],
    );
    const keeperToken = await stack.token({ subject: keeper.subject, roles: ['participant'] });
    await send(
      activities,
      `/v1/network/pairings/${fullPairing}/donations/${donation}:receive`,
      keeperToken,
    );

    // T1's lectures: two held in January, one scheduled in March, one cancelled in May, one the year before.
    connection = await createConnection(servers.mongo.uri, {
      dbName: lecturesDatabase,
    }).asPromise();
    const seed = seeder(connection);
    const at = (monthDay: string, of = year) => new Date(`${of}-${monthDay}T02:00:00Z`);
    await seed.sessions([
      sessionDoc({ township: T1, startsAt: at('01-10') }),
      sessionDoc({ township: T1, startsAt: at('01-20') }),
      sessionDoc({ township: T1, startsAt: at('03-05'), status: 'scheduled' }),
      sessionDoc({ township: T1, startsAt: at('05-05'), status: 'cancelled' }),
      sessionDoc({ township: T1, startsAt: at('06-01', year - 1) }),
    ]);
    await seed.attendance([attendanceDoc(T1, at('01-10')), attendanceDoc(T1, at('01-20'))]);

    scoringToken = await serviceToken(activities.issuer, 'scoring');
    sources = connectAreaSources({
      activitiesAddress: `127.0.0.1:${activities.ports.grpcPort}`,
      lecturesAddress: `127.0.0.1:${lectures.ports.grpcPort}`,
      logger: log.logger,
      activitiesToken: () => scoringToken,
      lecturesToken: () => scoringToken,
    });
  });

  afterAll(async () => {
    sources.close();
    await connection.close();
  });

  const gatherAll = async (gatherers: AreaSources['gatherers'], subjects: SubjectCard[]) => {
    const merged = new Map<string, MetricReading[]>();
    for (const gatherer of gatherers) {
      const asked = AREA_METRICS.filter((metric) => gatherer.metrics.includes(metric));
      for (const [code, readings] of await gatherer.gather(year, subjects, asked))
        merged.set(code, [...(merged.get(code) ?? []), ...readings]);
    }
    return merged;
  };

  it('when a page of townships is gathered, then each has its network and lecture figures of the year', async () => {
    const readings = await gatherAll(sources.gatherers, [area(T1), area(T2)]);
    expect(figures(readings.get(T1))).toEqual({
      supermarket: 1,
      villages: 4,
      villages_with_library: 2,
      paired_libraries: 2,
      libraries_at_standard: 1,
      pairings_with_donation: 1,
      lecture_sessions: 3,
      lecture_months_covered: 2,
    });
    expect(readings.get(T1)?.find((r) => r.metric === 'lecture_sessions')?.detail).toBe(
      '已举办 2 场，听众 2 人次',
    );
    expect(figures(readings.get(T2))).toEqual({
      supermarket: 0,
      villages: 4,
      villages_with_library: 0,
      paired_libraries: 0,
      libraries_at_standard: 0,
      pairings_with_donation: 0,
      lecture_sessions: 0,
      lecture_months_covered: 0,
    });
  });

  it('when an area is unknown or lectures cannot be reached, then only those figures are absent, each with a warning', async () => {
    const unknown = '330281999000';
    const closedPort = await reservePort();
    const halfDown = connectAreaSources({
      activitiesAddress: `127.0.0.1:${activities.ports.grpcPort}`,
      lecturesAddress: `127.0.0.1:${closedPort}`,
      logger: log.logger,
      activitiesToken: () => scoringToken,
      lecturesToken: () => scoringToken,
    });
    try {
      const readings = await gatherAll(halfDown.gatherers, [area(T1), area(unknown)]);
      expect(Object.keys(figures(readings.get(T1))).sort()).toEqual([
        'libraries_at_standard',
        'paired_libraries',
        'pairings_with_donation',
        'supermarket',
        'villages',
        'villages_with_library',
      ]);
      expect(readings.has(unknown)).toBe(false);
    } finally {
      halfDown.close();
    }
    const warnings = log.lines.filter((line) => line['level'] === 'warn' || line['level'] === 40);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'activities', areaCode: unknown }),
        expect.objectContaining({ source: 'lectures', areaCode: T1, code: 'UPSTREAM_UNAVAILABLE' }),
      ]),
    );
  });
});

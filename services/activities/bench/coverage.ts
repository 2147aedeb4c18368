/**
 * Coverage of the learning network over a city of 300 townships and 5,000
 * villages, through the real GetCoverage gRPC method.
 *
 *   pnpm --filter @learning/activities bench:coverage [--quick] [--townships 300] [--villages 5000] [--runs 5]
 *
 * --quick is 30 townships, 500 villages and 3 runs.
 * Starts registration and activities in this process on the harness's
 * servers (MONGODB_URI / KAFKA_BROKERS / REDIS_URL when set, else the local
 * stand-ins), imports the tree into registration through its route, seeds
 * supermarkets, libraries (with donations) and pairings straight into
 * activities' collections in bulk, then times GetCoverage for the whole city:
 * a warm-up call, then the median of --runs calls. The subtree stream from
 * registration is timed alone too, since it is most of the work on the
 * Python Mongo stand-in (about 0.5 ms per command, one at a time).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from '@learning/auth';
import { chinaYearOf } from '@learning/domain';
import { createGrpcClient } from '@learning/grpc';
import { createRootLogger } from '@learning/logger';
import { activities } from '@learning/proto';
import { connectRedis } from '@learning/redis';
import { connectRegistration } from '@learning/registration-client';
import { registrationService } from '@learning/registration/service';
import { loadRegistrationConfig } from '@learning/registration/config';
import { testEnvironment } from '@learning/registration/testing';
import { buildServiceApp, type App } from '@learning/runtime';
import { obtainServiceServers, serviceTestEnvironment } from '@learning/runtime/testing';
import { isLocalStandIn, printBenchSummary, type BenchFigure } from '@learning/testing';
import { createConnection } from 'mongoose';
import { pairingModel } from '../src/adapters/mongo/network-pairings.js';
import { placeModel } from '../src/adapters/mongo/network-places.js';
import { activitiesService } from '../src/app.js';
import { loadActivitiesConfig } from '../src/config.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    townships: { type: 'string' },
    villages: { type: 'string' },
    runs: { type: 'string' },
  },
});
const townshipCount = Number(values.townships ?? (values.quick ? '30' : '300'));
const villageCount = Number(values.villages ?? (values.quick ? '500' : '5000'));
const runs = Number(values.runs ?? (values.quick ? '3' : '5'));
if (!Number.isInteger(townshipCount) || townshipCount < 1 || townshipCount > 999)
  throw new Error('--townships is a whole number from 1 to 999');
if (!Number.isInteger(villageCount) || villageCount < townshipCount)
  throw new Error('--villages is a whole number, at least one per township');

const CITY = '330281000000';
const INSERT_BATCH = 1_000;
const year = chinaYearOf(new Date());

interface Node {
  code: string;
  name: string;
  level: 'city' | 'township' | 'village';
  parentCode: string | null;
  path: string[];
}

/** The villages spread as evenly as they go: the first townships take one more. */
function cityTree(): { townships: Node[]; villages: Node[] } {
  const townships: Node[] = [];
  const villages: Node[] = [];
  for (let t = 1; t <= townshipCount; t += 1) {
    const code = `330281${String(t).padStart(3, '0')}000`;
    townships.push({
      code,
      name: `第${t}镇`,
      level: 'township',
      parentCode: CITY,
      path: [CITY, code],
    });
    const here =
      Math.floor(villageCount / townshipCount) + (t <= villageCount % townshipCount ? 1 : 0);
    for (let v = 1; v <= here; v += 1) {
      const villageCode = `${code.slice(0, 9)}${String(v).padStart(3, '0')}`;
      villages.push({
        code: villageCode,
        name: `第${t}镇第${v}村`,
        level: 'village',
        parentCode: code,
        path: [CITY, code, villageCode],
      });
    }
  }
  return { townships, villages };
}

const median = (numbers: number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

const logger = createRootLogger({ service: 'bench-coverage', version: 'bench', level: 'warn' });
const obtained = await obtainServiceServers();
const { servers } = obtained;
const { mongo, redis } = servers;

const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
const serviceToken = (service: string) =>
  issuer.sign(
    { subject: `service:${service}`, roles: ['service'], service, cityWide: true },
    { expiresIn: '2h' },
  );
const apps: App[] = [];
// Filled as the figures are printed; written as the output's last line.
const summary: Record<string, BenchFigure> = {
  townships: townshipCount,
  villages: villageCount,
  runs,
};

try {
  const registration = buildServiceApp(
    registrationService,
    loadRegistrationConfig({ ...testEnvironment(servers, issuer), LOG_LEVEL: 'warn' }),
  );
  apps.push(registration);
  const registrationPorts = await registration.start();

  const activitiesConfig = loadActivitiesConfig({
    ...serviceTestEnvironment('activities', servers, issuer),
    REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${registrationPorts.grpcPort}`,
    REGISTRATION_SERVICE_TOKEN: await serviceToken('activities'),
    VERIFICATION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
  });
  const activitiesApp = buildServiceApp(activitiesService, activitiesConfig);
  apps.push(activitiesApp);
  const activitiesPorts = await activitiesApp.start();

  const { townships, villages } = cityTree();
  const admin = await issuer.sign({ subject: 'bench-admin', roles: ['city_admin'] });
  const imported = await timed(() =>
    fetch(`http://127.0.0.1:${registrationPorts.httpPort}/v1/jurisdictions:import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        items: [
          { code: CITY, name: '市', level: 'city', parentCode: null },
          ...[...townships, ...villages].map(({ code, name, level, parentCode }) => ({
            code,
            name,
            level,
            parentCode,
          })),
        ],
      }),
    }),
  );
  if (imported.result.status !== 200)
    throw new Error(
      `importing the tree: HTTP ${imported.result.status} ${await imported.result.text()}`,
    );
  summary['importSeconds'] = Number((imported.ms / 1000).toFixed(1));
  console.log(
    `imported ${townships.length} townships and ${villages.length} villages into registration in ${(imported.ms / 1000).toFixed(1)} s`,
  );

  // The network as the office might find it: 9 in 10 townships with a supermarket, 9 in 10
  // villages with a library of 0..399 books, one library in 5 paired, half of those with a
  // donation this year and the rest with last year's only.
  const connection = await createConnection(mongo.uri, {
    dbName: activitiesConfig.MONGODB_DATABASE,
  }).asPromise();
  const now = new Date();
  const base = {
    keeper: null,
    openingHours: '09:00-17:00',
    services: ['lending', 'reading_guidance'],
    standardReachedOn: null,
    createdBy: 'bench',
    createdAt: now,
    updatedAt: now,
    version: 1,
    outbox: [],
  };
  const places: Record<string, unknown>[] = [];
  const pairings: Record<string, unknown>[] = [];
  let donatedThisYear = 0;
  townships.forEach((township, index) => {
    if (index % 10 !== 9)
      places.push({
        ...base,
        _id: randomUUID(),
        kind: 'knowledge_supermarket',
        name: `${township.name}求知超市`,
        jurisdictionCode: township.code,
        jurisdictionPath: township.path,
        holdings: {},
        totalBooks: 0,
        donations: [],
      });
  });
  villages.forEach((village, index) => {
    if (index % 10 === 9) return;
    const id = randomUUID();
    const books = (index * 37) % 400;
    const paired = index % 5 === 0;
    const pairingId = randomUUID();
    if (paired)
      pairings.push({
        _id: pairingId,
        enterpriseId: randomUUID(),
        libraryId: id,
        jurisdictionPath: village.path,
        createdBy: 'bench',
        createdAt: now,
        version: 1,
        outbox: [],
      });
    const donatedOn = index % 10 === 0 ? `${year}-03-01` : `${year - 1}-09-01`;
    if (paired && index % 10 === 0) donatedThisYear += 1;
    places.push({
      ...base,
      _id: id,
      kind: 'farmhouse_library',
      name: `${village.name}农家书屋`,
      jurisdictionCode: village.code,
      jurisdictionPath: village.path,
      holdings: { science_culture_skills: books },
      totalBooks: books,
      donations: paired
        ? [
            {
              id: randomUUID(),
              pairingId,
              enterpriseId: 'bench',
              count: 10,
              byCategory: { science_culture_skills: 10 },
              donatedOn,
              status: 'received',
              recordedBy: 'bench',
              recordedAt: now,
              receivedBy: 'bench',
              receivedAt: now,
            },
          ]
        : [],
    });
  });
  const seeded = await timed(async () => {
    for (const [model, docs] of [
      [placeModel(connection), places],
      [pairingModel(connection), pairings],
    ] as const)
      for (let at = 0; at < docs.length; at += INSERT_BATCH)
        await model.collection.insertMany(docs.slice(at, at + INSERT_BATCH), { ordered: false });
  });
  Object.assign(summary, {
    seededPlaces: places.length,
    seededPairings: pairings.length,
    seedSeconds: Number((seeded.ms / 1000).toFixed(1)),
  });
  console.log(
    `seeded ${places.length} places and ${pairings.length} pairings in ${(seeded.ms / 1000).toFixed(1)} s`,
  );

  const client = createGrpcClient(activities.LearningNetworkServiceClient, {
    address: `127.0.0.1:${activitiesPorts.grpcPort}`,
    logger,
    idempotentMethods: [],
    tokenProvider: await serviceToken('bench').then((token) => () => token),
  });
  const redisClient = await connectRedis({ url: redis.url, logger, name: 'bench-coverage' });
  const registrationClients = connectRegistration({
    service: 'activities',
    address: `127.0.0.1:${registrationPorts.grpcPort}`,
    redis: redisClient,
    logger,
    cacheTtlMs: 60_000,
    tokenProvider: await serviceToken('activities').then((token) => () => token),
  });
  try {
    const call = () =>
      client.call.getCoverage({ jurisdictionCode: CITY, year }, { deadlineMs: 10 * 60_000 });
    const warm = await timed(call);
    const coverage = warm.result.coverage;
    if (coverage === undefined) throw new Error('GetCoverage answered without a coverage');
    console.log(
      `coverage of ${coverage.townships} townships / ${coverage.villages} villages, ` +
        `${coverage.supermarkets} supermarkets, ${coverage.libraries} libraries: ` +
        `${coverage.townshipsWithoutSupermarket.length} townships without a supermarket, ` +
        `${coverage.villagesWithoutLibrary.length} villages without a library, ` +
        `${coverage.librariesUnderStandard.length} paired libraries under 200 books, ` +
        `${coverage.pairingsWithoutDonation.length} pairings without a donation in ${year}`,
    );
    summary['coverage'] = {
      townships: coverage.townships,
      villages: coverage.villages,
      supermarkets: coverage.supermarkets,
      libraries: coverage.libraries,
      townshipsWithoutSupermarket: coverage.townshipsWithoutSupermarket.length,
      villagesWithoutLibrary: coverage.villagesWithoutLibrary.length,
      pairedLibrariesUnderStandard: coverage.librariesUnderStandard.length,
      pairingsWithoutDonation: coverage.pairingsWithoutDonation.length,
      year,
    };
    // What the seeding above implies, so a fast answer that counts wrong cannot pass.
    const supermarkets = places.filter((place) => place['kind'] === 'knowledge_supermarket').length;
    const libraries = places.length - supermarkets;
    const expected = {
      townships: townshipCount,
      villages: villageCount,
      supermarkets,
      libraries,
      townshipsWithoutSupermarket: townshipCount - supermarkets,
      villagesWithoutLibrary: villageCount - libraries,
      pairingsWithoutDonation: pairings.length - donatedThisYear,
    };
    const miscounted = Object.entries(expected).filter(
      ([figure, count]) => (summary['coverage'] as Record<string, BenchFigure>)[figure] !== count,
    );
    summary['coverageAsSeeded'] = miscounted.length === 0;
    if (miscounted.length > 0)
      console.log(
        `coverage differs from the seeded network: expected ${miscounted.map(([figure, count]) => `${figure} ${String(count)}`).join(', ')}`,
      );
    summary['warmUpMs'] = Number(warm.ms.toFixed(0));
    console.log(`first call (warm-up): ${warm.ms.toFixed(0)} ms`);
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) times.push((await timed(call)).ms);
    Object.assign(summary, {
      medianMs: Number(median(times).toFixed(0)),
      minMs: Number(Math.min(...times).toFixed(0)),
      maxMs: Number(Math.max(...times).toFixed(0)),
    });
    console.log(
      `GetCoverage over gRPC, ${runs} runs: median ${median(times).toFixed(0)} ms, ` +
        `min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
    );
    // Where the stream's time goes: registration answers a page per level asked (and per 500
    // nodes), each page a query the stand-in answers by testing every node of the tree.
    const streamOf = async (
      levels: Parameters<typeof registrationClients.jurisdictions.subtree>[1],
    ) => {
      const pageMs: number[] = [];
      let nodes = 0;
      let last = performance.now();
      for await (const page of registrationClients.jurisdictions.subtree(CITY, levels)) {
        const now = performance.now();
        pageMs.push(now - last);
        last = now;
        nodes += page.length;
      }
      return { nodes, pageMs };
    };
    const subtreeStreams: Record<string, BenchFigure> = {};
    summary['subtreeStreams'] = subtreeStreams;
    for (const [key, label, levels] of [
      [
        'coveredLevels',
        'the four covered levels (as coverage asks)',
        ['township', 'street', 'village', 'community'],
      ],
      ['noLevelFilter', 'no level filter', []],
    ] as const) {
      const streams: { ms: number; pages: number; slowestPageMs: number; nodes: number }[] = [];
      for (let run = 0; run < runs; run += 1) {
        const { ms, result } = await timed(() => streamOf(levels));
        streams.push({
          ms,
          pages: result.pageMs.length,
          slowestPageMs: Math.max(...result.pageMs),
          nodes: result.nodes,
        });
      }
      const [first] = streams;
      subtreeStreams[key] = {
        nodes: first?.nodes ?? 0,
        pages: first?.pages ?? 0,
        medianMs: Number(median(streams.map((s) => s.ms)).toFixed(0)),
        msPerPage: Number((median(streams.map((s) => s.ms)) / (first?.pages ?? 1)).toFixed(0)),
        slowestPageMs: Number(median(streams.map((s) => s.slowestPageMs)).toFixed(0)),
      };
      console.log(
        `registration's subtree stream alone, ${label}: ${first?.nodes ?? 0} nodes in ` +
          `${first?.pages ?? 0} pages, median ${median(streams.map((s) => s.ms)).toFixed(0)} ms ` +
          `(${(median(streams.map((s) => s.ms)) / (first?.pages ?? 1)).toFixed(0)} ms a page, ` +
          `slowest page ${median(streams.map((s) => s.slowestPageMs)).toFixed(0)} ms)`,
      );
    }
  } finally {
    client.close();
    registrationClients.close();
    await redisClient.close();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
} finally {
  for (const app of apps.reverse()) await app.stop();
  await obtained.stop();
}
printBenchSummary(
  'activities.coverage',
  {
    ...summary,
    // The coverage counts are the seeded network's; every timing waits on MongoDB.
    boundByStandIn: isLocalStandIn(mongo.origin)
      ? ['importSeconds', 'seedSeconds', 'warmUpMs', 'medianMs', 'minMs', 'maxMs', 'subtreeStreams']
      : [],
  },
  // The README states no speed goal for coverage; what it must be is right.
  { coverageAsSeeded: { equals: true } },
);

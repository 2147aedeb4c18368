/**
 * The public listing of activities, filtered by jurisdiction subtree, dates
 * and tier, over --activities published activities, beside a bare fastify
 * route that answers the same page from memory.
 *
 *   pnpm --filter @learning/activities bench:listing [--activities 100000] [--seconds 10] [--connections 32]
 *
 * Starts the activities app in this process on the harness's servers
 * (MONGODB_URI / KAFKA_BROKERS / REDIS_URL when set, else the local
 * stand-ins) and writes the activities straight into its collection. For
 * each target, autocannon first finds the peak (as many requests as
 * --connections keep in flight), then offers half that rate and reads p99.
 * Targets: the bare route, and the listing as a city portal sees it (the same
 * few queries, served from the page cache); then queries nobody asked
 * before, which reach MongoDB, are timed one at a time. The load
 * generator shares the machine (and, on the stand-ins, the Python Mongo
 * server) with the app: figures are for comparison on one machine.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from '@learning/auth';
import { buildServiceApp, type App } from '@learning/runtime';
import { obtainServiceServers, serviceTestEnvironment } from '@learning/runtime/testing';
import { documentGrams } from '@learning/search';
import { isLocalStandIn, printBenchSummary, runLoadInChild } from '@learning/testing';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createConnection } from 'mongoose';
import { activitiesService } from '../src/app.js';
import { loadActivitiesConfig } from '../src/config.js';

const { values } = parseArgs({
  options: {
    activities: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    // Child mode: run the load this plan describes and print its figures.
    load: { type: 'string' },
  },
});
const activityCount = Number(values.activities);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
for (const [name, value] of Object.entries({ activityCount, seconds, connections }))
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} is a positive whole number`);

const CITY = '330281000000';
const TOWNSHIPS = 300;
const VILLAGES_PER_TOWNSHIP = 16;
const INSERT_BATCH = 2_000;
const COLD_QUERIES = 5;
const DAY = 24 * 60 * 60 * 1000;
const TIERS = [
  'ordinary_citizen',
  'ordinary_cadre',
  'leading_cadre',
  'private_enterprise_staff',
  'pupil',
];
const CATEGORIES = [
  'political_theory',
  'science_culture_skills',
  'market_economy_law',
  'ethics_etiquette',
];
const KINDS = ['reading_club', 'book_fair', 'training', 'education_consultation', 'theme_practice'];
const TITLES = [
  '社区读书会',
  '书香传递',
  '干部夜学',
  '读书明理讲座',
  '农家书屋开放日',
  '职业技能培训',
];
const start = Date.UTC(2027, 0, 1);

const townshipCode = (t: number): string => `330281${String(t).padStart(3, '0')}000`;

/** The `i`-th activity as the activities collection stores a published one. */
function activityDocument(i: number): Record<string, unknown> {
  const township = townshipCode((i % TOWNSHIPS) + 1);
  const village = `${township.slice(0, 9)}${String((Math.floor(i / TOWNSHIPS) % VILLAGES_PER_TOWNSHIP) + 1).padStart(3, '0')}`;
  const startsAt = new Date(start + (i % 365) * DAY + 19 * 60 * 60 * 1000);
  const endsAt = new Date(startsAt.getTime() + 2 * 60 * 60 * 1000);
  const title = `${TITLES[i % TITLES.length] ?? ''}（第${i}期）`;
  const description = '面向居民的学习活动，欢迎报名参加。';
  const created = new Date(start - 30 * DAY);
  return {
    _id: randomUUID(),
    title,
    description,
    kind: KINDS[i % KINDS.length],
    organizer: {
      kind: 'department',
      id: 'wenming-ban',
      organizationKind: null,
      leadDepartment: 'wenming-ban',
    },
    jurisdictionPath: [CITY, township, village],
    venue: { id: randomUUID(), name: '村文化礼堂', address: null },
    schedule: { kind: 'single', sessions: [{ start: startsAt, end: endsAt }] },
    startsAt,
    endsAt,
    capacity: 50,
    signUpWindow: { opensAt: created, closesAt: startsAt },
    targetTiers: [TIERS[i % TIERS.length], 'ordinary_citizen'],
    categories: [CATEGORIES[i % CATEGORIES.length]],
    ageBand: null,
    campaignId: null,
    status: 'published',
    cancellation: null,
    publishedAt: created,
    attended: 0,
    attendedEnrollments: [],
    grams: documentGrams(title, description),
    createdBy: 'bench',
    createdAt: created,
    updatedAt: created,
    version: 2,
    outbox: [],
  };
}

/** A month of a township, for one tier: what a citizen's portal asks. */
const queryOf = (township: number, month: number, tier: string): string => {
  const from = new Date(Date.UTC(2027, month, 1)).toISOString();
  const to = new Date(Date.UTC(2027, month + 1, 1)).toISOString();
  return `/v1/public/activities?jurisdictionCode=${townshipCode(township)}&from=${from}&to=${to}&tier=${tier}&pageSize=20`;
};

interface Figures {
  peakPerSecond: number;
  halfRateP99Ms: number;
  halfRateMeanMs: number;
  errors: number;
}

interface LoadPlan {
  url: string;
  connections: number;
  seconds: number;
}

/** The child: peak throughput with `connections` in flight, then p99 when offered half of it. */
async function runLoad(plan: LoadPlan): Promise<Figures> {
  const options = { url: plan.url, connections: plan.connections, duration: plan.seconds };
  const peak = await autocannon(options);
  const half = await autocannon({
    ...options,
    overallRate: Math.max(1, Math.floor(peak.requests.average / 2)),
  });
  return {
    peakPerSecond: peak.requests.average,
    halfRateP99Ms: half.latency.p99,
    halfRateMeanMs: half.latency.average,
    errors: peak.errors + peak.non2xx + half.errors + half.non2xx,
  };
}

const measure = async (plan: LoadPlan): Promise<Figures> =>
  JSON.parse(await runLoadInChild(import.meta.filename, plan)) as Figures;

async function main(): Promise<void> {
  const obtained = await obtainServiceServers();
  const { servers } = obtained;
  const { mongo } = servers;
  const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
  const database = `bench-listing-${randomUUID().slice(0, 8)}`;
  let app: App | undefined;
  const bare = Fastify({ logger: false });
  const connection = await createConnection(mongo.uri, { dbName: database }).asPromise();

  let summary: Parameters<typeof printBenchSummary>[1];
  try {
    app = buildServiceApp(
      activitiesService,
      loadActivitiesConfig({
        ...serviceTestEnvironment('activities', servers, issuer),
        MONGODB_DATABASE: database,
        VERIFICATION_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'warn',
        HTTP_RATE_LIMIT_POINTS: String(1_000_000_000),
      }),
    );
    const { httpPort } = await app.start();
    const base = `http://127.0.0.1:${httpPort}`;

    const seeding = performance.now();
    const collection = connection.collection('activities');
    for (let first = 0; first < activityCount; first += INSERT_BATCH) {
      const batch = Array.from({ length: Math.min(INSERT_BATCH, activityCount - first) }, (_, k) =>
        activityDocument(first + k),
      );
      await collection.insertMany(batch, { ordered: false });
    }
    const seedSeconds = Number(((performance.now() - seeding) / 1000).toFixed(1));
    console.log(
      `seeded ${activityCount.toLocaleString('en')} activities in ${seedSeconds.toFixed(1)} s`,
    );

    const portalQuery = queryOf(42, 3, 'ordinary_citizen');
    const sample = await fetch(`${base}${portalQuery}`);
    if (!sample.ok)
      throw new Error(`the listing answered ${sample.status}: ${await sample.text()}`);
    const page = await sample.text();
    const items = (JSON.parse(page) as { items: unknown[] }).items.length;
    console.log(`the page: ${items} activities, ${page.length.toLocaleString('en')} bytes`);

    bare.get('/bare', (_request, reply) =>
      reply.header('content-type', 'application/json; charset=utf-8').send(page),
    );
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareAddress = bare.server.address();
    if (bareAddress === null || typeof bareAddress === 'string')
      throw new Error('bare route has no port');

    const run = { connections, seconds };
    // [key in the JSON summary, name in the table, figures]
    const results: [string, string, Figures][] = [
      [
        'bareFastify',
        'bare fastify, same page from memory',
        await measure({ url: `http://127.0.0.1:${bareAddress.port}/bare`, ...run }),
      ],
      [
        'listingPageCache',
        "listing, a portal's repeated query (page cache)",
        await measure({ url: `${base}${portalQuery}`, ...run }),
      ],
    ];
    const [, , reference] = results[0] ?? [];
    const shareOfBarePercent = (figures: Figures): number | null =>
      reference === undefined
        ? null
        : Number(((figures.peakPerSecond / reference.peakPerSecond) * 100).toFixed(1));
    // Queries nobody asked before reach MongoDB: timed one at a time, each a different township and month.
    const coldMs: number[] = [];
    for (let n = 0; n < COLD_QUERIES; n += 1) {
      const started = performance.now();
      const response = await fetch(`${base}${queryOf(100 + n, (n * 5) % 12, 'ordinary_citizen')}`);
      if (!response.ok) throw new Error(`a cold query answered ${response.status}`);
      if (response.headers.get('x-cache') !== 'miss') throw new Error('a cold query was cached');
      await response.arrayBuffer();
      coldMs.push(performance.now() - started);
    }
    console.log(
      `\n${activityCount.toLocaleString('en')} activities; ${connections} connections; ${seconds} s per run`,
    );
    console.log(
      '| target | peak req/s | share of bare | p99 at half of peak | mean at half of peak | errors |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [, name, figures] of results) {
      const share = shareOfBarePercent(figures);
      console.log(
        `| ${name} | ${figures.peakPerSecond.toFixed(0)} | ${share === null ? '' : `${share.toFixed(1)} %`} | ${figures.halfRateP99Ms.toFixed(1)} ms | ${figures.halfRateMeanMs.toFixed(1)} ms | ${figures.errors} |`,
      );
    }
    const sorted = [...coldMs].sort((x, y) => x - y);
    const coldMedianMs = Number((sorted[Math.floor(COLD_QUERIES / 2)] ?? 0).toFixed(0));
    const coldSlowestMs = Number((sorted.at(-1) ?? 0).toFixed(0));
    console.log(
      `\na query not in the cache (reaches MongoDB), ${COLD_QUERIES} distinct ones in turn: median ${coldMedianMs} ms, slowest ${coldSlowestMs} ms`,
    );
    summary = {
      activities: activityCount,
      connections,
      secondsPerRun: seconds,
      seedSeconds,
      pageItems: items,
      pageBytes: page.length,
      ...Object.fromEntries(
        results.map(([key, , figures]) => [
          key,
          {
            peakRequestsPerSecond: Number(figures.peakPerSecond.toFixed(0)),
            shareOfBarePercent: shareOfBarePercent(figures),
            halfRateP99Ms: Number(figures.halfRateP99Ms.toFixed(1)),
            halfRateMeanMs: Number(figures.halfRateMeanMs.toFixed(1)),
            errors: figures.errors,
          },
        ]),
      ),
      coldQueries: COLD_QUERIES,
      coldMedianMs,
      coldSlowestMs,
      // The page cache and the bare route answer from memory; seeding and cold queries reach MongoDB.
      boundByStandIn: isLocalStandIn(mongo.origin)
        ? ['seedSeconds', 'coldMedianMs', 'coldSlowestMs']
        : [],
    };
  } finally {
    await bare.close();
    await app?.stop();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await obtained.stop();
  }
  printBenchSummary('activities.listing', summary);
}

if (values.load === undefined) await main();
else
  process.stdout.write(
    JSON.stringify(await runLoad(JSON.parse(readFileSync(values.load, 'utf8')) as LoadPlan)),
  );

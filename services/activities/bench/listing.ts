/**
 * The public listing of activities under a portal's traffic, beside a bare
 * fastify route that answers the same pages from memory.
 *
 *   pnpm --filter @learning/activities bench:listing [--quick] [--activities 100000]
 *     [--seconds 10] [--connections 32] [--pages 8] [--ttl-ms 5000 (2000 with --quick)]
 *
 * Starts the activities app in this process on the harness's servers
 * (MONGODB_URI / KAFKA_BROKERS / REDIS_URL when set, else the local
 * stand-ins) and writes --activities published activities straight into its
 * collection. The load comes from a child process for both targets, so
 * neither shares a core's event loop with its load generator; each target
 * cycles through --pages different portal queries (a township, a month, a
 * tier), and the page cache keeps a page --ttl-ms, so pages expire and are
 * rendered again during every run. For each target autocannon first finds
 * the peak (as many requests as --connections keep in flight), then offers
 * half that rate and reads p99. Also measured: this process's CPU per
 * request (it serves both targets), and the renders of the listing's pages
 * (MongoDB finds, by the driver's command monitoring) against the pages'
 * expiries: one render per page and expiry means requests for an expired
 * page waited for one render instead of each rendering it. Then queries
 * nobody asked before, which reach MongoDB, are timed one at a time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from '@learning/auth';
import { buildServiceApp, type App } from '@learning/runtime';
import { obtainServiceServers, serviceTestEnvironment } from '@learning/runtime/testing';
import { documentGrams } from '@learning/search';
import { isLocalStandIn, printBenchSummary, runLoadInChild } from '@learning/testing';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import mongoose, { createConnection } from 'mongoose';
import { activitiesService } from '../src/app.js';
import { loadActivitiesConfig } from '../src/config.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    activities: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '32' },
    pages: { type: 'string', default: '8' },
    'ttl-ms': { type: 'string' },
    // Child mode: run the load this plan describes and print its figures.
    load: { type: 'string' },
  },
});
// --quick: a smaller collection, shorter runs and a shorter TTL, so pages still expire in each run.
const activityCount = Number(values.activities ?? (values.quick ? '5000' : '100000'));
const seconds = Number(values.seconds ?? (values.quick ? '4' : '10'));
const connections = Number(values.connections);
const pageCount = Number(values.pages);
const cacheTtlMs = Number(values['ttl-ms'] ?? (values.quick ? '2000' : '5000'));
for (const [name, value] of Object.entries({
  activityCount,
  seconds,
  connections,
  pageCount,
  cacheTtlMs,
}))
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} is a positive whole number`);

const CITY = '330281000000';
const TOWNSHIPS = 300;
const VILLAGES_PER_TOWNSHIP = 16;
const INSERT_BATCH = 2_000;
const COLD_QUERIES = 5;
const IDLE_SAMPLE_MS = 3_000;
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
  /** Requests answered in both runs, for CPU per request. */
  requests: number;
  errors: number;
}

interface LoadPlan {
  base: string;
  paths: string[];
  connections: number;
  seconds: number;
}

/** The child: peak throughput with `connections` in flight, then p99 when offered half of it. */
async function runLoad(plan: LoadPlan): Promise<Figures> {
  const options = {
    url: plan.base,
    connections: plan.connections,
    duration: plan.seconds,
    // Each connection cycles through the pages, as a portal's visitors spread over them.
    requests: plan.paths.map((path) => ({ method: 'GET' as const, path })),
  };
  const peak = await autocannon(options);
  const half = await autocannon({
    ...options,
    overallRate: Math.max(1, Math.floor(peak.requests.average / 2)),
  });
  return {
    peakPerSecond: peak.requests.average,
    halfRateP99Ms: half.latency.p99,
    halfRateMeanMs: half.latency.average,
    requests: peak.requests.total + half.requests.total,
    errors: peak.errors + peak.non2xx + half.errors + half.non2xx,
  };
}

/**
 * This process's CPU while idle, per millisecond: the app's background work
 * (Kafka polls, the scheduler's ticks), taken off what a request costs.
 */
async function idleCpuUsPerMs(): Promise<number> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
  const cpu = process.cpuUsage(cpuBefore);
  return (cpu.user + cpu.system) / (performance.now() - started);
}

/** Runs a load in the child, with this process's CPU (it serves both targets) per request answered. */
async function measure(
  plan: LoadPlan,
  idleUsPerMs: number,
): Promise<Figures & { cpuUsPerRequest: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const figures = JSON.parse(await runLoadInChild(import.meta.filename, plan)) as Figures;
  const cpu = process.cpuUsage(cpuBefore);
  const busyUs = cpu.user + cpu.system - idleUsPerMs * (performance.now() - started);
  // Idle work that grew during the run can exceed the whole run's measure: then the figure is 1 µs, not 0.
  return { ...figures, cpuUsPerRequest: Math.max(1, busyUs / Math.max(1, figures.requests)) };
}

/** Counts the finds that render a portal page (they filter by tier), from the driver's command events. */
function countListingRenders(
  database: string,
  seeding: mongoose.Connection,
): { count: () => number } {
  let renders = 0;
  const appConnection = mongoose.connections.find(
    (connection) => connection.name === database && connection !== seeding,
  );
  if (appConnection === undefined) throw new Error('the app has no MongoDB connection');
  appConnection.getClient().on('commandStarted', (event) => {
    const command = event.command as { find?: unknown; filter?: unknown };
    if (command.find === 'activities' && JSON.stringify(command.filter).includes('targetTiers'))
      renders += 1;
  });
  return { count: () => renders };
}

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
        // Command events let the bench count the listing's renders.
        MONGODB_URI: `${mongo.uri}${mongo.uri.includes('?') ? '&' : '?'}monitorCommands=true`,
        MONGODB_DATABASE: database,
        PUBLIC_CACHE_TTL_MS: String(cacheTtlMs),
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

    const renders = countListingRenders(database, connection);
    // Different townships and months: pages of different sizes, as a portal's visitors ask.
    const paths = Array.from({ length: pageCount }, (_, n) =>
      queryOf(40 + n * 7, (n * 5) % 12, 'ordinary_citizen'),
    );
    const pages: string[] = [];
    for (const path of paths) {
      const response = await fetch(`${base}${path}`);
      if (!response.ok)
        throw new Error(`the listing answered ${response.status}: ${await response.text()}`);
      pages.push(await response.text());
    }
    const itemsPerPage = pages.map(
      (page) => (JSON.parse(page) as { items: unknown[] }).items.length,
    );
    const pageBytes = pages.map((page) => page.length);
    console.log(
      `${pageCount} pages: ${itemsPerPage.join(', ')} activities; ${pageBytes.map((bytes) => `${(bytes / 1024).toFixed(1)} kB`).join(', ')}`,
    );

    pages.forEach((page, n) => {
      bare.get(`/bare/${n}`, (_request, reply) =>
        reply.header('content-type', 'application/json; charset=utf-8').send(page),
      );
    });
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareAddress = bare.server.address();
    if (bareAddress === null || typeof bareAddress === 'string')
      throw new Error('bare route has no port');

    const run = { connections, seconds };
    const idleUsPerMs = await idleCpuUsPerMs();
    const bareFigures = await measure(
      {
        base: `http://127.0.0.1:${bareAddress.port}`,
        paths: pages.map((_, n) => `/bare/${n}`),
        ...run,
      },
      idleUsPerMs,
    );
    const rendersBefore = renders.count();
    const listingFigures = await measure({ base, paths, ...run }, idleUsPerMs);
    const listingRenders = renders.count() - rendersBefore;
    // Each page expires once per TTL during each of the two runs (peak, then half rate).
    const pageExpiries = pageCount * 2 * Math.floor((seconds * 1000) / cacheTtlMs);
    const rendersPerPageExpiry = Number((listingRenders / Math.max(1, pageExpiries)).toFixed(2));
    const shareOfBarePercent = Number(
      ((listingFigures.peakPerSecond / bareFigures.peakPerSecond) * 100).toFixed(1),
    );
    // The same share by this process's CPU per request: what the load on the machine does not change.
    const cpuShareOfBarePercent = Number(
      ((bareFigures.cpuUsPerRequest / listingFigures.cpuUsPerRequest) * 100).toFixed(1),
    );

    // Queries nobody asked before reach MongoDB: timed one at a time, each a different township and month.
    const coldMs: number[] = [];
    for (let n = 0; n < COLD_QUERIES; n += 1) {
      const started = performance.now();
      const response = await fetch(`${base}${queryOf(200 + n, (n * 5) % 12, 'ordinary_citizen')}`);
      if (!response.ok) throw new Error(`a cold query answered ${response.status}`);
      if (response.headers.get('x-cache') !== 'miss') throw new Error('a cold query was cached');
      await response.arrayBuffer();
      coldMs.push(performance.now() - started);
    }
    // Throughput and latency depend on what else the machine runs; CPU per request much less.
    const loadAverage = Number((loadavg()[0] ?? 0).toFixed(1));
    console.log(
      `\n${activityCount.toLocaleString('en')} activities; ${pageCount} pages kept ${cacheTtlMs} ms; ${connections} connections; ${seconds} s per run; load average ${loadAverage}`,
    );
    console.log(
      '| target | peak req/s | share of bare | p99 at half of peak | mean at half of peak | CPU per request | errors |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, figures, share] of [
      ['bare fastify, the same pages from memory', bareFigures, 100],
      ['the listing, served from the page cache', listingFigures, shareOfBarePercent],
    ] as const) {
      console.log(
        `| ${name} | ${figures.peakPerSecond.toFixed(0)} | ${share.toFixed(1)} % | ${figures.halfRateP99Ms.toFixed(1)} ms | ${figures.halfRateMeanMs.toFixed(1)} ms | ${figures.cpuUsPerRequest.toFixed(0)} µs | ${figures.errors} |`,
      );
    }
    console.log(
      `\nby CPU per request (idle CPU of ${(idleUsPerMs * 1000).toFixed(0)} µs/s taken off), the listing would reach ${cpuShareOfBarePercent} % of bare's throughput`,
    );
    console.log(
      `the listing's pages rendered ${listingRenders} times for ${pageExpiries} page expiries during its runs (${rendersPerPageExpiry} per expiry)`,
    );
    const sorted = [...coldMs].sort((x, y) => x - y);
    const coldMedianMs = Number((sorted[Math.floor(COLD_QUERIES / 2)] ?? 0).toFixed(0));
    const coldSlowestMs = Number((sorted.at(-1) ?? 0).toFixed(0));
    console.log(
      `a query not in the cache (reaches MongoDB), ${COLD_QUERIES} distinct ones in turn: median ${coldMedianMs} ms, slowest ${coldSlowestMs} ms`,
    );
    summary = {
      activities: activityCount,
      pages: pageCount,
      cacheTtlMs,
      connections,
      secondsPerRun: seconds,
      seedSeconds,
      pageItems: itemsPerPage,
      pageBytes,
      bareFastify: {
        peakRequestsPerSecond: Number(bareFigures.peakPerSecond.toFixed(0)),
        halfRateP99Ms: Number(bareFigures.halfRateP99Ms.toFixed(1)),
        halfRateMeanMs: Number(bareFigures.halfRateMeanMs.toFixed(1)),
        cpuUsPerRequest: Number(bareFigures.cpuUsPerRequest.toFixed(0)),
        errors: bareFigures.errors,
      },
      listingPeakRequestsPerSecond: Number(listingFigures.peakPerSecond.toFixed(0)),
      shareOfBarePercent,
      cpuShareOfBarePercent,
      idleCpuUsPerSecond: Number((idleUsPerMs * 1000).toFixed(0)),
      loadAverage,
      listingHalfRateP99Ms: Number(listingFigures.halfRateP99Ms.toFixed(1)),
      listingHalfRateMeanMs: Number(listingFigures.halfRateMeanMs.toFixed(1)),
      listingCpuUsPerRequest: Number(listingFigures.cpuUsPerRequest.toFixed(0)),
      listingErrors: listingFigures.errors,
      listingRenders,
      pageExpiries,
      rendersPerPageExpiry,
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
  printBenchSummary('activities.listing', summary, {
    shareOfBarePercent: { atLeast: 60 },
    listingHalfRateP99Ms: { atMost: 10 },
    listingErrors: { equals: 0 },
    // One render per page and expiry; a little over allows a render that straddles an expiry.
    rendersPerPageExpiry: { atMost: 1.5 },
  });
}

if (values.load === undefined) await main();
else
  process.stdout.write(
    JSON.stringify(await runLoad(JSON.parse(readFileSync(values.load, 'utf8')) as LoadPlan)),
  );

/**
 * One announcement to --recipients generated participants (default
 * 1,000,000) on the in-app channel, fanned out by the service's own worker
 * code (fanOut over the Mongo broadcast and batch stores, registration's gRPC
 * client) in this process, against the harness's MongoDB (MONGODB_URI /
 * REDIS_URL when set, else the local stand-ins) and our own
 * ParticipantDirectoryService in a child process (bench/directory-server.ts):
 * registration itself is not what is measured.
 *
 *   pnpm --filter @learning/notifications bench:fanout [--recipients 1000000] [--batch 1000] [--memory-every 100] [--quick]
 *
 * The script runs node with the image's heap cap (Dockerfile NODE_OPTIONS,
 * --max-old-space-size=192): without it V8 defers collection and the RSS
 * measured is garbage awaiting a major GC, not what the fan-out keeps.
 *
 * This process's CPU is the service's (the directory server's is its own);
 * MongoDB round trips are the driver's commands, counted by its monitoring.
 * Preferences are everyone's defaults here (the dispatch slice's reader adds
 * one indexed query per batch once wired).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createRootLogger } from '@learning/logger';
import { connectRedis } from '@learning/redis';
import { connectRegistration } from '@learning/registration-client';
import { obtainServiceServers } from '@learning/runtime/testing';
import {
  isLocalStandIn,
  printBenchSummary,
  processMemory,
  sampleProcessMemory,
  uniqueName,
} from '@learning/testing';
import mongoose from 'mongoose';
import { MongoBatchStore } from '../src/adapters/mongo/batch-store.js';
import { MongoBroadcastStore } from '../src/adapters/mongo/broadcast-store.js';
import { batchModel, broadcastModel } from '../src/adapters/mongo/broadcasts.js';
import { fanOut } from '../src/application/broadcasts/fan-out.js';
import type { Preferences } from '../src/domain/preferences.js';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string' },
    batch: { type: 'string', default: '1000' },
    /** A size that shows the figures in well under a minute on the stand-ins. */
    quick: { type: 'boolean', default: false },
    /** Prints the process's memory every this many batches (0: never), to see what grows. */
    'memory-every': { type: 'string', default: '0' },
  },
});
const recipients = Number(values.recipients ?? (values.quick ? 50_000 : 1_000_000));
const batchSize = Number(values.batch);
const memoryEvery = Number(values['memory-every']);
const mb = (bytes: number): string => `${String(Math.round(bytes / 1_048_576))} MB`;
/** Run with node --expose-gc to see what is kept rather than what awaits collection. */
const printMemory = (label: string): void => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  console.log(
    `  ${label}: rss ${mb(rss)}, heap ${mb(heapUsed)} of ${mb(heapTotal)}, external ${mb(external)} (buffers ${mb(arrayBuffers)})`,
  );
};

const defaults: Preferences = {
  language: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  optOuts: [],
  quietHours: null,
  digest: 'off',
};

async function startDirectory(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@learning/source',
      '--import',
      'tsx',
      new URL('./directory-server.ts', import.meta.url).pathname,
      '--recipients',
      String(recipients),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    output += String(chunk);
    const match = /PORT (\d+)/.exec(output);
    if (match?.[1] !== undefined) return { port: Number(match[1]), stop: () => child.kill() };
  }
  throw new Error('the directory server did not start');
}

const { servers, stop: stopServers } = await obtainServiceServers();
const directory = await startDirectory();
const logger = createRootLogger({ service: 'notifications-bench', version: '0', level: 'warn' });
const redis = await connectRedis({ url: servers.redis.url, logger });
const connection = await mongoose
  .createConnection(servers.mongo.uri, {
    dbName: uniqueName('notifications-bench'),
    monitorCommands: true,
  })
  .asPromise();
const broadcastDocuments = broadcastModel(connection);
const batchDocuments = batchModel(connection);
await Promise.all([broadcastDocuments.init(), batchDocuments.init()]);
let roundTrips = 0;
connection.getClient().on('commandStarted', () => {
  roundTrips += 1;
});
const registration = connectRegistration({
  service: 'notifications',
  address: `127.0.0.1:${String(directory.port)}`,
  redis,
  logger,
});

const broadcasts = new MongoBroadcastStore(broadcastDocuments);
const batchStore = new MongoBatchStore(batchDocuments);
let firstNoticeAt = 0;
let lastNoticeAt = 0;
let batchesWritten = 0;
const batches: typeof batchStore = Object.assign(Object.create(batchStore) as MongoBatchStore, {
  async writeOnce(...args: Parameters<MongoBatchStore['writeOnce']>) {
    const written = await batchStore.writeOnce(...args);
    lastNoticeAt = performance.now();
    if (firstNoticeAt === 0) firstNoticeAt = lastNoticeAt;
    batchesWritten += 1;
    if (memoryEvery > 0 && batchesWritten % memoryEvery === 0)
      printMemory(`batch ${String(batchesWritten)}`);
    return written;
  },
});

const run = fanOut({
  broadcasts,
  batches,
  audience: registration.audience,
  contacts: registration.contacts,
  preferences: { of: (ids) => Promise.resolve(new Map(ids.map((id) => [id, defaults]))) },
  decide: () => ({ action: 'send' }),
  defaultPreferences: defaults,
  gateways: new Map(),
  templates: { render: () => Promise.reject(new Error('an announcement brings its own texts')) },
  dispatcher: { dispatch: () => Promise.reject(new Error('no one is held: everyone is sent to')) },
  clock: () => new Date(),
  batchSize,
  leaseMs: 60_000,
});

const id = randomUUID();
await broadcasts.create(
  {
    id,
    kind: 'announcement',
    variables: { subject: '全市通知', body: '正文' },
    rendered: {
      'zh-CN': { title: '全市通知', body: '正文' },
      en: { title: 'Notice', body: 'Body' },
    },
    criteria: { tiers: [], jurisdictionCodes: [], organizationKinds: [] },
    channels: ['inbox'],
    sender: 'bench',
    sourceEventId: null,
    audienceSize: recipients,
    createdAt: new Date(),
  },
  [],
);
if (memoryEvery > 0) printMemory('before the fan-out');
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
// The MongoDB stand-in holds every batch record the fan-out writes: its memory is printed too.
const standInMemory =
  servers.mongo.pid === undefined ? undefined : sampleProcessMemory(servers.mongo.pid);
const standInRssBeforeMb =
  servers.mongo.pid === undefined ? null : (await processMemory(servers.mongo.pid)).rssMb;
const claimed = await broadcasts.claim('bench', new Date(), new Date(Date.now() + 60_000));
if (claimed === null) throw new Error('the broadcast could not be claimed');
const tripsBefore = roundTrips;
const cpuBefore = process.cpuUsage();
const started = performance.now();
const end = await run(claimed, 'bench', new AbortController().signal);
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
const trips = roundTrips - tripsBefore;
const stored = await broadcasts.get(id);
const standInAfter = await standInMemory?.stop();

registration.close();
directory.stop();
await connection.close();
await redis.quit();
await stopServers();

const done = stored?.recipientsDone ?? 0;
const cpuMs = (cpu.user + cpu.system) / 1_000;
const figures = {
  recipients,
  batchSize,
  end,
  recipientsDone: done,
  batches: batchesWritten,
  seconds: Number((elapsedMs / 1_000).toFixed(2)),
  noticesPerSecond: Math.round(done / (elapsedMs / 1_000)),
  cpuMsPer1000Notices: Number(((cpuMs / done) * 1_000).toFixed(2)),
  noticesPerCpuSecond: Math.round(done / (cpuMs / 1_000)),
  peakRssMb: Math.round(peakRss / 1_048_576),
  firstNoticeMs: Math.round(firstNoticeAt - started),
  lastNoticeMs: Math.round(lastNoticeAt - started),
  mongoRoundTripsPerBatch: Number((trips / Math.max(1, batchesWritten)).toFixed(2)),
  standInRssBeforeMb,
  standInPeakRssMb: standInAfter?.peakRssMb ?? null,
  boundByStandIn: isLocalStandIn(servers.mongo.origin)
    ? ['seconds', 'noticesPerSecond', 'firstNoticeMs', 'lastNoticeMs']
    : [],
};
console.log(`fan-out of ${String(recipients)} on the inbox: ${end}, ${String(done)} done`);
console.log(
  `  ${String(figures.noticesPerSecond)} notices/s; ${String(figures.noticesPerCpuSecond)} per CPU second of the service (goal 20,000)`,
);
console.log(
  `  ${String(figures.cpuMsPer1000Notices)} ms CPU per 1,000 notices; peak RSS ${String(figures.peakRssMb)} MB (goal < 300)`,
);
console.log(
  `  first notice ${String(figures.firstNoticeMs)} ms, last ${String(figures.lastNoticeMs)} ms; ${String(figures.mongoRoundTripsPerBatch)} Mongo round trips per batch`,
);
console.log(
  `  MongoDB stand-in RSS ${String(figures.standInRssBeforeMb ?? '-')} MB before, peak ${String(figures.standInPeakRssMb ?? '-')} MB during the fan-out`,
);
console.log(
  '  bound by the stand-ins: wall time and notices/s (MongoDB stand-in writes); CPU and RSS are the service’s own',
);
printBenchSummary('notifications-fanout', figures, {
  end: { equals: 'completed' },
  recipientsDone: { equals: recipients },
  noticesPerCpuSecond: { atLeast: 20_000 },
  peakRssMb: { atMost: 300 },
});
if (end !== 'completed' || done !== recipients) process.exitCode = 1;

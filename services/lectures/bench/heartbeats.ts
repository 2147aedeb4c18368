/**
 * Progress heartbeats from --learners concurrent learners of one lesson, each
 * sending --beats heartbeats in turn, against the lectures app started in
 * this process on the harness's servers (MONGODB_URI / KAFKA_BROKERS /
 * REDIS_URL when set, else the local stand-ins).
 *
 *   pnpm --filter @learning/lectures bench:heartbeats [--quick] [--learners 10000] [--beats 3] [--concurrency 128] [--max-seconds 600]
 *
 * --quick is 300 learners (900 heartbeats), 16 in flight: a learner's next
 * heartbeat must not overtake its previous one, which a small run with many in
 * flight on a slow stand-in would make happen.
 * Every learner has started the lesson already (their progress documents are
 * written straight into the collection, as a first heartbeat leaves them), so
 * the figures are the steady state: no registration look-ups, no completions.
 * Each learner's position advances by the real time since its previous
 * heartbeat, so every heartbeat is accepted and credited on the server's own
 * clock. The HTTP load runs in a child process over loopback keep-alive
 * sockets, so this process's CPU time is the service's own; MongoDB calls are
 * counted in this process (mongoose's debug hook), Redis calls are one per
 * heartbeat by construction (the rate limit). Bounded by --max-seconds.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { setTimeout } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from '@learning/auth';
import { generatePiiEnvironment } from '@learning/pii';
import { buildServiceApp } from '@learning/runtime';
import { obtainServiceServers, serviceTestEnvironment } from '@learning/runtime/testing';
import { documentGrams } from '@learning/search';
import { isLocalStandIn, printBenchSummary, runLoadInChild } from '@learning/testing';
import mongoose from 'mongoose';
import { progressDocumentOf, progressModel } from '../src/adapters/mongo/lesson-progress.js';
import { lessonModel } from '../src/adapters/mongo/lessons.js';
import { driverCollection } from '@learning/mongo';
import { lecturesService } from '../src/app.js';
import { loadLecturesConfig } from '../src/config.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    learners: { type: 'string' },
    beats: { type: 'string', default: '3' },
    concurrency: { type: 'string' },
    'max-seconds': { type: 'string', default: '600' },
    // Child mode: run the load this plan describes and print its figures.
    load: { type: 'string' },
  },
});

const CITY = '330281000000';
const TOWNSHIP = '330281001000';
const LESSON_SECONDS = 3 * 3600;
const INSERT_BATCH = 1_000;
const IDLE_SAMPLE_MS = 3_000;
const RSS_SAMPLE_MS = 200;

interface LoadPlan {
  base: string;
  lessonId: string;
  tokens: string[];
  beats: number;
  concurrency: number;
  maxSeconds: number;
}

interface LoadResult {
  statuses: Record<string, number>;
  sent: number;
  ms: number;
  p50Ms: number;
  p99Ms: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

function post(base: string, path: string, token: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${base}${path}`,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/**
 * The load generator: every learner's heartbeats in rounds (learner 0..n,
 * then again), --concurrency in flight; a learner's position moves on by the
 * real time since its last heartbeat was sent.
 */
async function runLoad(file: string): Promise<void> {
  const plan = JSON.parse(readFileSync(file, 'utf8')) as LoadPlan;
  const learners = plan.tokens.length;
  const total = learners * plan.beats;
  const sentAt = new Array<number>(learners).fill(Date.now());
  const position = new Array<number>(learners).fill(0);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + plan.maxSeconds * 1000;
  let next = 0;
  async function worker(): Promise<void> {
    while (next < total && performance.now() < deadline) {
      const index = next;
      next += 1;
      const learner = index % learners;
      const now = Date.now();
      position[learner] = Math.min(
        LESSON_SECONDS,
        (position[learner] ?? 0) + (now - (sentAt[learner] ?? now)) / 1000,
      );
      sentAt[learner] = now;
      const sent = performance.now();
      const status = await post(
        plan.base,
        `/v1/lessons/${plan.lessonId}/progress`,
        plan.tokens[learner] ?? '',
        // Sequence 1 was the first heartbeat, written by the seeding.
        { sequence: 2 + Math.floor(index / learners), positionSeconds: position[learner] },
      );
      latencies.push(performance.now() - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  const ms = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const at = (share: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0;
  const result: LoadResult = {
    statuses,
    sent: latencies.length,
    ms,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
  process.stdout.write(JSON.stringify(result));
}

async function main(): Promise<void> {
  const learners = Number(values.learners ?? (values.quick ? '300' : '10000'));
  const beats = Number(values.beats);
  const concurrency = Number(values.concurrency ?? (values.quick ? '16' : '128'));
  const maxSeconds = Number(values['max-seconds']);
  for (const [name, value] of Object.entries({ learners, beats, concurrency, maxSeconds }))
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} is a positive whole number`);

  const servers = await obtainServiceServers();
  const { mongo, kafka, redis } = servers.servers;
  const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
  const testEnvironment = serviceTestEnvironment('lectures-bench', servers.servers, issuer);
  const database = testEnvironment['MONGODB_DATABASE'] ?? 'lectures-bench';
  const environment = { ...testEnvironment, ...generatePiiEnvironment(), LOG_LEVEL: 'warn' };
  const app = buildServiceApp(lecturesService, loadLecturesConfig(environment));
  const { httpPort } = await app.start();
  const base = `http://127.0.0.1:${httpPort}`;
  const db = await mongoose.createConnection(mongo.uri, { dbName: database }).asPromise();

  let summary: Parameters<typeof printBenchSummary>[1];
  try {
    // One published lesson and every learner's first heartbeat, written directly.
    const lessonId = randomUUID();
    const now = new Date();
    const title = '学习型社会建设讲座';
    await lessonModel(db).create({
      _id: lessonId,
      kind: 'video',
      title,
      description: '',
      categories: ['political_theory'],
      targetTiers: ['ordinary_citizen'],
      lengthSeconds: LESSON_SECONDS,
      requiredShare: 0.9,
      contentUrl: 'https://media.example.org/bench.mp4',
      forumId: null,
      leadDepartment: 'xuanchuan-bu',
      status: 'published',
      publishedAt: now,
      grams: documentGrams(title, ''),
      createdBy: 'bench',
      createdAt: now,
      updatedAt: now,
      jurisdictionPath: ['*'],
      version: 2,
      outbox: [],
    });
    const subjects = Array.from({ length: learners }, (_, i) => `bench-learner-${i}`);
    const progress = progressModel(db);
    for (let i = 0; i < learners; i += INSERT_BATCH)
      await driverCollection(progress).insertMany(
        subjects.slice(i, i + INSERT_BATCH).map((subject) =>
          progressDocumentOf({
            lessonId,
            learnerSubject: subject,
            participantId: randomUUID(),
            jurisdictionPath: [CITY, TOWNSHIP],
            lastSequence: 1,
            lastHeartbeatAt: now,
            positionSeconds: 0,
            creditedSeconds: 0,
            completedAt: null,
            startedAt: now,
          }),
        ),
      );
    const tokens: string[] = [];
    for (const subject of subjects)
      tokens.push(await issuer.sign({ subject, roles: ['participant'] }, { expiresIn: '2h' }));

    // MongoDB calls on the progress collection, counted where the app makes them.
    const calls: Record<string, number> = {};
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'lesson_progress') calls[method] = (calls[method] ?? 0) + 1;
    });

    // What the process burns doing nothing (relays polling), to tell apart from the work.
    const idleBefore = process.cpuUsage();
    await setTimeout(IDLE_SAMPLE_MS);
    const idle = process.cpuUsage(idleBefore);
    const idleCpuPerMs = (idle.user + idle.system) / 1000 / IDLE_SAMPLE_MS;

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, RSS_SAMPLE_MS);
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const wallStarted = performance.now();
    const load = JSON.parse(
      await runLoadInChild(import.meta.filename, {
        base,
        lessonId,
        tokens,
        beats,
        concurrency,
        maxSeconds,
      } satisfies LoadPlan),
    ) as LoadResult;
    const wallMs = performance.now() - wallStarted;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    mongoose.set('debug', false);

    const accepted = load.statuses['200'] ?? 0;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    // The child's start-up is inside wallMs, not in load.ms: take the idle background over all of it.
    const netCpuMs = Math.max(0, cpuMs - idleCpuPerMs * wallMs);
    const progressCalls =
      (calls['findOne'] ?? 0) + (calls['findOneAndUpdate'] ?? 0) + (calls['insertOne'] ?? 0);
    const stored = await progress.aggregate<{ credited: number; beats: number }>([
      {
        $group: {
          _id: null,
          credited: { $sum: '$creditedSeconds' },
          beats: { $sum: '$lastSequence' },
        },
      },
    ]);
    const machine = `${String(cpus().length)} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
    const perSecond = accepted / (load.ms / 1000);
    const lines = [
      `machine: ${machine}`,
      `servers: mongo ${mongo.origin}; kafka ${kafka.origin}; redis ${redis.origin}`,
      `learners: ${String(learners)}, ${String(beats)} heartbeats each, ${String(concurrency)} in flight; sent ${String(load.sent)} in ${(load.ms / 1000).toFixed(1)} s; HTTP statuses ${JSON.stringify(load.statuses)}`,
      `heartbeats/s (accepted): ${perSecond.toFixed(1)}; latency p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms`,
      `service CPU per heartbeat: ${(cpuMs / Math.max(1, accepted)).toFixed(3)} ms in all, ${(netCpuMs / Math.max(1, accepted)).toFixed(3)} ms net of the idle background (${(idleCpuPerMs * 1000).toFixed(0)} ms/s); this process only, the load ran in a child`,
      `RSS: ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
      `MongoDB round trips per accepted heartbeat: ${(progressCalls / Math.max(1, accepted)).toFixed(3)} (${JSON.stringify(calls)}); Redis: 1 (the rate limit)`,
      `credited in all: ${(stored[0]?.credited ?? 0).toFixed(0)} s over ${String(learners)} learners`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const round = (value: number, digits: number): number => Number(value.toFixed(digits));
    summary = {
      machine,
      learners,
      beatsPerLearner: beats,
      concurrency,
      sent: load.sent,
      statuses: load.statuses,
      everyHeartbeatAccepted: accepted === learners * beats,
      heartbeatsPerSecond: round(perSecond, 1),
      p50Ms: round(load.p50Ms, 1),
      p99Ms: round(load.p99Ms, 1),
      cpuMsPerHeartbeat: round(cpuMs / Math.max(1, accepted), 3),
      cpuMsPerHeartbeatNet: round(netCpuMs / Math.max(1, accepted), 3),
      idleCpuMsPerSecond: round(idleCpuPerMs * 1000, 0),
      rssMiBBefore: round(rssBefore / 2 ** 20, 0),
      rssMiBPeak: round(peakRss / 2 ** 20, 0),
      mongoRoundTripsPerHeartbeat: round(progressCalls / Math.max(1, accepted), 3),
      mongoCalls: calls,
      redisRoundTripsPerHeartbeat: 1,
      // Throughput and latency wait on the Python Mongo stand-in; the CPU figures are this process's own.
      boundByStandIn: isLocalStandIn(mongo.origin) ? ['heartbeatsPerSecond', 'p50Ms', 'p99Ms'] : [],
    };
  } finally {
    await db.close();
    await app.stop();
    await servers.stop();
  }
  // The README sets no speed goal here; every heartbeat must be accepted and credited.
  printBenchSummary('lectures.heartbeats', summary, { everyHeartbeatAccepted: { equals: true } });
}

if (values.load !== undefined) await runLoad(values.load);
else await main();

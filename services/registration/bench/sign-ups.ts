/**
 * The 9 o'clock surge: 10,000 people press "sign up" for one event of
 * capacity 500 within one second, then 100 confirmed people cancel, against
 * the registration app started in this process on the harness's servers
 * (MONGODB_URI / KAFKA_BROKERS when set, else the local stand-ins) with a
 * fake owner of the event.
 *
 *   pnpm --filter @learning/registration bench:sign-ups [--quick] [--people 10000] [--capacity 500] [--cancel 100] [--spread-ms 1000] [--cold-tokens]
 *
 * Before 9:00 each person has the event's page open, which asked registration
 * for their enrollments (GET /v1/me/enrollments, unmeasured): their token was
 * verified then and is in the token cache at the surge, as in life;
 * `--cold-tokens` skips that, so every sign-up pays an ES256 verification.
 *
 * The HTTP load runs in a child process, open loop (request i is sent at
 * i × spread / people, whether or not earlier ones were answered; its latency
 * counts from then), so this process's CPU time during the load is the
 * registration service's own (its outbox relay and audit consumer included).
 * Round trips are counted where they leave the service: MongoDB commands by
 * the driver's command monitoring (those issued while serving an HTTP request
 * apart from the background's relay and consumers), Redis commands by MONITOR
 * on a redis-server of the benchmark's own (scripts count once).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { setTimeout } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from '@learning/auth';
import { common } from '@learning/proto';
import { generatePiiEnvironment } from '@learning/pii';
import { obtainServiceServers } from '@learning/runtime/testing';
import { isLocalStandIn, printBenchSummary, runLoadInChild } from '@learning/testing';
import { createRootLogger } from '@learning/logger';
import { connectRedis } from '@learning/redis';
import mongoose from 'mongoose';
import { buildApp } from '../src/app.js';
import { loadRegistrationConfig } from '../src/config.js';
import { openActivity, startFakeOwner } from '../test/support/fake-owner.js';
import { connectTo, seedParticipants } from '../test/support/people.js';
import {
  privateRedisUnavailable,
  startPrivateRedis,
  type PrivateRedis,
} from '../test/support/private-redis.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    people: { type: 'string' },
    capacity: { type: 'string' },
    cancel: { type: 'string' },
    'spread-ms': { type: 'string', default: '1000' },
    // Each person's first request at the sign-up itself: their token is verified then, not before.
    'cold-tokens': { type: 'boolean', default: false },
    // Child mode: send the requests listed in this file.
    load: { type: 'string' },
  },
});

const IDLE_SAMPLE_MS = values.quick ? 1_000 : 3_000;
const CITY = '330281000000';
const TOWNSHIP = '330281001000';

interface LoadPlan {
  base: string;
  /** Request i is sent at i × spreadMs / requests.length after the start. */
  spreadMs: number;
  requests: { method: string; path: string; token: string; body?: unknown }[];
}

interface LoadResult {
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Connections kept open to the service, as a load balancer would: arrivals
 * beyond them wait in the agent's queue, and that wait counts in their
 * latency. More at once overflow the listen backlog while the service is busy.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * One request over node:http, which has no response deadline of its own: on
 * the Python Mongo stand-in a request can wait minutes behind the others.
 */
function send(base: string, request: LoadPlan['requests'][number]): Promise<number> {
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${base}${request.path}`,
      {
        method: request.method,
        agent,
        headers: {
          authorization: `Bearer ${request.token}`,
          'idempotency-key': randomUUID(),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const percentile = (sorted: readonly number[], fraction: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;

/**
 * The load generator, open loop: each request leaves at its planned time and
 * its latency counts from then, so a slow server cannot slow the arrivals
 * down and hide its own queue. Prints the status counts and latencies.
 */
async function runLoad(file: string): Promise<void> {
  const plan = JSON.parse(readFileSync(file, 'utf8')) as LoadPlan;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const started = performance.now();
  const interval = plan.spreadMs / Math.max(1, plan.requests.length);
  const sent: Promise<void>[] = [];
  for (const [index, request] of plan.requests.entries()) {
    const due = started + index * interval;
    const wait = due - performance.now();
    if (wait >= 1) await setTimeout(wait);
    sent.push(
      send(plan.base, request).then((status) => {
        latencies.push(performance.now() - due);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(sent);
  latencies.sort((a, b) => a - b);
  const result: LoadResult = {
    statuses,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? 0,
  };
  process.stdout.write(JSON.stringify(result));
}

const SETTLE_POLL_MS = 50;
const SETTLE_DEADLINE_MS = 10 * 60_000;

/**
 * Runs the plan in a child, then waits until `settled` says the work the
 * requests left behind is done (events relayed, audit records filed): the CPU
 * time covers both, the wall time only the requests.
 */
async function measure(
  plan: LoadPlan,
  settled: () => Promise<boolean>,
): Promise<{ wallMs: number; settleMs: number; cpuMs: number; load: LoadResult }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const load = JSON.parse(await runLoadInChild(import.meta.filename, plan)) as LoadResult;
  const answered = performance.now();
  while (!(await settled())) {
    if (performance.now() - answered > SETTLE_DEADLINE_MS)
      throw new Error('events or audit records still outstanding 10 minutes after the load');
    await setTimeout(SETTLE_POLL_MS);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallMs: answered - started,
    settleMs: performance.now() - answered,
    cpuMs: (cpu.user + cpu.system) / 1000,
    load,
  };
}

/** The URI with the driver's command monitoring on, so every command the app sends is seen. */
function monitored(uri: string): string {
  if (uri.includes('?')) return `${uri}&monitorCommands=true`;
  const hasPath = uri.slice(uri.indexOf('//') + 2).includes('/');
  return `${uri}${hasPath ? '' : '/'}?monitorCommands=true`;
}

/**
 * Counts the MongoDB commands of the app's connection, those sent while
 * serving an HTTP request apart from the rest (relay, consumers, workers).
 * Node announces each request on a diagnostics channel just before handing it
 * to the server; what the request's work starts from there carries the mark.
 */
function countMongoCommands(database: string): { request: number; background: number } {
  const serving = new AsyncLocalStorage<true>();
  subscribe('http.server.request.start', () => {
    serving.enterWith(true);
  });
  const counts = { request: 0, background: 0 };
  const connection = mongoose.connections.find((candidate) => candidate.name === database);
  if (connection === undefined) throw new Error('the app has no connection to the bench database');
  connection.getClient().on('commandStarted', () => {
    if (serving.getStore() === true) counts.request += 1;
    else counts.background += 1;
  });
  return counts;
}

/** Counts the commands clients send to `url` (MONITOR; commands a script runs are not clients' and not counted). */
async function countRedisCommands(
  url: string,
): Promise<{ counts: { commands: number }; stop: () => Promise<void> }> {
  const counts = { commands: 0 };
  const monitor = await connectRedis({
    url,
    logger: createRootLogger({ service: 'sign-ups-bench', version: '0', level: 'warn' }),
  });
  await monitor.monitor((line: string) => {
    if (!line.includes(' lua]')) counts.commands += 1;
  });
  return {
    counts,
    stop: async () => {
      monitor.destroy();
    },
  };
}

async function main(): Promise<void> {
  const people = Number(values.people ?? (values.quick ? 2_000 : 10_000));
  const capacity = Number(values.capacity ?? (values.quick ? 100 : 500));
  const cancellations = Number(values.cancel ?? (values.quick ? 20 : 100));
  const spreadMs = Number(values['spread-ms']);

  const servers = await obtainServiceServers();
  const { mongo, kafka } = servers.servers;
  const noPrivateRedis = privateRedisUnavailable();
  if (noPrivateRedis !== undefined)
    process.stdout.write(`Redis commands not counted: ${noPrivateRedis}\n`);
  // A Redis of the benchmark's own, so MONITOR sees the app's commands and nobody else's.
  const privateRedis: PrivateRedis | undefined =
    noPrivateRedis === undefined ? await startPrivateRedis() : undefined;
  const redis = {
    url: privateRedis?.url ?? servers.servers.redis.url,
    origin: privateRedis === undefined ? servers.servers.redis.origin : 'private redis-server',
  };

  // The fake owner: one activity, open now, for ordinary citizens of the city.
  const owner = await startFakeOwner();
  owner.put(
    openActivity('bench', TOWNSHIP, {
      title: 'Benchmark lecture',
      capacity,
      audience: {
        targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN],
        areaRootCodes: [CITY],
        pupilAgeBand: undefined,
        organizationIds: [],
      },
    }),
  );

  const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
  const database = `registration-bench-${randomUUID().slice(0, 8)}`;
  const config = loadRegistrationConfig({
    MONGODB_URI: monitored(mongo.uri),
    MONGODB_DATABASE: database,
    KAFKA_BROKERS: kafka.brokers.join(','),
    REDIS_URL: redis.url,
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    KAFKA_MAX_WAIT_MS: '100',
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    JWT_PUBLIC_KEY: issuer.publicKeyPem,
    LOG_LEVEL: 'warn',
    ...owner.env(),
    ...generatePiiEnvironment(),
  });
  const app = buildApp(config);
  const { httpPort } = await app.start();
  const base = `http://127.0.0.1:${httpPort}`;
  const db = await connectTo(mongo.uri, database);
  const mongoCommands = countMongoCommands(database);
  const redisCommands =
    privateRedis === undefined ? undefined : await countRedisCommands(privateRedis.url);

  let summary: Parameters<typeof printBenchSummary>[1];
  try {
    const subjects = Array.from({ length: people }, (_, i) => `bench-${i}`);
    await seedParticipants(
      db,
      subjects.map((subject) => ({
        subject,
        tier: 'ordinary_citizen',
        path: [CITY, TOWNSHIP],
      })),
    );
    const tokens = new Map<string, string>();
    for (const subject of subjects)
      tokens.set(
        subject,
        await issuer.sign({ subject, roles: ['participant'] }, { expiresIn: '2h' }),
      );

    if (!values['cold-tokens'])
      await runLoadInChild(import.meta.filename, {
        base,
        spreadMs: 0,
        requests: subjects.map((subject) => ({
          method: 'GET',
          path: '/v1/me/enrollments',
          token: tokens.get(subject) ?? '',
        })),
      } satisfies LoadPlan);

    // What the process burns doing nothing (relays and consumers polling), to tell apart from the work.
    const idleBefore = process.cpuUsage();
    await setTimeout(IDLE_SAMPLE_MS);
    const idle = process.cpuUsage(idleBefore);
    const idleCpuPerMs = (idle.user + idle.system) / 1000 / IDLE_SAMPLE_MS;
    const net = (run: { wallMs: number; settleMs: number; cpuMs: number }, count: number): number =>
      Math.max(0, run.cpuMs - idleCpuPerMs * (run.wallMs + run.settleMs)) / Math.max(1, count);
    // Every sign-up, cancellation and promotion files one audit record and publishes one event.
    const auditRecords = db.collection('audit_log');
    const pendingEvents = db.collection('enrollments');
    const settledAt = (auditCount: number) => async (): Promise<boolean> =>
      (await pendingEvents.countDocuments({ outboxSince: { $exists: true } }, { limit: 1 })) ===
        0 && (await auditRecords.countDocuments()) >= auditCount;

    const mongoBefore = { ...mongoCommands };
    const redisBefore = redisCommands?.counts.commands ?? 0;
    const signUps = await measure(
      {
        base,
        spreadMs,
        requests: subjects.map((subject) => ({
          method: 'POST',
          path: '/v1/enrollments',
          token: tokens.get(subject) ?? '',
          body: { owner: 'activities', eventId: 'bench' },
        })),
      },
      settledAt(people),
    );
    const mongoRequest = (mongoCommands.request - mongoBefore.request) / people;
    const mongoBackground = (mongoCommands.background - mongoBefore.background) / people;
    const redisPerSignUp =
      redisCommands === undefined ? null : (redisCommands.counts.commands - redisBefore) / people;
    const roundTrips = redisPerSignUp === null ? null : mongoRequest + redisPerSignUp;

    interface Row {
      _id: string;
      accountSubject: string;
      status: string;
      sequence: number;
    }
    const rows = () =>
      db
        .collection<Row>('enrollments')
        .find(
          { eventKey: 'activities:bench' },
          { projection: { accountSubject: 1, status: 1, sequence: 1 } },
        )
        .sort({ sequence: 1 })
        .toArray();
    const afterSignUps = await rows();
    const confirmed = afterSignUps.filter((row) => row.status === 'confirmed');
    const waitlisted = afterSignUps.filter((row) => row.status === 'waitlisted');
    const inOrder =
      waitlisted.length === 0 ||
      Math.max(...confirmed.map((row) => row.sequence)) <
        Math.min(...waitlisted.map((row) => row.sequence));
    const distinctSequences =
      new Set(afterSignUps.map((row) => row.sequence)).size === afterSignUps.length;

    const leaving = confirmed.slice(0, cancellations);
    const nextInLine = waitlisted
      .slice(0, cancellations)
      .map((row) => row._id)
      .sort();
    const cancels = await measure(
      {
        base,
        spreadMs: 0,
        requests: leaving.map((row) => ({
          method: 'DELETE',
          path: `/v1/enrollments/${row._id}`,
          token: tokens.get(row.accountSubject) ?? '',
        })),
      },
      settledAt(people + 2 * cancellations),
    );
    const afterCancels = await rows();
    const confirmedIds = new Set(confirmed.map((row) => row._id));
    const promoted = afterCancels
      .filter((row) => row.status === 'confirmed' && !confirmedIds.has(row._id))
      .map((row) => row._id)
      .sort();
    const confirmedAfter = afterCancels.filter((row) => row.status === 'confirmed').length;

    const machine = `${String(cpus().length)} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
    let python = '';
    try {
      python = execFileSync('/usr/bin/python3', ['--version']).toString().trim();
    } catch {
      python = 'no python';
    }
    const confirmedEqualsCapacity = confirmed.length === capacity;
    const statusesOf = (load: LoadResult): string => JSON.stringify(load.statuses);
    const fixed = (value: number | null, digits: number): string =>
      value === null ? 'not counted' : value.toFixed(digits);
    const lines = [
      `machine: ${machine}`,
      `servers: mongo ${mongo.origin}; kafka ${kafka.origin}; redis ${redis.origin} (${python})`,
      `sign-ups: ${String(people)} for capacity ${String(capacity)}, arriving within ${String(spreadMs)} ms; HTTP statuses ${statusesOf(signUps.load)}`,
      `confirmed: ${String(confirmed.length)} (capacity ${String(capacity)}: ${String(confirmedEqualsCapacity)}), waitlisted: ${String(waitlisted.length)}, waitlist in arrival order: ${String(inOrder && distinctSequences)}`,
      `latency from planned arrival: p50 ${signUps.load.p50Ms.toFixed(0)} ms, p99 ${signUps.load.p99Ms.toFixed(0)} ms, max ${signUps.load.maxMs.toFixed(0)} ms; all answered in ${(signUps.wallMs / 1000).toFixed(1)} s (${(people / (signUps.wallMs / 1000)).toFixed(0)} sign-ups/s); events and audit settled ${(signUps.settleMs / 1000).toFixed(1)} s later`,
      `registration CPU per sign-up: ${(signUps.cpuMs / people).toFixed(3)} ms in all, ${net(signUps, people).toFixed(3)} ms net of the idle background (${(idleCpuPerMs * 1000).toFixed(0)} ms/s) (this process only, until its events were relayed and its audit records filed; the load ran in a child process)`,
      `round trips per sign-up: ${fixed(roundTrips, 2)} = MongoDB ${mongoRequest.toFixed(3)} while serving + Redis ${fixed(redisPerSignUp, 3)}; MongoDB commands of the relay, consumers and workers meanwhile: ${mongoBackground.toFixed(2)} per sign-up`,
      `cancellations: ${String(leaving.length)}; HTTP statuses ${statusesOf(cancels.load)}; promoted: ${String(promoted.length)}; the next ${String(leaving.length)} in line: ${String(JSON.stringify(promoted) === JSON.stringify(nextInLine))}; confirmed after: ${String(confirmedAfter)}`,
      `cancellations/s: ${(leaving.length / (cancels.wallMs / 1000)).toFixed(1)}; registration CPU per cancellation: ${(cancels.cpuMs / Math.max(1, leaving.length)).toFixed(3)} ms in all, ${net(cancels, leaving.length).toFixed(3)} ms net`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const round = (value: number, digits: number): number => Number(value.toFixed(digits));
    summary = {
      machine,
      people,
      capacity,
      spreadMs,
      signUpStatuses: signUps.load.statuses,
      confirmed: confirmed.length,
      confirmedEqualsCapacity,
      waitlisted: waitlisted.length,
      waitlistInArrivalOrder: inOrder && distinctSequences,
      p50Ms: round(signUps.load.p50Ms, 0),
      p99Ms: round(signUps.load.p99Ms, 0),
      maxMs: round(signUps.load.maxMs, 0),
      signUpsPerSecond: round(people / (signUps.wallMs / 1000), 1),
      signUpSeconds: round(signUps.wallMs / 1000, 1),
      signUpSettleSeconds: round(signUps.settleMs / 1000, 1),
      tokensVerifiedBefore: !values['cold-tokens'],
      // Net of the idle background (relays and consumers polling), as this figure always was.
      cpuMsPerSignUp: round(net(signUps, people), 3),
      cpuMsPerSignUpInAll: round(signUps.cpuMs / people, 3),
      idleCpuMsPerSecond: round(idleCpuPerMs * 1000, 0),
      roundTripsPerSignUp: roundTrips === null ? null : round(roundTrips, 3),
      mongoRoundTripsPerSignUp: round(mongoRequest, 3),
      redisCommandsPerSignUp: redisPerSignUp === null ? null : round(redisPerSignUp, 3),
      backgroundMongoCommandsPerSignUp: round(mongoBackground, 3),
      cancellations: leaving.length,
      cancellationStatuses: cancels.load.statuses,
      promoted: promoted.length,
      promotedNextInLine: JSON.stringify(promoted) === JSON.stringify(nextInLine),
      confirmedAfterCancellations: confirmedAfter,
      cancellationsPerSecond: round(leaving.length / (cancels.wallMs / 1000), 1),
      cpuMsPerCancellation: round(cancels.cpuMs / Math.max(1, leaving.length), 3),
      cpuMsPerCancellationNet: round(net(cancels, leaving.length), 3),
      // The wall times and latencies wait on the servers; the CPU and round-trip figures are the app's own.
      boundByStandIn: [mongo, kafka].some((server) => isLocalStandIn(server.origin))
        ? [
            'p50Ms',
            'p99Ms',
            'maxMs',
            'signUpsPerSecond',
            'signUpSeconds',
            'signUpSettleSeconds',
            'cancellationsPerSecond',
          ]
        : [],
    };
  } finally {
    await redisCommands?.stop();
    await db.close();
    await app.stop();
    await owner.stop();
    await privateRedis?.stop();
    await servers.stop();
  }
  printBenchSummary('registration.sign-ups', summary, {
    cpuMsPerSignUp: { atMost: 0.5 },
    roundTripsPerSignUp: { atMost: 3 },
    confirmedEqualsCapacity: { equals: true },
    waitlistInArrivalOrder: { equals: true },
    p99Ms: { atMost: 999 },
  });
}

if (values.load !== undefined) await runLoad(values.load);
else await main();

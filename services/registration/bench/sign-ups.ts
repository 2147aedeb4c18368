/**
 * 10,000 concurrent sign-ups for one event of capacity 500, then 100
 * cancellations, against the registration app started in this process on the
 * harness's servers (MONGODB_URI / KAFKA_BROKERS / REDIS_URL when set, else
 * the local stand-ins) with a fake owner of the event.
 *
 *   pnpm --filter @learning/registration bench:sign-ups [--people 10000] [--capacity 500] [--cancel 100] [--concurrency 64]
 *
 * The HTTP load runs in a child process, so this process's CPU time during the
 * load is the registration service's own (its outbox relay included).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
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
import { buildApp } from '../src/app.js';
import { loadRegistrationConfig } from '../src/config.js';
import { openActivity, startFakeOwner } from '../test/support/fake-owner.js';
import { connectTo, seedParticipants } from '../test/support/people.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '10000' },
    capacity: { type: 'string', default: '500' },
    cancel: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '64' },
    // Child mode: send the requests listed in this file.
    load: { type: 'string' },
  },
});

const IDLE_SAMPLE_MS = 3_000;
const CITY = '330281000000';
const TOWNSHIP = '330281001000';

interface LoadPlan {
  base: string;
  concurrency: number;
  requests: { method: string; path: string; token: string; body?: unknown }[];
}

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

/** The load generator: bounded concurrency over loopback; prints the status counts. */
async function runLoad(file: string): Promise<void> {
  const plan = JSON.parse(readFileSync(file, 'utf8')) as LoadPlan;
  const statuses: Record<string, number> = {};
  let next = 0;
  async function worker(): Promise<void> {
    while (next < plan.requests.length) {
      const request = plan.requests[next];
      next += 1;
      if (request === undefined) return;
      const status = await send(plan.base, request);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  process.stdout.write(JSON.stringify(statuses));
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
): Promise<{ wallMs: number; settleMs: number; cpuMs: number; statuses: string }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const statuses = await runLoadInChild(import.meta.filename, plan);
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
    statuses,
  };
}

async function main(): Promise<void> {
  const people = Number(values.people);
  const capacity = Number(values.capacity);
  const cancellations = Number(values.cancel);
  const concurrency = Number(values.concurrency);

  const servers = await obtainServiceServers();
  const { mongo, kafka, redis } = servers.servers;

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
    MONGODB_URI: mongo.uri,
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

    const signUps = await measure(
      {
        base,
        concurrency,
        requests: subjects.map((subject) => ({
          method: 'POST',
          path: '/v1/enrollments',
          token: tokens.get(subject) ?? '',
          body: { owner: 'activities', eventId: 'bench' },
        })),
      },
      settledAt(people),
    );

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
        concurrency: Math.min(concurrency, cancellations),
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
    const lines = [
      `machine: ${machine}`,
      `servers: mongo ${mongo.origin}; kafka ${kafka.origin}; redis ${redis.origin} (${python})`,
      `sign-ups: ${String(people)} for capacity ${String(capacity)}, ${String(concurrency)} in flight; HTTP statuses ${signUps.statuses}`,
      `confirmed: ${String(confirmed.length)}, waitlisted: ${String(waitlisted.length)}, waitlist in arrival order: ${String(inOrder && distinctSequences)}`,
      `sign-ups/s: ${(people / (signUps.wallMs / 1000)).toFixed(1)} (${(signUps.wallMs / 1000).toFixed(1)} s; events and audit settled ${(signUps.settleMs / 1000).toFixed(1)} s later)`,
      `registration CPU per sign-up: ${(signUps.cpuMs / people).toFixed(3)} ms in all, ${net(signUps, people).toFixed(3)} ms net of the idle background (${(idleCpuPerMs * 1000).toFixed(0)} ms/s) (this process only, until its events were relayed and its audit records filed; the load ran in a child process)`,
      `cancellations: ${String(leaving.length)}; HTTP statuses ${cancels.statuses}; promoted: ${String(promoted.length)}; the next ${String(leaving.length)} in line: ${String(JSON.stringify(promoted) === JSON.stringify(nextInLine))}; confirmed after: ${String(confirmedAfter)}`,
      `cancellations/s: ${(leaving.length / (cancels.wallMs / 1000)).toFixed(1)}; registration CPU per cancellation: ${(cancels.cpuMs / Math.max(1, leaving.length)).toFixed(3)} ms in all, ${net(cancels, leaving.length).toFixed(3)} ms net`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const round = (value: number, digits: number): number => Number(value.toFixed(digits));
    summary = {
      machine,
      people,
      capacity,
      concurrency,
      signUpStatuses: JSON.parse(signUps.statuses) as Record<string, number>,
      confirmed: confirmed.length,
      waitlisted: waitlisted.length,
      waitlistInArrivalOrder: inOrder && distinctSequences,
      signUpsPerSecond: round(people / (signUps.wallMs / 1000), 1),
      signUpSeconds: round(signUps.wallMs / 1000, 1),
      signUpSettleSeconds: round(signUps.settleMs / 1000, 1),
      cpuMsPerSignUp: round(signUps.cpuMs / people, 3),
      cpuMsPerSignUpNet: round(net(signUps, people), 3),
      idleCpuMsPerSecond: round(idleCpuPerMs * 1000, 0),
      cancellations: leaving.length,
      cancellationStatuses: JSON.parse(cancels.statuses) as Record<string, number>,
      promoted: promoted.length,
      promotedNextInLine: JSON.stringify(promoted) === JSON.stringify(nextInLine),
      confirmedAfterCancellations: confirmedAfter,
      cancellationsPerSecond: round(leaving.length / (cancels.wallMs / 1000), 1),
      cpuMsPerCancellation: round(cancels.cpuMs / Math.max(1, leaving.length), 3),
      cpuMsPerCancellationNet: round(net(cancels, leaving.length), 3),
      // The wall times wait on the servers; the CPU figures are this process's own.
      boundByStandIn: [mongo, kafka].some((server) => isLocalStandIn(server.origin))
        ? ['signUpsPerSecond', 'signUpSeconds', 'signUpSettleSeconds', 'cancellationsPerSecond']
        : [],
    };
  } finally {
    await db.close();
    await app.stop();
    await owner.stop();
    await servers.stop();
  }
  printBenchSummary('registration.sign-ups', summary);
}

if (values.load !== undefined) await runLoad(values.load);
else await main();

/**
 * The scheduling check with 5,000 experts and 50,000 sessions in the calendar.
 *
 *   pnpm --filter @learning/lectures bench:scheduling [--experts 5000] [--sessions 50000]
 *                                                     [--checks 40] [--concurrency 2] [--quick]
 *
 * --quick is 1,000 experts, 5,000 sessions and 20 checks.
 * Seeds experts and a year of sessions (at 1,000 venues, half in the city,
 * one or two speakers each) straight into a lectures database on the
 * harness's MongoDB (MONGODB_URI when set, else the local stand-in), then
 * runs the check a schedule or reschedule runs (`checkPlan`: the speakers
 * from the pool, the calendar near the plan through the speaker and venue
 * indexes, every rule) through the real Mongo adapters, for random plans.
 * The venue's place and the campaign come from activities over gRPC, cached
 * in memory, and are left out. The process's own CPU per check
 * (process.cpuUsage) is this service's share: the database is another process.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createRootLogger } from '@learning/logger';
import { obtainServiceServers } from '@learning/runtime/testing';
import { isLocalStandIn, printBenchSummary, type BenchFigure } from '@learning/testing';
import { createConnection } from 'mongoose';
import { expertModel } from '../src/adapters/mongo/experts.js';
import {
  MongoExpertDirectory,
  MongoSessionRepository,
} from '../src/adapters/mongo/session-calendar.js';
import { sessionModel } from '../src/adapters/mongo/sessions.js';
import { checkPlan } from '../src/application/sessions/checks.js';
import type { ForumRecord, SessionVenue } from '../src/application/sessions/ports.js';
import { DEFAULT_SCHEDULING_RULES } from '../src/domain/scheduling.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    experts: { type: 'string' },
    sessions: { type: 'string' },
    checks: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
  },
});
const expertCount = Number(values.experts ?? (values.quick ? '1000' : '5000'));
const sessionCount = Number(values.sessions ?? (values.quick ? '5000' : '50000'));
const checkCount = Number(values.checks ?? (values.quick ? '20' : '40'));
const concurrency = Number(values.concurrency);
for (const [name, value] of Object.entries({ expertCount, sessionCount, checkCount, concurrency }))
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} is a whole number, 1 or more`);

const CITY = '330281000000';
const VENUES = 1_000;
const INSERT_BATCH = 1_000;
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const rules = DEFAULT_SCHEDULING_RULES;

/** Deterministic, so two runs check the same plans against the same calendar. */
let seed = 20_270_401;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

const venues: SessionVenue[] = Array.from({ length: VENUES }, (_, index) => {
  const township = 1 + (index % 300);
  return {
    id: randomUUID(),
    name: `会场${index}`,
    address: null,
    setting: township <= 150 ? 'city' : 'countryside',
    townshipCode: `330281${String(township).padStart(3, '0')}000`,
  };
});
const pathOf = (venue: SessionVenue): string[] => [CITY, venue.townshipCode];

const logger = createRootLogger({ service: 'bench-scheduling', version: 'bench', level: 'warn' });
const obtained = await obtainServiceServers();
const { mongo } = obtained.servers;
const connection = await createConnection(mongo.uri, {
  dbName: `lectures-bench-${randomUUID().slice(0, 8)}`,
}).asPromise();
const summary: Record<string, BenchFigure> = {
  experts: expertCount,
  sessions: sessionCount,
  checks: checkCount,
  concurrency,
};

try {
  const sessions = sessionModel(connection);
  const experts = expertModel(connection);
  await Promise.all([sessions.init(), experts.init()]);
  const now = new Date();
  const start = new Date(now.getTime() + DAY);
  start.setUTCHours(0, 0, 0, 0);
  const year = { startsAt: now, endsAt: new Date(start.getTime() + 400 * DAY) };
  const expertIds = Array.from({ length: expertCount }, () => randomUUID());
  const seeded = performance.now();
  for (let at = 0; at < expertIds.length; at += INSERT_BATCH)
    await experts.collection.insertMany(
      expertIds.slice(at, at + INSERT_BATCH).map((id, index): Record<string, unknown> => ({
        _id: id,
        accountSubject: `bench-${id}`,
        participantId: randomUUID(),
        displayName: `专家${at + index}`,
        title: '教授',
        employer: '',
        fields: ['science_culture_skills'],
        specialties: [],
        languages: ['zh-CN'],
        // Most are free all year; one in ten only in the first half.
        availability:
          (at + index) % 10 === 0
            ? [{ startsAt: year.startsAt, endsAt: new Date(start.getTime() + 180 * DAY) }]
            : [year],
        travelRadius: (at + index) % 4 === 0 ? 'city' : 'countryside',
        phoneEncrypted: null,
        emailEncrypted: null,
        status: 'active',
        createdBy: 'bench',
        createdAt: now,
        updatedAt: now,
        version: 1,
        outbox: [],
      })),
      { ordered: false },
    );
  // A year of sessions, 9:00 to 21:00 China time, one to three hours each.
  for (let at = 0; at < sessionCount; at += INSERT_BATCH) {
    const batch: Record<string, unknown>[] = [];
    for (let index = at; index < Math.min(sessionCount, at + INSERT_BATCH); index += 1) {
      const venue = pick(venues);
      const startsAt = new Date(
        start.getTime() + Math.floor(random() * 365) * DAY + (1 + Math.floor(random() * 10)) * HOUR,
      );
      const speakerIds = random() < 0.8 ? [pick(expertIds)] : [pick(expertIds), pick(expertIds)];
      batch.push({
        _id: randomUUID(),
        forumId: 'bench-forum',
        leadDepartment: 'wenming-ban',
        lectureType: 'theory',
        title: `讲座${index}`,
        description: '',
        jurisdictionPath: pathOf(venue),
        venue,
        startsAt,
        endsAt: new Date(startsAt.getTime() + (1 + Math.floor(random() * 3)) * HOUR),
        speakerIds: [...new Set(speakerIds)],
        capacity: 100,
        signUpOpensAt: now,
        signUpClosesAt: startsAt,
        targetTiers: ['ordinary_citizen'],
        categories: [],
        campaignId: null,
        liveStreamUrl: null,
        materials: [],
        recording: null,
        status: index % 20 === 0 ? 'cancelled' : 'scheduled',
        cancellation: null,
        heldAt: null,
        attendanceCount: null,
        grams: [],
        createdBy: 'bench',
        createdAt: now,
        updatedAt: now,
        version: 1,
        outbox: [],
      });
    }
    await sessions.collection.insertMany(batch, { ordered: false });
  }
  const seedSeconds = (performance.now() - seeded) / 1000;
  summary['seedSeconds'] = Number(seedSeconds.toFixed(1));
  console.log(
    `seeded ${expertCount} experts and ${sessionCount} sessions in ${seedSeconds.toFixed(1)} s`,
  );

  const forum: ForumRecord = {
    id: 'bench-forum',
    name: '人文讲坛',
    status: 'active',
    managerSubjects: [],
    leadDepartment: 'wenming-ban',
    ownerDepartment: 'xuanchuan-bu',
    targetTiers: ['ordinary_citizen'],
    categories: [],
  };
  const deps = {
    sessions: new MongoSessionRepository(sessions, logger),
    experts: new MongoExpertDirectory(experts),
    venues: { find: () => Promise.resolve(new Map()) },
    campaigns: { find: () => Promise.resolve(null) },
    jurisdictions: {
      find: () => Promise.resolve(new Map()),
      subtree: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.resolve({ done: true as const, value: [] }),
        }),
      }),
    },
    rules,
    clock: () => new Date(),
  };
  const plan = () => {
    const venue = pick(venues);
    const startsAt = new Date(
      start.getTime() + Math.floor(random() * 365) * DAY + (1 + Math.floor(random() * 10)) * HOUR,
    );
    return {
      forumId: forum.id,
      forum,
      speakerIds: random() < 0.8 ? [pick(expertIds)] : [pick(expertIds), pick(expertIds)],
      venue,
      venuePath: pathOf(venue),
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      capacity: 100,
      signUpWindow: { opensAt: now, closesAt: startsAt },
      campaignId: null,
    };
  };
  const outcomes: Record<string, number> = {};
  const check = async (): Promise<number> => {
    const started = performance.now();
    try {
      await checkPlan(deps, plan());
      outcomes['accepted'] = (outcomes['accepted'] ?? 0) + 1;
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERROR';
      outcomes[code] = (outcomes[code] ?? 0) + 1;
      if (code === 'ERROR') throw error;
    }
    return performance.now() - started;
  };
  // Warm-up: connections, the query plans, the JIT.
  for (let index = 0; index < Math.min(5, checkCount); index += 1) await check();
  for (const key of Object.keys(outcomes)) outcomes[key] = 0;

  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < checkCount) {
        next += 1;
        latencies.push(await check());
      }
    }),
  );
  const elapsed = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // What this process spends doing nothing (the driver's heartbeats, the harness's plumbing to
  // the servers it started), so the CPU per check can be told net of it; measured after the checks, once
  // the seeding's garbage is collected, in the state the checks ran in.
  const idleBefore = process.cpuUsage();
  const idleBegan = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idleCpu = process.cpuUsage(idleBefore);
  const idleCpuMsPerSecond =
    (idleCpu.user + idleCpu.system) / 1000 / ((performance.now() - idleBegan) / 1000);

  latencies.sort((a, b) => a - b);
  const checksPerSecond = checkCount / elapsed;
  const cpuMsPerCheck = (cpu.user + cpu.system) / 1000 / checkCount;
  const netCpuMsPerCheck = Math.max(
    0,
    ((cpu.user + cpu.system) / 1000 - idleCpuMsPerSecond * elapsed) / checkCount,
  );
  Object.assign(summary, {
    checksPerSecond: Number(checksPerSecond.toFixed(1)),
    p50Ms: Number(percentile(latencies, 50).toFixed(1)),
    p99Ms: Number(percentile(latencies, 99).toFixed(1)),
    maxMs: Number((latencies.at(-1) ?? 0).toFixed(1)),
    cpuMsPerCheck: Number(cpuMsPerCheck.toFixed(2)),
    idleCpuMsPerSecond: Number(idleCpuMsPerSecond.toFixed(2)),
    netCpuMsPerCheck: Number(netCpuMsPerCheck.toFixed(2)),
    outcomes,
    // Accepted or refused by a rule, each counted once: no check lost between the workers.
    checksDecided: Object.values(outcomes).reduce((sum, count) => sum + count, 0),
  });
  console.log(
    `${checkCount} checks (${concurrency} at a time) in ${elapsed.toFixed(1)} s: ` +
      `${checksPerSecond.toFixed(1)} checks/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
      `p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
  );
  console.log(
    `this process's CPU: ${cpuMsPerCheck.toFixed(2)} ms per check, ` +
      `${netCpuMsPerCheck.toFixed(2)} ms net of its idle ${idleCpuMsPerSecond.toFixed(2)} ms/s ` +
      `(the database's is its own process's); outcomes ${JSON.stringify(outcomes)}`,
  );
} finally {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await obtained.stop();
}
printBenchSummary(
  'lectures.scheduling',
  {
    ...summary,
    // The stand-in answers one command at a time, scanning the collection in Python for each
    // find; the CPU per check is this process's own and does not wait on it.
    boundByStandIn: isLocalStandIn(mongo.origin)
      ? ['seedSeconds', 'checksPerSecond', 'p50Ms', 'p99Ms', 'maxMs']
      : [],
  },
  // The README sets no speed goal for the check; every check must come to a decision.
  { checksDecided: { equals: checkCount } },
);

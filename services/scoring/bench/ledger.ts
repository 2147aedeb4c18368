/**
 * The credits ledger under a storm of attendance: --events messages on
 * registration's enrollments topic (AttendanceRecorded carrying the attendee,
 * --duplicates of them the same envelope sent again, --reversals
 * AttendanceWithdrawn of an earlier attendance), across --people persons,
 * with daily and yearly caps on, consumed by the scoring app started in this
 * process on the harness's servers (MONGODB_URI / KAFKA_BROKERS / REDIS_URL
 * when set, else the local stand-ins).
 *
 *   pnpm --filter @learning/scoring bench:ledger [--quick] [--events 5000] [--people events/5]
 *     [--duplicates 0.05] [--reversals 0.01] [--max-seconds 600]
 *
 * --quick is 100 events, given at most 180 s.
 * The events are produced from a child process as fast as its producer can,
 * in shuffled order (a person's attendances arrive out of event-time order,
 * so caps are re-evaluated), while the app consumes. The child also watches
 * the credits topic: for a sample of persons it polls their score on the
 * year's tier board until it equals the sum of the entries published so far,
 * which times award-to-leaderboard from each entry's recordedAt. So this
 * process's CPU time is the service's own; MongoDB calls are counted here
 * (mongoose's debug hook; the inbox, on the driver directly, is one insert
 * per event and one query per fetched batch on top). Attendance carries the
 * attendee, so registration is never asked: its address is one nobody
 * listens on. At the end the ledger is checked: no (holder, rule, source)
 * nets more than its rule allots, withdrawn sources net 0, no daily or
 * yearly cap is exceeded, revisions run 1..n, every entry was published,
 * and every board score equals its balance.
 */
import { enrollmentEvents } from '@learning/contracts';
import { chinaDateOf, chinaYearOf } from '@learning/domain';
import {
  consumerGroups,
  fromKafkaMessage,
  newEvent,
  toCloudEvent,
  toKafkaMessage,
  topics,
} from '@learning/events';
import { common, registration } from '@learning/proto';
import { connectRedis, redisKey } from '@learning/redis';
import { createRootLogger } from '@learning/logger';
import { buildServiceApp } from '@learning/runtime';
import { obtainServiceServers, serviceTestEnvironment } from '@learning/runtime/testing';
import { createLocalIssuer } from '@learning/auth';
import { isLocalStandIn, printBenchSummary, runLoadInChild, uniqueName } from '@learning/testing';
import { Kafka, logLevel, type Admin, type Message } from 'kafkajs';
import mongoose from 'mongoose';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ruleModel, type RuleDocument } from '../src/adapters/mongo/rules.js';
import { scoringService } from '../src/app.js';
import { loadScoringConfig } from '../src/config.js';
import { boardKeyParts } from '../src/domain/boards.js';
import { parseCredits } from '../src/domain/credits.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    events: { type: 'string' },
    people: { type: 'string' },
    duplicates: { type: 'string', default: '0.05' },
    reversals: { type: 'string', default: '0.01' },
    'max-seconds': { type: 'string' },
    // Child mode: produce the storm this plan describes, watch the boards, print the figures.
    load: { type: 'string' },
  },
});

const CITY = '330281000000';
const TOWNSHIPS = ['330281001000', '330281002000', '330281003000'];
const TIER = 'ordinary_citizen';
const PRODUCE_BATCH = 1_000;
/** Persons whose award-to-leaderboard time is measured (every n-th). */
const SAMPLE_PERSONS = 200;
const POLL_MS = 5;
const LAG_POLL_MS = 200;
/** Nothing new on the credits topic this long after the drain: the relay and boards are done. */
const QUIET_MS = 2_000;
const IDLE_SAMPLE_MS = 3_000;
const RSS_SAMPLE_MS = 200;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The rules under test, with caps that bite on five attendances a person. */
const LECTURE_RULE = {
  id: 'bench-lectures',
  source: 'lecture_attended',
  basis: 'per_hour',
  credits: 100,
  dailyCap: 200,
  yearlyCap: 500,
} as const;
const ACTIVITY_RULE = {
  id: 'bench-activities',
  source: 'activity_attended',
  basis: 'per_occurrence',
  credits: 150,
  dailyCap: 200,
  yearlyCap: 400,
} as const;
const RULES = [LECTURE_RULE, ACTIVITY_RULE];

interface LoadPlan {
  brokers: string[];
  redisUrl: string;
  /** The app's database: its boards' namespace. */
  namespace: string;
  groupNamespace: string;
  year: number;
  events: number;
  people: number;
  duplicates: number;
  reversals: number;
  maxSeconds: number;
}

interface LoadResult {
  produced: { attendances: number; duplicates: number; reversals: number; messages: number };
  produceMs: number;
  /** From the first send to the credits group's committed offsets reaching the topic's end. */
  drainMs: number;
  /** From the first send until the boards group caught up and the credits topic went quiet. */
  settledMs: number;
  /** False when --max-seconds ran out first: the figures are then of part of the storm. */
  settled: boolean;
  creditMessages: number;
  creditEntryIds: number;
  latencySamples: number;
  unmatchedSamples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const quietLogger = () =>
  createRootLogger({ service: 'bench-ledger', version: 'bench', level: 'warn' });

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

/** Committed offsets of `groupId` behind the end of `topic`, summed over partitions. */
async function lagOf(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const at = new Map(
    (committed[0]?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]),
  );
  return ends.reduce((lag, { partition, high }) => {
    const done = Math.max(0, at.get(partition) ?? 0);
    return lag + Math.max(0, Number(high) - done);
  }, 0);
}

interface Attendance {
  enrollmentId: string;
  participantId: string;
  owner: 'lectures' | 'activities';
  startsAt: Date;
  minutes: number;
}

/**
 * The storm, in produce order: attendances shuffled, each duplicate and
 * withdrawal somewhere after the attendance it repeats or withdraws.
 */
function stormOf(plan: LoadPlan): {
  messages: Message[];
  people: string[];
  counts: LoadResult['produced'];
} {
  const duplicates = Math.round(plan.events * plan.duplicates);
  const reversals = Math.round(plan.events * plan.reversals);
  const attendances = plan.events - duplicates - reversals;
  const people = Array.from({ length: plan.people }, () => randomUUID());
  const yearStart = Date.parse(`${String(plan.year)}-01-01T00:00:00+08:00`);
  // Everything happened before today, so no rule version is younger than what it credits.
  const days = Math.max(1, Math.min(330, Math.floor((Date.now() - yearStart) / DAY_MS) - 12));
  // Each person's attendances fall within a fortnight, so several share a day and the daily cap bites.
  const firstDay = people.map(() => randomInt(days));
  const list: Attendance[] = Array.from({ length: attendances }, (_, index) => {
    const person = index % plan.people;
    const day = (firstDay[person] ?? 0) + randomInt(12);
    return {
      enrollmentId: randomUUID(),
      participantId: people[person] ?? '',
      owner: index % 3 === 0 ? 'activities' : 'lectures',
      startsAt: new Date(yearStart + day * DAY_MS + (8 + randomInt(10)) * HOUR_MS),
      minutes: 60 + randomInt(5) * 15,
    };
  });
  for (let i = list.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [list[i], list[j]] = [list[j] as Attendance, list[i] as Attendance];
  }
  const attendedEvent = (attendance: Attendance): registration.AttendanceRecorded =>
    registration.AttendanceRecorded.fromPartial({
      enrollmentId: attendance.enrollmentId,
      event: { owner: attendance.owner, eventId: `event-${attendance.enrollmentId}` },
      participantId: attendance.participantId,
      basis: registration.AttendanceBasis.ATTENDANCE_BASIS_CHECK_IN,
      attendedAt: new Date(attendance.startsAt.getTime() + attendance.minutes * 60_000),
      accountSubject: `account-${attendance.participantId}`,
      attendee: {
        tier: common.Tier.TIER_ORDINARY_CITIZEN,
        jurisdictionPath: [
          CITY,
          TOWNSHIPS[attendance.participantId.charCodeAt(0) % TOWNSHIPS.length] ?? CITY,
        ],
        organizationIds: [],
      },
      attendedEvent: {
        title: '玉海大讲坛 · 宋韵文化',
        categories: [common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS],
        campaignId: '',
        startsAt: attendance.startsAt,
        endsAt: new Date(attendance.startsAt.getTime() + attendance.minutes * 60_000),
        learningMinutes: attendance.minutes,
        jurisdictionPath: [CITY],
        organizerOrganizationId: '',
      },
    });
  const message = (key: string, event: ReturnType<typeof toCloudEvent>): Message => ({
    ...toKafkaMessage(event),
    key,
  });
  const ordered: { at: number; message: Message }[] = list.map((attendance, index) => ({
    at: index,
    message: message(
      attendance.enrollmentId,
      toCloudEvent(
        newEvent(
          enrollmentEvents.AttendanceRecorded,
          attendance.enrollmentId,
          attendedEvent(attendance),
        ),
        '/learning/registration',
      ),
    ),
  }));
  const later = (index: number): number => index + 0.5 + Math.random() * (list.length - index);
  for (let i = 0; i < duplicates; i += 1) {
    const index = randomInt(list.length);
    const original = ordered[index];
    if (original !== undefined) ordered.push({ at: later(index), message: original.message });
  }
  for (let i = 0; i < reversals; i += 1) {
    const index = randomInt(list.length);
    const attendance = list[index] as Attendance;
    const attendedAt = new Date(attendance.startsAt.getTime() + attendance.minutes * 60_000);
    const withdrawal = registration.AttendanceWithdrawn.fromPartial({
      enrollmentId: attendance.enrollmentId,
      event: { owner: attendance.owner, eventId: `event-${attendance.enrollmentId}` },
      participantId: attendance.participantId,
      reason:
        registration.AttendanceWithdrawalReason.ATTENDANCE_WITHDRAWAL_REASON_OFFICER_CORRECTION,
      note: '',
      attendedAt,
      withdrawnAt: new Date(attendedAt.getTime() + HOUR_MS),
    });
    ordered.push({
      at: later(index),
      message: message(
        attendance.enrollmentId,
        toCloudEvent(
          newEvent(enrollmentEvents.AttendanceWithdrawn, attendance.enrollmentId, withdrawal),
          '/learning/registration',
        ),
      ),
    });
  }
  ordered.sort((a, b) => a.at - b.at);
  return {
    messages: ordered.map(({ message: produced }) => produced),
    people,
    counts: { attendances, duplicates, reversals, messages: ordered.length },
  };
}

/** The load generator and watch: runs in a child, so none of its CPU is the service's. */
async function runLoad(file: string): Promise<void> {
  const plan = JSON.parse(readFileSync(file, 'utf8')) as LoadPlan;
  const { messages, people, counts } = stormOf(plan);
  const kafka = new Kafka({
    clientId: 'bench-ledger-load',
    brokers: plan.brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  const admin = kafka.admin();
  const watcher = kafka.consumer({
    groupId: uniqueName('bench-ledger-watch'),
    maxWaitTimeInMs: 50,
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
  });
  const [redis] = await Promise.all([
    connectRedis({ url: plan.redisUrl, logger: quietLogger() }),
    producer.connect(),
    admin.connect(),
    watcher.connect(),
  ]);

  // Each sampled person's score on the year's tier board, keyed as the boards adapter keys it.
  const boardKey = redisKey(
    'scoring',
    `{boards-${plan.namespace}-${String(plan.year)}}`,
    'live',
    ...boardKeyParts(
      { year: plan.year, campaignId: null },
      { family: 'persons-by-tier', subject: TIER },
    ),
  );
  const every = Math.max(1, Math.floor(people.length / SAMPLE_PERSONS));
  const sampled = new Set(people.filter((_, index) => index % every === 0));
  const sums = new Map<string, number>();
  const pending = new Map<string, number[]>();
  const latencies: number[] = [];
  const entryIds = new Set<string>();
  let creditMessages = 0;
  let lastCreditAt = Date.now();

  const joined = new Promise<void>((resolve) => {
    watcher.on(watcher.events.GROUP_JOIN, () => {
      resolve();
    });
  });
  await watcher.subscribe({ topics: [topics.scoringCredits.name], fromBeginning: false });
  await watcher.run({
    eachMessage: async ({ message }) => {
      const event = fromKafkaMessage(message);
      const data = event.data as {
        entryId: string;
        holderId: string;
        amount: string;
        recordedAt: string;
      };
      creditMessages += 1;
      lastCreditAt = Date.now();
      entryIds.add(data.entryId);
      if (!sampled.has(data.holderId)) return;
      sums.set(data.holderId, (sums.get(data.holderId) ?? 0) + parseCredits(data.amount));
      const waiting = pending.get(data.holderId) ?? [];
      waiting.push(Date.parse(data.recordedAt));
      pending.set(data.holderId, waiting);
    },
  });
  await joined;

  const polling = new AbortController();
  const poller = (async () => {
    while (!polling.signal.aborted) {
      const holders = [...pending.keys()];
      if (holders.length > 0) {
        const batch = redis.multi();
        for (const holder of holders) batch.zScore(boardKey, holder);
        const scores = (await batch.exec()) as unknown as (number | null)[];
        const now = Date.now();
        holders.forEach((holder, index) => {
          // A person whose credits were all reversed leaves the board: 0.
          if ((scores[index] ?? 0) !== (sums.get(holder) ?? 0)) return;
          for (const recordedAt of pending.get(holder) ?? []) latencies.push(now - recordedAt);
          pending.delete(holder);
        });
      }
      await setTimeout(POLL_MS);
    }
  })();

  const started = performance.now();
  const deadline = started + plan.maxSeconds * 1000;
  for (let i = 0; i < messages.length; i += PRODUCE_BATCH)
    await producer.send({
      topic: topics.registrationEnrollments.name,
      messages: messages.slice(i, i + PRODUCE_BATCH),
    });
  const produceMs = performance.now() - started;

  const creditsGroup = `${plan.groupNamespace}.${consumerGroups.scoringCredits}`;
  const boardsGroup = `${plan.groupNamespace}.${consumerGroups.scoringLeaderboards}`;
  while (
    (await lagOf(admin, creditsGroup, topics.registrationEnrollments.name)) > 0 &&
    performance.now() < deadline
  )
    await setTimeout(LAG_POLL_MS);
  const drainMs = performance.now() - started;
  while (
    performance.now() < deadline &&
    (Date.now() - lastCreditAt < QUIET_MS ||
      pending.size > 0 ||
      (await lagOf(admin, boardsGroup, topics.scoringCredits.name)) > 0)
  )
    await setTimeout(LAG_POLL_MS);
  const settledMs = performance.now() - started;
  const settled = performance.now() < deadline;
  polling.abort();
  await poller;
  await Promise.all([watcher.disconnect(), producer.disconnect(), admin.disconnect()]);
  await redis.quit();

  latencies.sort((a, b) => a - b);
  const result: LoadResult = {
    produced: counts,
    produceMs,
    drainMs,
    settledMs,
    settled,
    creditMessages,
    creditEntryIds: entryIds.size,
    latencySamples: latencies.length,
    unmatchedSamples: [...pending.values()].reduce((sum, waiting) => sum + waiting.length, 0),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1] ?? Number.NaN,
  };
  process.stdout.write(JSON.stringify(result));
}

/** Both rules in effect all year, as the office's API would have stored them. */
function ruleDocument(rule: (typeof RULES)[number], year: number): RuleDocument {
  const at = new Date(`${String(year - 1)}-12-01T00:00:00Z`);
  return {
    _id: rule.id,
    kind: 'base',
    name: rule.id,
    source: rule.source,
    categories: [],
    tiers: [],
    campaignId: null,
    versions: [
      {
        version: 1,
        effectiveFrom: `${String(year)}-01-01`,
        effectiveTo: null,
        basis: { kind: rule.basis, credits: rule.credits },
        dailyCap: rule.dailyCap,
        yearlyCap: rule.yearlyCap,
        bonusPercent: null,
        createdBy: 'bench',
        createdAt: at,
      },
    ],
    firstYear: year,
    lastYear: 9999,
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** The most a source can earn under its rule before caps: the basis applied to its minutes. */
function allotment(ruleId: string, minutes: number): number {
  const rule = RULES.find(({ id }) => id === ruleId);
  if (rule === undefined) return 0;
  // Per hour pro rata by minute, rounded half up to a hundredth (decision 0016).
  return rule.basis === 'per_hour' ? Math.round((rule.credits * minutes) / 60) : rule.credits;
}

interface LedgerRow {
  _id: string;
  holderId: string;
  ruleId: string;
  sourceId: string;
  revision: number;
  amount: number;
  occurredAt: Date;
  minutes: number;
}

/** What went wrong in the ledger, by kind of check; all zero when nothing doubled. */
async function checkLedger(
  db: mongoose.mongo.Db,
  boardScores: ReadonlyMap<string, number>,
): Promise<{ problems: Record<string, number>; entries: number; facts: number; holders: number }> {
  const problems = {
    pairOverAllotment: 0,
    pairNegative: 0,
    withdrawnNotZero: 0,
    dailyCapExceeded: 0,
    yearlyCapExceeded: 0,
    revisionGaps: 0,
    boardNotBalance: 0,
  };
  const withdrawn = new Set<string>();
  const factMinutes = new Map<string, number>();
  let facts = 0;
  for await (const fact of db
    .collection<{ holderId: string; sourceId: string; withdrawnAt: Date | null; minutes: number }>(
      'facts',
    )
    .find({}, { projection: { holderId: 1, sourceId: 1, withdrawnAt: 1, minutes: 1 } })) {
    facts += 1;
    const key = `${fact.holderId}|${fact.sourceId}`;
    factMinutes.set(key, fact.minutes);
    if (fact.withdrawnAt !== null) withdrawn.add(key);
  }
  const pairs = new Map<string, { sum: number; revisions: number[]; minutes: number }>();
  const days = new Map<string, number>();
  const years = new Map<string, number>();
  const balances = new Map<string, number>();
  let entries = 0;
  for await (const entry of db
    .collection<LedgerRow>('ledger')
    .find({}, { projection: { outbox: 0, outboxSince: 0 } })) {
    entries += 1;
    const pairKey = `${entry.holderId}|${entry.ruleId}|${entry.sourceId}`;
    const pair = pairs.get(pairKey) ?? { sum: 0, revisions: [], minutes: entry.minutes };
    pair.sum += entry.amount;
    pair.revisions.push(entry.revision);
    pairs.set(pairKey, pair);
    const dayKey = `${entry.holderId}|${entry.ruleId}|${chinaDateOf(entry.occurredAt)}`;
    days.set(dayKey, (days.get(dayKey) ?? 0) + entry.amount);
    const yearKey = `${entry.holderId}|${entry.ruleId}`;
    years.set(yearKey, (years.get(yearKey) ?? 0) + entry.amount);
    balances.set(entry.holderId, (balances.get(entry.holderId) ?? 0) + entry.amount);
  }
  for (const [key, pair] of pairs) {
    const [holderId = '', ruleId = '', sourceId = ''] = key.split('|');
    const factKey = `${holderId}|${sourceId}`;
    if (pair.sum > allotment(ruleId, factMinutes.get(factKey) ?? pair.minutes))
      problems.pairOverAllotment += 1;
    if (pair.sum < 0) problems.pairNegative += 1;
    if (withdrawn.has(factKey) && pair.sum !== 0) problems.withdrawnNotZero += 1;
    pair.revisions.sort((a, b) => a - b);
    if (pair.revisions.some((revision, index) => revision !== index + 1))
      problems.revisionGaps += 1;
  }
  const capOf = (key: string, cap: 'dailyCap' | 'yearlyCap'): number => {
    const ruleId = key.split('|')[1];
    return RULES.find(({ id }) => id === ruleId)?.[cap] ?? Number.POSITIVE_INFINITY;
  };
  for (const [key, sum] of days) if (sum > capOf(key, 'dailyCap')) problems.dailyCapExceeded += 1;
  for (const [key, sum] of years)
    if (sum > capOf(key, 'yearlyCap')) problems.yearlyCapExceeded += 1;
  for (const holder of new Set([...balances.keys(), ...boardScores.keys()]))
    if ((boardScores.get(holder) ?? 0) !== (balances.get(holder) ?? 0))
      problems.boardNotBalance += 1;
  return { problems, entries, facts, holders: balances.size };
}

async function main(): Promise<void> {
  const events = Number(values.events ?? (values.quick ? '100' : '5000'));
  const people = values.people === undefined ? Math.floor(events / 5) : Number(values.people);
  const duplicates = Number(values.duplicates);
  const reversals = Number(values.reversals);
  const maxSeconds = Number(values['max-seconds'] ?? (values.quick ? '180' : '600'));
  for (const [name, value] of Object.entries({ events, people, maxSeconds }))
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} is a positive whole number`);
  for (const [name, value] of Object.entries({ duplicates, reversals }))
    if (!(value >= 0 && value < 0.5)) throw new Error(`${name} is a share from 0 to 0.5`);

  const servers = await obtainServiceServers();
  const { mongo, kafka, redis } = servers.servers;
  const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
  const testEnvironment = serviceTestEnvironment('scoring-bench', servers.servers, issuer);
  const database = testEnvironment['MONGODB_DATABASE'] ?? 'scoring-bench';
  const groupNamespace = uniqueName('bench-ledger');
  const year = chinaYearOf(new Date());
  const db = await mongoose.createConnection(mongo.uri, { dbName: database }).asPromise();
  await ruleModel(db).create(RULES.map((rule) => ruleDocument(rule, year)));

  // A fresh group reads from the beginning: start it at the topics' ends, so only this storm counts.
  const kafkaClient = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = kafkaClient.admin();
  await admin.connect();
  for (const [group, topic] of [
    [consumerGroups.scoringCredits, topics.registrationEnrollments.name],
    [consumerGroups.scoringLeaderboards, topics.scoringCredits.name],
  ] as const) {
    const ends = await admin.fetchTopicOffsets(topic);
    // An empty topic (a fresh stand-in, which has no DescribeGroups for setOffsets) needs nothing.
    if (ends.every(({ high }) => Number(high) === 0)) continue;
    await admin.setOffsets({
      groupId: `${groupNamespace}.${group}`,
      topic,
      partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
    });
  }
  await admin.disconnect();

  const environment = {
    ...testEnvironment,
    LOG_LEVEL: 'warn',
    KAFKA_GROUP_NAMESPACE: groupNamespace,
    VERIFICATION_KEY: randomBytes(32).toString('base64'),
    // Attendance carries its attendee: registration is never asked, so nothing listens here.
    REGISTRATION_GRPC_ADDRESS: '127.0.0.1:9',
  };
  const app = buildServiceApp(scoringService, loadScoringConfig(environment));
  await app.start();

  let summary: Parameters<typeof printBenchSummary>[1];
  try {
    // What the process burns doing nothing (relays polling), to tell apart from the work.
    const idleBefore = process.cpuUsage();
    await setTimeout(IDLE_SAMPLE_MS);
    const idle = process.cpuUsage(idleBefore);
    const idleCpuPerMs = (idle.user + idle.system) / 1000 / IDLE_SAMPLE_MS;

    // MongoDB calls the app makes through mongoose, by collection and method.
    const counted = new Map<string, number>();
    mongoose.set('debug', (collection: string, method: string) => {
      const key = `${collection}.${method}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    });

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, RSS_SAMPLE_MS);
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();
    const wallStarted = performance.now();
    const load = JSON.parse(
      await runLoadInChild(import.meta.filename, {
        brokers: kafka.brokers,
        redisUrl: redis.url,
        namespace: database,
        groupNamespace,
        year,
        events,
        people,
        duplicates,
        reversals,
        maxSeconds,
      } satisfies LoadPlan),
    ) as LoadResult;
    const wallMs = performance.now() - wallStarted;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    mongoose.set('debug', false);
    const calls = Object.fromEntries(counted);

    const native = db.db;
    if (native === undefined) throw new Error('the bench connection has no database');
    const outboxLeft = await native
      .collection('ledger')
      .countDocuments({ 'outbox.0': { $exists: true } });
    const boardClient = await connectRedis({ url: redis.url, logger: quietLogger() });
    const boardKey = redisKey(
      'scoring',
      `{boards-${database}-${String(year)}}`,
      'live',
      ...boardKeyParts({ year, campaignId: null }, { family: 'persons-by-tier', subject: TIER }),
    );
    const board = await boardClient.zRangeWithScores(boardKey, 0, -1);
    await boardClient.quit();
    const check = await checkLedger(
      native,
      new Map(board.map(({ value, score }) => [value, score])),
    );
    const ok =
      load.settled &&
      Object.values(check.problems).every((count) => count === 0) &&
      outboxLeft === 0 &&
      load.creditEntryIds === check.entries &&
      load.unmatchedSamples === 0;

    const messages = load.produced.messages;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const netCpuMs = Math.max(0, cpuMs - idleCpuPerMs * wallMs);
    const mongoCalls = Object.values(calls).reduce((sum, count) => sum + count, 0);
    const drainSeconds = load.drainMs / 1000;
    const machine = `${String(cpus().length)} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
    const lines = [
      `machine: ${machine}`,
      `servers: mongo ${mongo.origin}; kafka ${kafka.origin}; redis ${redis.origin}`,
      `storm: ${String(messages)} messages (${String(load.produced.attendances)} attendances, ${String(load.produced.duplicates)} duplicates, ${String(load.produced.reversals)} withdrawals) across ${String(people)} persons, produced in ${(load.produceMs / 1000).toFixed(1)} s`,
      `drained in ${drainSeconds.toFixed(1)} s: ${(messages / drainSeconds).toFixed(1)} events/s, ${(check.entries / drainSeconds).toFixed(1)} awards/s (${String(check.entries)} ledger entries, ${String(check.facts)} facts, ${String(check.holders)} holders); boards settled at ${(load.settledMs / 1000).toFixed(1)} s`,
      `award-to-leaderboard over ${String(load.latencySamples)} entries of sampled persons: p50 ${load.p50Ms.toFixed(0)} ms, p99 ${load.p99Ms.toFixed(0)} ms, max ${load.maxMs.toFixed(0)} ms`,
      `service CPU per event: ${(cpuMs / messages).toFixed(3)} ms in all, ${(netCpuMs / messages).toFixed(3)} ms net of the idle background (${(idleCpuPerMs * 1000).toFixed(0)} ms/s); this process only, the load ran in a child`,
      `MongoDB round trips per event (mongoose): ${(mongoCalls / messages).toFixed(2)}; plus the inbox's insert per event and query per fetched batch`,
      `  ${JSON.stringify(calls)}`,
      `RSS: ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
      `checks: ${JSON.stringify(check.problems)}; outbox left ${String(outboxLeft)}; entries published ${String(load.creditEntryIds)} of ${String(check.entries)}; samples unmatched ${String(load.unmatchedSamples)}${load.settled ? '' : '; --max-seconds ran out'}: ${ok ? 'nothing doubled' : 'FAILED'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    summary = {
      machine,
      events: messages,
      people,
      attendances: load.produced.attendances,
      duplicates: load.produced.duplicates,
      reversals: load.produced.reversals,
      ledgerEntries: check.entries,
      facts: check.facts,
      produceSeconds: round(load.produceMs / 1000, 1),
      drainSeconds: round(drainSeconds, 1),
      settledSeconds: round(load.settledMs / 1000, 1),
      eventsPerSecond: round(messages / drainSeconds, 1),
      awardsPerSecond: round(check.entries / drainSeconds, 1),
      cpuMsPerEvent: round(cpuMs / messages, 3),
      cpuMsPerEventNet: round(netCpuMs / messages, 3),
      idleCpuMsPerSecond: round(idleCpuPerMs * 1000, 0),
      mongoRoundTripsPerEvent: round(mongoCalls / messages, 2),
      mongoCalls: calls,
      awardToLeaderboardP50Ms: round(load.p50Ms, 0),
      awardToLeaderboardP99Ms: round(load.p99Ms, 0),
      awardToLeaderboardMaxMs: round(load.maxMs, 0),
      latencySamples: load.latencySamples,
      rssMiBBefore: round(rssBefore / 2 ** 20, 0),
      rssMiBPeak: round(peakRss / 2 ** 20, 0),
      checks: check.problems,
      settled: load.settled,
      nothingDoubled: ok,
      // Throughput and latency wait on the Python Mongo stand-in; CPU and round trips are this process's own.
      boundByStandIn: isLocalStandIn(mongo.origin)
        ? ['eventsPerSecond', 'awardsPerSecond', 'drainSeconds', 'awardToLeaderboardP99Ms']
        : [],
    };
  } finally {
    await db.close();
    await app.stop();
    await servers.stop();
  }
  // No speed goal in the README: the ledger must check out (nothing doubled, capped, published, on the boards).
  printBenchSummary('scoring.ledger', summary, { nothingDoubled: { equals: true } });
}

if (values.load !== undefined) await runLoad(values.load);
else await main();

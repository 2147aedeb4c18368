/**
 * The coverage report over a city of 300 townships and a year of sessions,
 * through the real route.
 *
 *   pnpm --filter @learning/lectures bench:coverage [--townships 300] [--sessions 20000]
 *     [--attendance 50000] [--runs 10] [--quick]
 *
 * --quick is 30 townships, 2,000 sessions, 5,000 attendance records and 3 runs.
 * 200,000 attendance records load in about 90 s on the Python Mongo stand-in,
 * but its one lock then holds the year's aggregate longer than the driver's
 * server monitor waits, and the report fails: that size needs a real MongoDB
 * (MONGODB_URI).
 *
 * Starts lectures in this process on the harness's servers (MONGODB_URI /
 * KAFKA_BROKERS / REDIS_URL when set, else the local stand-ins) with the tree
 * served from memory (half townships, half streets: registration's stream of
 * it is timed by activities' bench:coverage), seeds the year's sessions (one
 * in twenty cancelled, the rest held or scheduled) and attendance straight
 * into its collections in bulk, then asks GET /v1/coverage for the whole city:
 * a warm-up, then --runs requests one after another from a child process, so
 * this process's CPU time is the service's own. Median and p99 of the
 * report, CPU per report net of the idle background, RSS after the runs.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createLocalIssuer } from '@learning/auth';
import { chinaYearOf, type JurisdictionLevel } from '@learning/domain';
import { buildServiceApp, type App } from '@learning/runtime';
import { obtainServiceServers, serviceTestEnvironment } from '@learning/runtime/testing';
import { generatePiiEnvironment } from '@learning/pii';
import {
  isLocalStandIn,
  printBenchSummary,
  runLoadInChild,
  type BenchFigure,
} from '@learning/testing';
import { createConnection } from 'mongoose';
import { driverCollection } from '@learning/mongo';
import { attendanceModel, type AttendanceDocument } from '../src/adapters/mongo/attendance.js';
import { sessionModel, type SessionDocument } from '../src/adapters/mongo/sessions.js';
import { lecturesService } from '../src/app.js';
import type { Jurisdiction, Jurisdictions } from '../src/application/ports.js';
import { loadLecturesConfig } from '../src/config.js';
import { quarterBoundaries } from '../src/domain/coverage.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    townships: { type: 'string' },
    sessions: { type: 'string' },
    attendance: { type: 'string' },
    runs: { type: 'string' },
    // Child mode: ask for the report as this file says and print each request's time.
    load: { type: 'string' },
  },
});

const CITY = '330281000000';
const INSERT_BATCH = 2_000;
const IDLE_SAMPLE_MS = 3_000;

interface LoadPlan {
  url: string;
  token: string;
  runs: number;
}

/** The load generator: the report, one request at a time; prints the times in ms. */
async function runLoad(file: string): Promise<void> {
  const plan = JSON.parse(readFileSync(file, 'utf8')) as LoadPlan;
  const times: number[] = [];
  for (let run = 0; run < plan.runs; run += 1) {
    const started = performance.now();
    const response = await fetch(plan.url, { headers: { authorization: `Bearer ${plan.token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`the report answered HTTP ${response.status}`);
    times.push(performance.now() - started);
  }
  process.stdout.write(JSON.stringify(times));
}

const percentile = (numbers: readonly number[], p: number): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

/** Half townships (countryside), half streets (city), as the city's 12-digit codes. */
function cityTree(count: number): Jurisdiction[] {
  const nodes: Jurisdiction[] = [{ code: CITY, name: '市', level: 'city', path: [CITY] }];
  for (let t = 1; t <= count; t += 1) {
    const code = `330281${String(t).padStart(3, '0')}000`;
    const level: JurisdictionLevel = t % 2 === 0 ? 'street' : 'township';
    nodes.push({
      code,
      name: `第${t}${level === 'street' ? '街道' : '镇'}`,
      level,
      path: [CITY, code],
    });
  }
  return nodes;
}

/** The tree from memory, in pages of 500 as registration streams it. */
function treeServedFromMemory(nodes: readonly Jurisdiction[]): Jurisdictions {
  return {
    find: (codes) =>
      Promise.resolve(new Map(nodes.filter((n) => codes.includes(n.code)).map((n) => [n.code, n]))),
    async *subtree(root, levels = []) {
      const inside = nodes.filter(
        (n) => n.path.includes(root) && (levels.length === 0 || levels.includes(n.level)),
      );
      for (let at = 0; at < inside.length; at += 500) {
        await Promise.resolve();
        yield inside.slice(at, at + 500);
      }
    },
  };
}

async function main(): Promise<void> {
  const townshipCount = Number(values.townships ?? (values.quick ? '30' : '300'));
  const sessionCount = Number(values.sessions ?? (values.quick ? '2000' : '20000'));
  const attendanceCount = Number(values.attendance ?? (values.quick ? '5000' : '50000'));
  const runs = Number(values.runs ?? (values.quick ? '3' : '10'));
  if (!Number.isInteger(townshipCount) || townshipCount < 1 || townshipCount > 999)
    throw new Error('--townships is a whole number from 1 to 999');
  for (const [name, value] of [
    ['sessions', sessionCount],
    ['attendance', attendanceCount],
    ['runs', runs],
  ] as const)
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} is a whole number, 1 or more`);

  const obtained = await obtainServiceServers();
  const { servers } = obtained;
  const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
  const nodes = cityTree(townshipCount);
  const townships = nodes.filter((node) => node.level !== 'city');
  const summary: Record<string, BenchFigure> = {
    townships: townshipCount,
    sessions: sessionCount,
    attendance: attendanceCount,
    runs,
  };
  const config = loadLecturesConfig({
    ...serviceTestEnvironment('lectures', servers, issuer),
    ...generatePiiEnvironment(),
    LOG_LEVEL: 'warn',
  });
  // The service as it runs, but asking the tree of the memory rather than registration.
  const app: App = buildServiceApp(
    {
      ...lecturesService,
      extend: (platform) => ({
        ...lecturesService.extend(platform),
        jurisdictions: treeServedFromMemory(nodes),
      }),
    },
    config,
  );
  const connection = await createConnection(servers.mongo.uri, {
    dbName: config.MONGODB_DATABASE,
  }).asPromise();
  try {
    const ports = await app.start();
    // Last year, whole: every quarter has its sessions, the early ones held, a few still scheduled.
    const year = chinaYearOf(new Date()) - 1;
    const [from, , , , to] = quarterBoundaries(year);
    const span = to.getTime() - from.getTime();
    const sessions = Array.from({ length: sessionCount }, (_, index): SessionDocument => {
      const township = townships[index % townships.length] as Jurisdiction;
      const startsAt = new Date(
        from.getTime() + Math.floor(((index * 7919) % sessionCount) * (span / sessionCount)),
      );
      const status = index % 20 === 0 ? 'cancelled' : index % 10 === 1 ? 'scheduled' : 'held';
      const setting = township.level === 'street' ? 'city' : 'countryside';
      return {
        _id: randomUUID(),
        forumId: `forum-${index % 4}`,
        leadDepartment: 'xuanchuan-bu',
        lectureType: 'theory',
        title: `讲座 ${index}`,
        description: '',
        jurisdictionPath: [...township.path],
        venue: {
          id: `venue-${township.code}`,
          name: '礼堂',
          address: null,
          setting,
          townshipCode: township.code,
        },
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 60 * 60_000),
        speakerIds: [`expert-${index % 500}`],
        capacity: 200,
        signUpOpensAt: from,
        signUpClosesAt: startsAt,
        targetTiers: ['ordinary_citizen'],
        categories: ['political_theory'],
        campaignId: null,
        liveStreamUrl: null,
        materials: [],
        recording: null,
        status,
        cancellation:
          status === 'cancelled'
            ? { reason: '场地变更', cancelledBy: 'bench', cancelledAt: from }
            : null,
        heldAt: null,
        attendanceCount: null,
        grams: [],
        createdBy: 'bench',
        createdAt: from,
        updatedAt: from,
        version: 1,
        outbox: [],
      };
    });
    const seedStarted = performance.now();
    const sessionsCollection = driverCollection(sessionModel(connection));
    for (let at = 0; at < sessions.length; at += INSERT_BATCH)
      await sessionsCollection.insertMany(sessions.slice(at, at + INSERT_BATCH), {
        ordered: false,
      });
    const attendanceCollection = driverCollection(attendanceModel(connection));
    for (let at = 0; at < attendanceCount; at += INSERT_BATCH) {
      const batch = Array.from(
        { length: Math.min(INSERT_BATCH, attendanceCount - at) },
        (_, i): AttendanceDocument => {
          const session = sessions[(at + i) % sessions.length] as SessionDocument;
          return {
            _id: randomUUID(),
            sessionId: session._id,
            participantId: `participant-${at + i}`,
            accountSubject: `person-${at + i}`,
            attendedAt: session.startsAt,
            townshipCode: session.venue.townshipCode,
            recordedAt: session.endsAt,
          };
        },
      );
      await attendanceCollection.insertMany(batch, { ordered: false });
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    summary['seedSeconds'] = Number(seedSeconds.toFixed(1));
    console.log(
      `seeded ${sessionCount} sessions and ${attendanceCount} attendance records of ${year} over ${townships.length} townships in ${seedSeconds.toFixed(1)} s`,
    );

    const token = await issuer.sign(
      { subject: 'bench-admin', roles: ['city_admin'] },
      { expiresIn: '2h' },
    );
    const url = `http://127.0.0.1:${ports.httpPort}/v1/coverage?jurisdictionCode=${CITY}&year=${year}`;
    const warmStarted = performance.now();
    const warm = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const report = (await warm.json()) as {
      totals: {
        sessions: number;
        held: number;
        scheduled: number;
        attendance: number;
        townships: number;
      };
      ruralShare: { share: number | null };
    };
    if (warm.status !== 200) throw new Error(`the report answered HTTP ${warm.status}`);
    const warmUpMs = performance.now() - warmStarted;
    console.log(
      `report of ${report.totals.townships} townships: ${report.totals.sessions} sessions ` +
        `(${report.totals.held} held, ${report.totals.scheduled} scheduled), ` +
        `${report.totals.attendance} attendance, rural share ${String(report.ruralShare.share)}; ` +
        `first request (warm-up) ${warmUpMs.toFixed(0)} ms`,
    );
    summary['report'] = { ...report.totals, ruralShare: report.ruralShare.share };
    // Every township and attendance record, and every seeded session but the cancelled (every twentieth).
    summary['reportAsSeeded'] =
      report.totals.townships === townships.length &&
      report.totals.attendance === attendanceCount &&
      report.totals.sessions === sessionCount - Math.ceil(sessionCount / 20);
    summary['warmUpMs'] = Number(warmUpMs.toFixed(0));

    // What the process burns doing nothing (the outbox relays polling), to net out of the runs.
    const idleBefore = process.cpuUsage();
    await setTimeout(IDLE_SAMPLE_MS);
    const idle = process.cpuUsage(idleBefore);
    const idleCpuPerMs = (idle.user + idle.system) / 1000 / IDLE_SAMPLE_MS;

    const cpuBefore = process.cpuUsage();
    const wallStarted = performance.now();
    const times = JSON.parse(
      await runLoadInChild(import.meta.filename, { url, token, runs } satisfies LoadPlan),
    ) as number[];
    const wallMs = performance.now() - wallStarted;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const cpuPerReport = Math.max(0, cpuMs - idleCpuPerMs * wallMs) / runs;
    const grossCpuPerReport = cpuMs / runs;
    const rssMb = process.memoryUsage().rss / 1024 / 1024;
    Object.assign(summary, {
      medianMs: Number(percentile(times, 50).toFixed(0)),
      p99Ms: Number(percentile(times, 99).toFixed(0)),
      cpuMsPerReport: Number(cpuPerReport.toFixed(1)),
      grossCpuMsPerReport: Number(grossCpuPerReport.toFixed(1)),
      idleCpuMsPerS: Number((idleCpuPerMs * 1000).toFixed(1)),
      rssMb: Number(rssMb.toFixed(0)),
    });
    console.log(
      `GET /v1/coverage over ${runs} runs: median ${percentile(times, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(times, 99).toFixed(0)} ms; lectures CPU per report ${grossCpuPerReport.toFixed(1)} ms, ` +
        `${cpuPerReport.toFixed(1)} ms net of the idle background (${(idleCpuPerMs * 1000).toFixed(1)} ms/s); ` +
        `RSS ${rssMb.toFixed(0)} MB`,
    );
  } finally {
    await app.stop();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
    await obtained.stop();
  }
  printBenchSummary(
    'lectures.coverage',
    {
      ...summary,
      // The figures and the service's CPU are its own; every timing waits on MongoDB.
      boundByStandIn: isLocalStandIn(servers.mongo.origin)
        ? ['seedSeconds', 'warmUpMs', 'medianMs', 'p99Ms']
        : [],
    },
    // The README sets no speed goal for the report; it must count what was seeded.
    { reportAsSeeded: { equals: true } },
  );
}

if (values.load !== undefined) await runLoad(values.load);
else await main();

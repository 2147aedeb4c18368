/**
 * The annual evaluation's computation at city scale (decision 0019):
 * --organizations enterprises and --areas townships and streets, each with a
 * few members' or residents' ledger entries (inserted in batches), and the
 * year's two indicator systems; then a run over every subject, page by page,
 * through the real use case and Mongo adapters (the ledger gatherer, the
 * assessment store, the indicator-system reader), and a second run that
 * finds every digest unchanged and writes nothing.
 *
 *   pnpm --filter @learning/scoring bench:assessments [--quick] [--organizations 2000] [--areas 300]
 *     [--entries-per-subject 5] [--page 500]
 *
 * --quick is 400 organizations and 100 areas in pages of 100 (several pages
 * still, so the round trips per page mean the same).
 * Registration is replaced by a generated in-process subject list (its
 * StreamOrganizations has its own test): what is timed is gathering,
 * scoring and writing. CPU is this process's; MongoDB round trips are
 * counted through mongoose's debug hook, per page. On the local stand-ins
 * (a Python MongoDB that scans a collection per query) the time and the
 * subjects per second are the stand-in's; the 100,000 organizations
 * are for real servers.
 */
import { chinaYearOf } from '@learning/domain';
import { createRootLogger } from '@learning/logger';
import { obtainServiceServers, serviceTestEnvironment } from '@learning/runtime/testing';
import { createLocalIssuer } from '@learning/auth';
import { isLocalStandIn, printBenchSummary } from '@learning/testing';
import mongoose from 'mongoose';
import { randomInt, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { LedgerGatherer } from '../src/adapters/evaluation/ledger-gatherer.js';
import { MongoAssessmentStore } from '../src/adapters/mongo/assessment-store.js';
import { assessmentModel, indicatorSystemModel } from '../src/adapters/mongo/evaluation-models.js';
import { factModel } from '../src/adapters/mongo/facts.js';
import { MongoIndicatorSystems } from '../src/adapters/mongo/indicator-system-reader.js';
import { ledgerEntryModel, type LedgerEntryDocument } from '../src/adapters/mongo/ledger.js';
import { computeAssessments } from '../src/application/assessments/compute.js';
import { gatheredInputs } from '../src/application/evaluation/gathered-inputs.js';
import type { SubjectCard, SubjectDirectory } from '../src/application/evaluation/ports.js';
import type { IndicatorSystem, SystemTarget } from '../src/domain/evaluation.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    organizations: { type: 'string' },
    areas: { type: 'string' },
    'entries-per-subject': { type: 'string', default: '5' },
    page: { type: 'string' },
  },
});

const CITY = '330281000000';
const INSERT_BATCH = 5_000;
const RSS_SAMPLE_MS = 200;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

const areaCode = (index: number): string =>
  `330281${String(Math.floor(index / 100) + 1).padStart(3, '0')}${String((index % 100) + 1).padStart(3, '0')}`;

function subjectsOf(organizations: number, areas: number): SubjectCard[] {
  const areaCards = Array.from({ length: areas }, (_, index): SubjectCard => ({
    subjectKind: 'area',
    subjectId: areaCode(index),
    name: `街道${String(index)}`,
    organizationKind: null,
    leadDepartment: null,
    jurisdictionPath: [CITY, areaCode(index)],
  }));
  const organizationCards = Array.from({ length: organizations }, (_, index): SubjectCard => ({
    subjectKind: 'organization',
    subjectId: randomUUID(),
    name: `企业${String(index)}`,
    organizationKind: 'enterprise',
    leadDepartment: 'economy',
    jurisdictionPath: [CITY, areaCode(index % areas)],
  }));
  return [...organizationCards, ...areaCards];
}

/** Registration's part, generated: the target's subjects in pages. */
const directoryOf = (subjects: readonly SubjectCard[], pageSize: number): SubjectDirectory => ({
  async *subjects(target: SystemTarget) {
    const all = subjects.filter((card) => (card.organizationKind ?? 'area') === target);
    for (let start = 0; start < all.length; start += pageSize) {
      await Promise.resolve();
      yield all.slice(start, start + pageSize);
    }
  },
  subject: (kind, id) =>
    Promise.resolve(subjects.find((card) => card.subjectKind === kind && card.subjectId === id)),
});

/** A member's (and so a resident's) credits and hours, as the credits slice appends them. */
function entryOf(year: number, organization: SubjectCard): LedgerEntryDocument {
  const id = randomUUID();
  const minutes = 30 + randomInt(120);
  return {
    _id: id,
    holderKind: 'person',
    holderId: randomUUID(),
    year,
    ruleId: 'bench-rule',
    ruleVersion: 1,
    source: 'lecture_attended',
    sourceId: `source:${id}`,
    sourceEventId: randomUUID(),
    revision: 1,
    amount: 100 + randomInt(400),
    reason: 'awarded',
    occurredAt: new Date(),
    category: null,
    tier: 'ordinary_citizen',
    minutes,
    campaignId: null,
    jurisdictionPath: [...organization.jurisdictionPath],
    organizationIds: [organization.subjectId],
    title: '玉海大讲坛',
    recordedAt: new Date(),
    outbox: [],
  };
}

const systemOf = (year: number, target: SystemTarget): IndicatorSystem =>
  target === 'area'
    ? {
        id: randomUUID(),
        year,
        target,
        name: '镇街学习型社会建设评估',
        version: 1,
        passMark: 6000,
        indicators: [
          {
            key: 'credits',
            name: '居民学分',
            weight: 5000,
            method: { kind: 'linear_band', metric: 'resident_credits', from: 0, to: 200 },
          },
          {
            key: 'credited',
            name: '获得学分的居民',
            weight: 5000,
            method: { kind: 'threshold', metric: 'residents_credited', atLeast: 20 },
          },
        ],
      }
    : {
        id: randomUUID(),
        year,
        target,
        name: '企业学习型组织评估',
        version: 1,
        passMark: 6000,
        indicators: [
          {
            key: 'credits',
            name: '成员学分',
            weight: 4000,
            method: { kind: 'linear_band', metric: 'member_credits', from: 0, to: 20 },
          },
          {
            key: 'hours',
            name: '成员学时',
            weight: 3000,
            method: { kind: 'linear_band', metric: 'member_hours', from: 0, to: 10 },
          },
          {
            key: 'credited',
            name: '获得学分的成员',
            weight: 3000,
            method: { kind: 'threshold', metric: 'members_credited', atLeast: 3 },
          },
        ],
      };

async function main(): Promise<void> {
  const organizations = Number(values.organizations ?? (values.quick ? '400' : '2000'));
  const areas = Number(values.areas ?? (values.quick ? '100' : '300'));
  const perSubject = Number(values['entries-per-subject']);
  const pageSize = Number(values.page ?? (values.quick ? '100' : '500'));
  const servers = await obtainServiceServers();
  const { mongo } = servers.servers;
  const issuer = await createLocalIssuer({ issuer: 'bench', audience: 'bench' });
  const database =
    serviceTestEnvironment('scoring-bench', servers.servers, issuer)['MONGODB_DATABASE'] ??
    'scoring-bench';
  const year = chinaYearOf(new Date());
  const db = await mongoose.createConnection(mongo.uri, { dbName: database }).asPromise();
  const logger = createRootLogger({
    service: 'bench-assessments',
    version: 'bench',
    level: 'warn',
  });

  let summary: Parameters<typeof printBenchSummary>[1];
  try {
    const subjects = subjectsOf(organizations, areas);
    const ledger = ledgerEntryModel(db);
    const populateStarted = performance.now();
    const entries = subjects
      .filter((card) => card.subjectKind === 'organization')
      .flatMap((card) => Array.from({ length: perSubject }, () => entryOf(year, card)));
    for (let start = 0; start < entries.length; start += INSERT_BATCH)
      await ledger.insertMany(entries.slice(start, start + INSERT_BATCH), { lean: true });
    const systems = [systemOf(year, 'enterprise'), systemOf(year, 'area')];
    await indicatorSystemModel(db).create(
      systems.map(({ id, ...system }) => ({
        ...system,
        _id: id,
        indicators: system.indicators.map((indicator) => ({ ...indicator })),
        createdBy: 'bench',
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
    );
    const populateSeconds = (performance.now() - populateStarted) / 1000;

    const directory = directoryOf(subjects, pageSize);
    const compute = computeAssessments({
      store: new MongoAssessmentStore(assessmentModel(db)),
      systems: new MongoIndicatorSystems(indicatorSystemModel(db)),
      sources: {
        subjects: directory,
        inputs: gatheredInputs([new LedgerGatherer(ledger, factModel(db))]),
      },
      clock: () => new Date(),
      newId: randomUUID,
      logger,
    });

    /** One run of both targets: wall time, CPU, round trips and what changed. */
    const measure = async () => {
      let calls = 0;
      mongoose.set('debug', () => {
        calls += 1;
      });
      let pages = 0;
      let changed = 0;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      for (const system of systems)
        for await (const page of directory.subjects(system.target)) {
          changed += (await compute.computePage(system, page)).changed;
          pages += 1;
        }
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      mongoose.set('debug', false);
      return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, calls, pages, changed };
    };

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, RSS_SAMPLE_MS);
    const first = await measure();
    const second = await measure();
    clearInterval(sampler);

    const assessed = await assessmentModel(db).countDocuments({ year });
    const ok =
      assessed === subjects.length && first.changed === subjects.length && second.changed === 0;
    const count = subjects.length;
    const machine = `${String(cpus().length)} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
    const lines = [
      `machine: ${machine}`,
      `servers: mongo ${mongo.origin}`,
      `population: ${String(organizations)} organizations, ${String(areas)} areas, ${String(entries.length)} ledger entries in ${populateSeconds.toFixed(1)} s`,
      `first run: ${String(count)} subjects in ${(first.wallMs / 1000).toFixed(1)} s (${(count / (first.wallMs / 1000)).toFixed(0)} subjects/s), ${String(first.pages)} pages of ≤ ${String(pageSize)}, CPU ${(first.cpuMs / count).toFixed(3)} ms per subject, ${(first.calls / first.pages).toFixed(1)} MongoDB round trips per page`,
      `unchanged run: ${(second.wallMs / 1000).toFixed(1)} s (${(count / (second.wallMs / 1000)).toFixed(0)} subjects/s), CPU ${(second.cpuMs / count).toFixed(3)} ms per subject, ${(second.calls / second.pages).toFixed(1)} round trips per page, ${String(second.changed)} changed`,
      `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB; ${String(assessed)} assessments stored: ${ok ? 'ok' : 'FAILED'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    summary = {
      machine,
      organizations,
      areas,
      ledgerEntries: entries.length,
      pageSize,
      pages: first.pages,
      seconds: round(first.wallMs / 1000, 2),
      subjectsPerSecond: round(count / (first.wallMs / 1000), 0),
      cpuMsPerSubject: round(first.cpuMs / count, 3),
      mongoRoundTripsPerPage: round(first.calls / first.pages, 1),
      unchangedSeconds: round(second.wallMs / 1000, 2),
      unchangedSubjectsPerSecond: round(count / (second.wallMs / 1000), 0),
      unchangedCpuMsPerSubject: round(second.cpuMs / count, 3),
      unchangedMongoRoundTripsPerPage: round(second.calls / second.pages, 1),
      rssMiBPeak: round(peakRss / 2 ** 20, 0),
      assessed,
      ok,
      // The ledger aggregation and the bulk writes wait on the Python Mongo stand-in.
      boundByStandIn: isLocalStandIn(mongo.origin)
        ? ['seconds', 'subjectsPerSecond', 'unchangedSeconds', 'unchangedSubjectsPerSecond']
        : [],
    };
  } finally {
    await db.close();
    await servers.stop();
  }
  // No speed goal in the README: every subject assessed once, and nothing rewritten when nothing changed.
  printBenchSummary('scoring.assessments', summary, { ok: { equals: true } });
}

await main();

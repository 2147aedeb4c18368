/**
 * The progress report of a training programme: a year of a 100,000-person
 * programme over 300 townships, for the lead department (the whole city) and
 * for one township's area officer.
 *
 *   pnpm --filter @learning/activities bench:training-progress [--quick] [--people 100000] [--townships 300] [--runs 5]
 *
 * --quick is 5,000 people over 30 townships, 3 runs.
 * The issue speaks of 2 million session attendances: the hours part folds
 * them into one trainee record per (programme, person, year) holding the
 * minutes, which is all the report reads, so the bench seeds --people trainee
 * records straight into `training_trainees` (bulk inserts; 20 sessions each
 * would be the 2 million) and one launched programme with a quota per
 * township. The report runs in this process through the real use case and
 * Mongo adapter (registration's tree answered from memory, as its client's
 * cache would). Per report: the service's own CPU (process.cpuUsage) and its
 * MongoDB round trips (the driver's command monitoring); wall time is bound
 * by the server, on the Python stand-in by far. MONGODB_URI when set, else
 * the harness's servers.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Principal } from '@learning/auth';
import { createRootLogger } from '@learning/logger';
import { obtainServiceServers } from '@learning/runtime/testing';
import { isLocalStandIn, printBenchSummary, uniqueName } from '@learning/testing';
import { createConnection } from 'mongoose';
import {
  programmeModel,
  traineeModel,
  type TraineeDocument,
} from '../src/adapters/mongo/training-models.js';
import { MongoProgrammeRepository } from '../src/adapters/mongo/training-programmes.js';
import { MongoTraineeFigures } from '../src/adapters/mongo/training-progress.js';
import { getProgrammeProgress } from '../src/application/training/programmes/progress.js';
import type { Jurisdiction, Jurisdictions } from '../src/application/ports.js';
import { TRAINING_TARGET_GROUPS } from '@learning/domain';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    people: { type: 'string' },
    townships: { type: 'string' },
    runs: { type: 'string' },
  },
});
const people = Number(values.people ?? (values.quick ? '5000' : '100000'));
const townshipCount = Number(values.townships ?? (values.quick ? '30' : '300'));
const runs = Number(values.runs ?? (values.quick ? '3' : '5'));
for (const [name, value] of Object.entries({ people, townshipCount, runs }))
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} is a positive whole number`);
if (townshipCount > 999) throw new Error('--townships is at most 999');

const CITY = '330281000000';
const YEAR = 2026;
/** Mid-year, China time: 182 of 365 days passed. */
const NOW = new Date(`${YEAR}-07-02T00:00:00+08:00`);
const INSERT_BATCH = 2_000;
const SESSIONS_PER_PERSON = 20;

const townshipCodes = Array.from(
  { length: townshipCount },
  (_, index) => `330281${String(index + 1).padStart(3, '0')}000`,
);
const nodes = new Map<string, Jurisdiction>([
  [CITY, { code: CITY, name: '市', level: 'city', path: [CITY] }],
  ...townshipCodes.map((code, index): [string, Jurisdiction] => [
    code,
    { code, name: `第${index + 1}镇`, level: 'township', path: [CITY, code] },
  ]),
]);
/** Registration's tree from memory: the client caches it, and the bench times this service. */
const jurisdictions: Jurisdictions = {
  find: async (codes) =>
    new Map(
      codes.flatMap((code) => {
        const node = nodes.get(code);
        return node === undefined ? [] : [[code, node]];
      }),
    ),
  async *subtree() {
    yield [...nodes.values()];
  },
};

const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

const logger = createRootLogger({ service: 'bench-training', version: 'bench', level: 'warn' });
const obtained = await obtainServiceServers();
const { mongo } = obtained.servers;
const connection = await createConnection(mongo.uri, {
  dbName: uniqueName('training-bench'),
  monitorCommands: true,
}).asPromise();
let roundTrips = 0;
connection.getClient().on('commandStarted', () => {
  roundTrips += 1;
});

try {
  const programmes = programmeModel(connection);
  const trainees = traineeModel(connection);
  await Promise.all([programmes.init(), trainees.init()]);
  const traineeRecords = connection.collection<TraineeDocument>(trainees.collection.collectionName);
  const programmeId = randomUUID();
  // Quotas add up to --people × 1.2: a year planned with some slack.
  const quotaEach = Math.ceil((people * 1.2) / townshipCount);
  await new MongoProgrammeRepository(programmes, logger).create({
    id: programmeId,
    title: '十万农村劳动力素质培训工程',
    description: '',
    leadDepartment: 'nongban',
    jurisdictionPath: [CITY],
    firstYear: YEAR,
    lastYear: YEAR + 4,
    targetGroups: ['rural_labour', 'farmers'],
    categories: ['science_culture_skills'],
    requiredMinutes: 2400,
    skillsTest: true,
    quotas: townshipCodes.map((code) => ({
      year: YEAR,
      jurisdictionCode: code,
      people: quotaEach,
    })),
    status: 'launched',
    enterpriseId: null,
    createdAt: NOW,
    launchedAt: NOW,
    createdBy: 'bench',
    updatedAt: NOW,
    events: [],
  });

  // People spread unevenly (township i gets a share growing with i), trained January to June,
  // a third of them completed a month later; each in one or two of the target groups.
  const weights = townshipCodes.map((_, index) => 1 + (index % 7));
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const seedStarted = performance.now();
  let seeded = 0;
  let batch: TraineeDocument[] = [];
  for (const [index, code] of townshipCodes.entries()) {
    const here =
      index === townshipCodes.length - 1
        ? people - seeded
        : Math.round((people * (weights[index] ?? 1)) / weightSum);
    for (let person = 0; person < here; person += 1) {
      const participantId = randomUUID();
      const month = `${YEAR}-0${1 + ((seeded + person) % 6)}`;
      const completed = (seeded + person) % 3 === 0;
      const completedMonth = `${YEAR}-0${2 + ((seeded + person) % 6)}`;
      batch.push({
        _id: `${programmeId}:${participantId}:${YEAR}`,
        programmeId,
        participantId,
        year: YEAR,
        townshipCode: code,
        jurisdictionPath: [CITY, code],
        targetGroups:
          person % 4 === 0
            ? ['rural_labour', 'farmers']
            : [TRAINING_TARGET_GROUPS[person % 2] ?? 'rural_labour'],
        minutes: completed ? 2400 : 120 * (1 + (person % SESSIONS_PER_PERSON)),
        attendanceIds: [],
        classIds: [],
        firstAttendedAt: new Date(`${month}-15T02:00:00Z`),
        trainedMonth: month,
        testPassed: completed ? true : null,
        skillsTest: null,
        completedAt: completed ? new Date(`${completedMonth}-15T02:00:00Z`) : null,
        completedMonth: completed ? completedMonth : null,
        completedClassId: null,
        certificateCode: null,
        version: 1,
        outbox: [],
      });
      if (batch.length === INSERT_BATCH) {
        await traineeRecords.insertMany(batch, { ordered: false });
        batch = [];
      }
    }
    seeded += here;
  }
  if (batch.length > 0) await traineeRecords.insertMany(batch, { ordered: false });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(
    `seeded ${seeded} trainee records over ${townshipCount} townships in ${seedSeconds.toFixed(1)} s`,
  );

  const report = getProgrammeProgress({
    programmes: new MongoProgrammeRepository(programmes, logger),
    jurisdictions,
    trainees: new MongoTraineeFigures(trainees),
    clock: () => NOW,
  });
  const lead: Principal = {
    subject: 'nongban-officer',
    roles: ['department_officer'],
    department: 'nongban',
    cityWide: true,
    jurisdictions: [],
    organizations: [],
  };
  const township = townshipCodes[Math.floor(townshipCount / 2)] ?? CITY;
  const areaOfficer: Principal = {
    subject: 'township-officer',
    roles: ['area_officer'],
    cityWide: false,
    jurisdictions: [township],
    organizations: [],
  };

  const measure = async (name: string, principal: Principal) => {
    const warm = await report(principal, programmeId, { year: YEAR });
    const walls: number[] = [];
    const cpus: number[] = [];
    const trips: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const tripsBefore = roundTrips;
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await report(principal, programmeId, { year: YEAR });
      walls.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuBefore);
      cpus.push((cpu.user + cpu.system) / 1000);
      trips.push(roundTrips - tripsBefore);
    }
    const figures = {
      townshipsShown: warm.townships.length,
      trained: warm.total.trained,
      completed: warm.total.completed,
      behind: warm.behind.length,
      forecast: warm.total.forecast,
      serviceCpuMs: round(median(cpus)),
      roundTrips: median(trips),
      wallMs: round(median(walls), 0),
    };
    console.log(
      `${name}: ${figures.townshipsShown} townships, ${figures.trained} trained, ${figures.completed} completed, ` +
        `${figures.behind} behind, forecast ${String(figures.forecast)}; per report (median of ${runs}): ` +
        `service CPU ${figures.serviceCpuMs} ms, ${figures.roundTrips} Mongo round trips, wall ${figures.wallMs} ms`,
    );
    return figures;
  };

  const city = await measure('city (lead department)', lead);
  const one = await measure(`one township (${township}, its area officer)`, areaOfficer);
  printBenchSummary(
    'training-progress',
    {
      people: seeded,
      townships: townshipCount,
      sessionsRepresented: seeded * SESSIONS_PER_PERSON,
      runs,
      seedSeconds: round(seedSeconds),
      city,
      township: one,
      roundTripsPerReport: Math.max(city.roundTrips, one.roundTrips),
      // Every seeded person attended; every third completed.
      cityCountsAsSeeded: city.trained === seeded && city.completed === Math.ceil(seeded / 3),
      wallTimeBoundBy: isLocalStandIn(mongo.origin) ? 'the Python Mongo stand-in' : mongo.origin,
    },
    // The README's promise: the programme, then one aggregation, whatever the size.
    { roundTripsPerReport: { atMost: 2 }, cityCountsAsSeeded: { equals: true } },
  );
} finally {
  await connection.close();
  await obtained.stop();
}

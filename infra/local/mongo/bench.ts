/**
 * Throughput of the Mongo stand-in on the shapes our libraries send, against collections
 * already holding --docs documents (one client, one operation in flight: latency-bound),
 * then its memory per stored document.
 *
 *   node --conditions=@learning/source --import tsx infra/local/mongo/bench.ts [--docs 50000] [--ops 2000] [--quick]
 *
 * Starts its own stand-in unless MONGO_URI names a running one (e.g. one under cProfile);
 * its memory is measured only when it started its own.
 */
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { processMemory, startMongoStandIn, type MongoStandIn } from '../src/index.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string' },
    ops: { type: 'string' },
    // Sizes that print every figure in well under a minute.
    quick: { type: 'boolean', default: false },
  },
});
const docs = Number(values.docs ?? (values.quick ? 10_000 : 50_000));
const ops = Number(values.ops ?? (values.quick ? 500 : 2_000));
const RELAY_BATCH = 200; // libs/events' relay default
// Every round finds a full batch pending, so none drains the collection.
const relayRounds = Math.max(
  1,
  Math.min(Math.round(ops / RELAY_BATCH), Math.floor(docs / RELAY_BATCH)),
);

const external = process.env['MONGO_URI'];
const standIn: MongoStandIn | undefined =
  external === undefined ? await startMongoStandIn() : undefined;
const uri = external ?? standIn?.uri ?? '';
const rssAtStartMb = standIn === undefined ? undefined : (await processMemory(standIn.pid)).rssMb;
const conn = await mongoose.createConnection(uri, { dbName: `bench-${Date.now()}` }).asPromise();
const db = conn.db;
if (db === undefined) throw new Error('not connected');

interface Inbox {
  _id: string;
  processedAt: Date;
}
interface Member {
  _id: string;
  phone: string;
  name: string;
  version: number;
}
interface SignUp {
  _id: string;
  eventKey: string;
  status: 'confirmed' | 'waitlisted';
  sequence: number;
  accountSubject: string;
}
interface Aggregate {
  _id: string;
  step: number;
  outbox: { id: string; type: string; data: { note: string } }[];
  outboxSince?: Date;
}

const report = (label: string, rate: number, unit: string): void => {
  console.log(`${label.padEnd(50)} ${rate.toFixed(0).padStart(8)} ${unit}`);
};

/** Runs `run` count times, one at a time; returns and prints the rate. */
async function measure(
  label: string,
  count: number,
  unit: string,
  run: (i: number) => Promise<unknown>,
): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await run(i);
  const rate = count / ((performance.now() - started) / 1000);
  report(label, rate, unit);
  return rate;
}

/** Fills a collection with `docs` documents, 1,000 to an insertMany. */
async function seed(insert: (numbers: number[]) => Promise<unknown>): Promise<void> {
  for (let from = 0; from < docs; from += 1000) {
    await insert(Array.from({ length: Math.min(1000, docs - from) }, (_, i) => from + i));
  }
}

const inbox = db.collection<Inbox>('inbox');
const members = db.collection<Member>('members');
const signUps = db.collection<SignUp>('signups');
const aggregates = db.collection<Aggregate>('aggregates');
const note = 'x'.repeat(1000);

/** Prints the documents' BSON size (collStats) and what the stand-in's process holds for them. */
async function measureMemory(): Promise<void> {
  if (db === undefined) throw new Error('not connected');
  let storedDocuments = 0;
  let bsonBytes = 0;
  for (const name of ['inbox', 'members', 'signups', 'aggregates']) {
    const stats = await db.command({ collStats: name });
    storedDocuments += Number(stats['count']);
    bsonBytes += Number(stats['size']);
  }
  const rssMb = standIn === undefined ? null : (await processMemory(standIn.pid)).rssMb;
  const rssBytesPerDocument =
    rssMb === null || rssAtStartMb === undefined
      ? null
      : Math.round(((rssMb - rssAtStartMb) * 1024 * 1024) / storedDocuments);
  console.log(
    `\n${storedDocuments} documents stored, ${Math.round(bsonBytes / storedDocuments)} bytes each as BSON; ` +
      `stand-in RSS ${rssAtStartMb ?? '-'} MB at start, ${rssMb ?? '-'} MB now: ` +
      `${rssBytesPerDocument ?? '-'} bytes per document with its index entries`,
  );
}

try {
  console.log(`stand-in at ${uri}; ${docs} documents per collection, ${ops} operations per row\n`);
  const seedStarted = performance.now();
  await seed((numbers) =>
    inbox.insertMany(numbers.map((i) => ({ _id: `group:seed-${i}`, processedAt: new Date() }))),
  );
  report(
    'insertMany (batches of 1000)',
    docs / ((performance.now() - seedStarted) / 1000),
    'docs/s',
  );

  // The floor: a command that touches no data.
  await measure('ping', ops, 'ops/s', () => db.command({ ping: 1 }));
  // libs/events' MongoInbox: seen() then record() for each event.
  await measure('inbox find({_id: {$in}}) + insertOne', ops, 'pairs/s', async (i) => {
    const id = `group:event-${i}`;
    await inbox.find({ _id: { $in: [id] } }, { projection: { _id: 1 } }).toArray();
    await inbox.insertOne({ _id: id, processedAt: new Date() });
  });
  await measure('countDocuments({_id})', ops, 'ops/s', (i) =>
    inbox.countDocuments({ _id: `group:seed-${(i * 7919) % docs}` }),
  );
  await measure('findOne({_id})', ops, 'ops/s', (i) =>
    inbox.findOne({ _id: `group:seed-${(i * 7919) % docs}` }),
  );
  await measure('updateOne({_id}, {$set})', ops, 'ops/s', (i) =>
    inbox.updateOne(
      { _id: `group:seed-${(i * 7919) % docs}` },
      { $set: { processedAt: new Date() } },
    ),
  );

  await members.createIndex({ phone: 1 }, { unique: true });
  await seed((numbers) =>
    members.insertMany(
      numbers.map((i) => ({
        _id: `m${i}`,
        phone: `1${String(i).padStart(10, '0')}`,
        name: `n${i}`,
        version: 0,
      })),
    ),
  );
  await measure('insertOne, unique secondary index', ops, 'ops/s', (i) =>
    members.insertOne({
      _id: `new${i}`,
      phone: `2${String(i).padStart(10, '0')}`,
      name: 'n',
      version: 0,
    }),
  );
  await measure('updateOne({_id}) changing the unique field', ops, 'ops/s', (i) =>
    members.updateOne({ _id: `new${i}` }, { $set: { phone: `3${String(i).padStart(10, '0')}` } }),
  );

  // The registration service's sign-ups: 5 events, 8 in 10 of each event's sign-ups waitlisted.
  const EVENTS = 5;
  const eventOf = (i: number): string => `event:${i % EVENTS}`;
  await signUps.createIndex({ eventKey: 1, status: 1, sequence: 1 });
  await signUps.createIndex({ accountSubject: 1 });
  await seed((numbers) =>
    signUps.insertMany(
      numbers.map((i) => ({
        _id: `s${i}`,
        eventKey: eventOf(i),
        status: i % 10 < 8 ? 'waitlisted' : 'confirmed',
        sequence: i,
        accountSubject: `subject-${i}`,
      })),
    ),
  );
  await measure('find({accountSubject}), non-unique index', ops, 'ops/s', (i) =>
    signUps.find({ accountSubject: `subject-${(i * 7919) % docs}` }).toArray(),
  );
  // The waitlist position the registration service counts on every sign-up.
  await measure('countDocuments({eventKey, status, sequence: {$lt}})', ops, 'ops/s', (i) =>
    signUps.countDocuments({
      eventKey: eventOf(i),
      status: 'waitlisted',
      sequence: { $lt: (i * 7919) % docs },
    }),
  );
  // Promoting the head of the waitlist.
  await measure('find({eventKey, status}).sort({sequence}).limit(1)', ops, 'ops/s', (i) =>
    signUps
      .find({ eventKey: eventOf(i), status: 'waitlisted' })
      .sort({ sequence: 1 })
      .limit(1)
      .toArray(),
  );

  // libs/events' OutboxRelay.publishPending, with every one of the `docs` aggregates pending.
  await aggregates.createIndex({ outboxSince: 1 }, { sparse: true });
  await seed((numbers) =>
    aggregates.insertMany(
      numbers.map((i) => ({
        _id: `a${i}`,
        step: 1,
        outbox: [{ id: `e${i}`, type: 'thing.changed', data: { note } }],
        outboxSince: new Date(Date.UTC(2025, 0, 1) + i),
      })),
    ),
  );
  // The relay's backlog probe, over the pending aggregates.
  await measure('countDocuments({outboxSince: {$exists: true}})', ops, 'ops/s', () =>
    aggregates.countDocuments({ outboxSince: { $exists: true } }),
  );
  const rounds = await measure(
    `relay rounds (find ${RELAY_BATCH}, bulkWrite, updateMany)`,
    relayRounds,
    'rounds/s',
    async () => {
      const pending = await aggregates
        .find({ outboxSince: { $exists: true } }, { projection: { outbox: 1 } })
        .sort({ outboxSince: 1 })
        .limit(RELAY_BATCH)
        .toArray();
      await aggregates.bulkWrite(
        pending.map((aggregate) => ({
          updateOne: {
            filter: { _id: aggregate._id },
            update: {
              $pull: { outbox: { id: { $in: aggregate.outbox.map((entry) => entry.id) } } },
            },
          },
        })),
        { ordered: false },
      );
      await aggregates.updateMany(
        { _id: { $in: pending.map((aggregate) => aggregate._id) }, outbox: { $size: 0 } },
        { $unset: { outboxSince: 1 } },
      );
    },
  );
  report('  = relayed events', rounds * RELAY_BATCH, 'events/s');
  const left = await aggregates.countDocuments({ outboxSince: { $exists: true } });
  if (left !== Math.max(0, docs - relayRounds * RELAY_BATCH)) {
    throw new Error(`the relay rounds left ${left} of ${docs} aggregates pending`);
  }
  await measureMemory();
} finally {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
  await standIn?.stop();
}

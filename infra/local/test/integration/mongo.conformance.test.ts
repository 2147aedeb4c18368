/**
 * Proves, through mongoose 8 and the real driver, that the Mongo stand-in answers the
 * operations our libraries rely on the way a standalone mongod does.
 */
import mongoose, { Schema, Types, type Connection, type mongo } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMongoStandIn, type MongoStandIn } from '../../src/index.js';

interface Participant {
  phone: string;
  name: string;
  district: string;
  score: number;
  joinedAt: Date;
  version: number;
}

interface IndexInfo {
  name: string;
  key: Record<string, number>;
  unique?: boolean;
}

interface Reading {
  seq: number;
}

interface OutboxEntry {
  id: string;
  type: string;
  time?: Date;
  sentAt?: Date;
  tags: string[];
}

/** Shaped like an aggregate carrying libs/events' outbox. */
interface Enrolment {
  participantId: string;
  outbox: OutboxEntry[];
  outboxSince?: Date;
}

// Field maps stay plain objects (as in libs/mongo's test support) and are typed by the schema.
const participantFields = {
  phone: { type: String, required: true, unique: true },
  name: { type: String, required: true },
  district: { type: String, required: true },
  score: { type: Number, default: 0 },
  joinedAt: { type: Date, required: true },
  version: { type: Number, default: 0 },
};
const participantSchema = new Schema<Participant>(participantFields);
participantSchema.index({ district: 1, score: -1 });

const outboxEntryFields = { id: String, type: String, time: Date, sentAt: Date, tags: [String] };
const enrolmentFields = {
  participantId: { type: String, required: true },
  outbox: [new Schema<OutboxEntry>(outboxEntryFields, { _id: false })],
  outboxSince: Date,
};
const enrolmentSchema = new Schema<Enrolment>(enrolmentFields);
// As libs/events' outbox plugin declares it: the relay's `$exists` scan is served by it.
enrolmentSchema.index({ outboxSince: 1 }, { sparse: true });
const readingFields = { seq: { type: Number, required: true } };

let standIn: MongoStandIn;
let conn: Connection;
let Participants: mongoose.Model<Participant>;
let Readings: mongoose.Model<Reading>;
let Enrolments: mongoose.Model<Enrolment>;
const started: string[] = [];
const succeeded: mongo.CommandSucceededEvent[] = [];

const day = (n: number): Date => new Date(Date.UTC(2025, 0, n));

function db(): mongo.Db {
  if (conn.db === undefined) throw new Error('not connected');
  return conn.db;
}

const countStarted = (name: string): number => started.filter((n) => n === name).length;

async function seedParticipants(): Promise<void> {
  await Participants.deleteMany({});
  await Participants.insertMany(
    Array.from({ length: 10 }, (_, i) => ({
      phone: `1380000000${i}`,
      name: `p${i}`,
      district: i % 2 === 0 ? 'A' : 'B',
      score: i * 10,
      joinedAt: day(10 - i),
    })),
  );
}

beforeAll(async () => {
  standIn = await startMongoStandIn();
  conn = await mongoose
    .createConnection(standIn.uri, {
      dbName: 'conformance',
      autoIndex: false,
      monitorCommands: true,
    })
    .asPromise();
  const client = conn.getClient();
  client.on('commandStarted', (event) => started.push(event.commandName));
  client.on('commandSucceeded', (event) => succeeded.push(event));
  Participants = conn.model('Participant', participantSchema);
  Readings = conn.model('Reading', new Schema<Reading>(readingFields));
  Enrolments = conn.model('Enrolment', enrolmentSchema);
  await Participants.syncIndexes();
  await Enrolments.syncIndexes();
  await Readings.insertMany(Array.from({ length: 1_000 }, (_, seq) => ({ seq })));
});

afterAll(async () => {
  await conn.close();
  await standIn.stop();
});

describe('connection and indexes', () => {
  it('when the driver pings, then the stand-in answers ok as a standalone server', async () => {
    expect(await db().admin().command({ ping: 1 })).toMatchObject({ ok: 1 });
    const hello = await db().admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, maxWireVersion: 17 });
    expect(hello.setName).toBeUndefined();
  });

  it('when indexes are synced, then the unique and compound indexes exist and a second sync changes nothing', async () => {
    const indexes = (await Participants.collection.listIndexes().toArray()) as IndexInfo[];
    const byName = new Map(indexes.map((index) => [index.name, index]));
    expect(byName.get('phone_1')).toMatchObject({ key: { phone: 1 }, unique: true });
    expect(byName.get('district_1_score_-1')).toMatchObject({ key: { district: 1, score: -1 } });
    expect(Object.keys(byName.get('district_1_score_-1')?.key ?? {})).toEqual([
      'district',
      'score',
    ]);
    expect(await Participants.syncIndexes()).toEqual([]);
  });

  it('when an unknown command is sent, then it fails with CommandNotFound naming it', async () => {
    await expect(db().command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
      message: expect.stringContaining('frobnicate') as unknown,
    });
  });
});

describe('writes and reads', () => {
  beforeEach(seedParticipants);

  it('when a duplicate unique key is inserted, then a MongoServerError 11000 names the index and key', async () => {
    const error: unknown = await Participants.create({
      phone: '13800000003',
      name: 'again',
      district: 'A',
      joinedAt: day(1),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(error).toMatchObject({
      code: 11000,
      keyPattern: { phone: 1 },
      keyValue: { phone: '13800000003' },
      message: expect.stringMatching(
        /^E11000 duplicate key error collection: conformance\.participants index: phone_1/,
      ) as unknown,
    });
    expect(await Participants.countDocuments({ phone: '13800000003' })).toBe(1);
  });

  it('when a duplicate _id is inserted, then it is an 11000 on the _id_ index', async () => {
    const _id = new Types.ObjectId();
    await Readings.collection.insertOne({ _id, seq: -1 });
    await expect(Readings.collection.insertOne({ _id, seq: -2 })).rejects.toMatchObject({
      code: 11000,
      keyValue: { _id },
    });
    await Readings.collection.deleteOne({ _id });
  });

  it('when finding with filter, sort, skip, limit and projection, then exactly that page comes back', async () => {
    const page = await Participants.find({ district: 'A' })
      .sort({ score: -1 })
      .skip(1)
      .limit(2)
      .select({ name: 1, score: 1, _id: 0 })
      .lean();
    expect(page).toEqual([
      { name: 'p6', score: 60 },
      { name: 'p4', score: 40 },
    ]);
  });

  it('when sorting on a Date and on a compound key, then the order follows both keys', async () => {
    const byDate = await Participants.find().sort({ joinedAt: 1 }).limit(3).lean();
    expect(byDate.map((p) => p.name)).toEqual(['p9', 'p8', 'p7']);
    expect(byDate[0]?.joinedAt).toEqual(day(1));

    await Participants.updateOne({ name: 'p2' }, { $set: { score: 80 } });
    const compound = await Participants.find().sort({ district: 1, score: -1, name: 1 }).lean();
    expect(compound.map((p) => p.name)).toEqual([
      'p2',
      'p8',
      'p6',
      'p4',
      'p0',
      'p9',
      'p7',
      'p5',
      'p3',
      'p1',
    ]);
  });

  it('when paging by keyset on (score, _id) inside $and, then ties are neither skipped nor repeated', async () => {
    await Participants.updateMany({ score: { $lt: 50 } }, { $set: { score: 5 } });
    const everything = await Participants.find().sort({ score: 1, _id: 1 }).lean();
    const seen: string[] = [];
    const pages: number[] = [];
    let last: { score: number; _id: Types.ObjectId } | undefined;
    for (;;) {
      // The shape libs/mongo's repository sends: scope and position under one $and.
      const after =
        last === undefined
          ? {}
          : {
              $or: [{ score: { $gt: last.score } }, { score: last.score, _id: { $gt: last._id } }],
            };
      const page = await Participants.find({ $and: [{ district: { $in: ['A', 'B'] } }, after] })
        .sort({ score: 1, _id: 1 })
        .limit(3)
        .lean();
      if (page.length === 0) break;
      pages.push(page.length);
      seen.push(...page.map((p) => p.name));
      const tail = page.at(-1);
      last = tail === undefined ? undefined : { score: tail.score, _id: tail._id };
    }
    expect(pages).toEqual([3, 3, 3, 1]);
    expect(seen).toEqual(everything.map((p) => p.name));
  });

  it('when a versioned update runs twice, then only the first one matches (optimistic concurrency)', async () => {
    const target = await Participants.findOne({ name: 'p1' }).orFail();
    const change = { $set: { name: 'renamed' }, $inc: { version: 1, score: 5 } };
    const first = await Participants.updateOne({ _id: target._id, version: 0 }, change);
    const second = await Participants.updateOne({ _id: target._id, version: 0 }, change);
    expect([first.matchedCount, first.modifiedCount]).toEqual([1, 1]);
    expect([second.matchedCount, second.modifiedCount]).toEqual([0, 0]);
    expect(await Participants.findById(target._id).lean()).toMatchObject({
      name: 'renamed',
      version: 1,
      score: 15,
    });
  });

  it('when findOneAndUpdate upserts and then updates, then it returns the document after each change', async () => {
    const inserted = await Participants.findOneAndUpdate(
      { phone: '13900000000' },
      {
        $set: { name: 'new' },
        $setOnInsert: { district: 'C', joinedAt: day(20) },
        $inc: { score: 1 },
      },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(inserted.lastErrorObject?.updatedExisting).toBe(false);
    expect(inserted.value).toMatchObject({
      phone: '13900000000',
      name: 'new',
      district: 'C',
      score: 1,
    });

    const updated = await Participants.findOneAndUpdate(
      { phone: '13900000000' },
      { $set: { name: 'newer' }, $setOnInsert: { district: 'D' }, $inc: { score: 1 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(updated).toMatchObject({ name: 'newer', district: 'C', score: 2 });
    expect(updated._id).toEqual(inserted.value?._id);
  });

  it('when bulkWrite mixes inserts, upserts, updates and deletes, then every count is reported', async () => {
    const result = await Participants.bulkWrite([
      { insertOne: { document: { phone: '1', name: 'bulk', district: 'Z', joinedAt: day(2) } } },
      {
        updateOne: {
          filter: { phone: '2' },
          update: { $set: { name: 'up', district: 'Z', joinedAt: day(3) } },
          upsert: true,
        },
      },
      { updateMany: { filter: { district: 'A' }, update: { $inc: { score: 1 } } } },
      { deleteOne: { filter: { name: 'p1' } } },
    ]);
    expect(result.insertedCount).toBe(1);
    expect(result.upsertedCount).toBe(1);
    expect(result.matchedCount).toBe(5);
    expect(result.modifiedCount).toBe(5);
    expect(result.deletedCount).toBe(1);
    expect(await Participants.countDocuments({ district: 'Z' })).toBe(2);
    expect((await Participants.findOne({ name: 'p4' }).lean())?.score).toBe(41);
  });

  it('when aggregating with $match, $group and $sort, then the totals per district come back in order', async () => {
    const totals = await Participants.aggregate<{ _id: string; total: number; n: number }>([
      { $match: { score: { $gte: 20 } } },
      { $group: { _id: '$district', total: { $sum: '$score' }, n: { $sum: 1 } } },
      { $sort: { total: -1 } },
    ]);
    expect(totals).toEqual([
      { _id: 'B', total: 30 + 50 + 70 + 90, n: 4 },
      { _id: 'A', total: 20 + 40 + 60 + 80, n: 4 },
    ]);
  });

  it('when asking for distinct values, then each comes once', async () => {
    const districts = await Participants.distinct('district', { score: { $lt: 50 } });
    expect([...districts].sort()).toEqual(['A', 'B']);
  });

  it('when deleting one and then many, then the counts and countDocuments agree', async () => {
    expect((await Participants.deleteOne({ district: 'A' })).deletedCount).toBe(1);
    expect(await Participants.countDocuments({ district: 'A' })).toBe(4);
    expect((await Participants.deleteMany({ district: 'B' })).deletedCount).toBe(5);
    expect(await Participants.countDocuments()).toBe(4);
    expect(await Participants.estimatedDocumentCount()).toBe(4);
  });

  it('when 20 inserts run in parallel, then all land; with one phone, exactly one wins', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        Participants.create({
          phone: `parallel-${i}`,
          name: 'par',
          district: 'P',
          joinedAt: day(5),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(await Participants.countDocuments({ district: 'P' })).toBe(20);

    const racing = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        Participants.create({ phone: 'same', name: 'race', district: 'R', joinedAt: day(5) }),
      ),
    );
    const losers = racing.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(losers).toHaveLength(19);
    expect(losers.every((r) => (r.reason as { code?: unknown }).code === 11000)).toBe(true);
  });
});

describe('cursors', () => {
  it('when 1,000 documents are read with batchSize 50, then all arrive through getMore', async () => {
    const before = countStarted('getMore');
    const seqs: number[] = [];
    for await (const reading of Readings.find({ seq: { $gte: 0 } })
      .sort({ seq: 1 })
      .batchSize(50)
      .lean()
      .cursor()) {
      seqs.push(reading.seq);
    }
    expect(seqs).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    // 50 in the first batch, then 19 getMores of 50; the last one exhausts the cursor.
    expect(countStarted('getMore') - before).toBe(19);
  });

  it('when a cursor is closed early, then killCursors frees it on the server', async () => {
    const before = countStarted('killCursors');
    const cursor = Readings.find().batchSize(50).cursor();
    expect(await cursor.next()).not.toBeNull();
    await cursor.close();
    expect(countStarted('killCursors') - before).toBe(1);
    const reply = succeeded.filter((e) => e.commandName === 'killCursors').at(-1)?.reply as {
      cursorsKilled?: unknown[];
    };
    expect(reply.cursorsKilled).toHaveLength(1);
  });

  it('when a getMore names an unknown cursor, then it fails with CursorNotFound', async () => {
    await expect(
      db().command({ getMore: mongoose.mongo.Long.fromNumber(987654), collection: 'readings' }),
    ).rejects.toMatchObject({ code: 43 });
  });

  it('when paging by keyset on _id, then the pages cover every document once, in order', async () => {
    const pages: number[] = [];
    const seqs: number[] = [];
    let lastId: Types.ObjectId | undefined;
    for (;;) {
      const filter = lastId === undefined ? {} : { _id: { $gt: lastId } };
      const page = await Readings.find(filter).sort({ _id: 1 }).limit(300).lean();
      if (page.length === 0) break;
      pages.push(page.length);
      seqs.push(...page.map((r) => r.seq));
      lastId = page.at(-1)?._id;
    }
    expect(pages).toEqual([300, 300, 300, 100]);
    expect(seqs).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
  });
});

describe('embedded outbox', () => {
  it('when entries are pushed, marked by positional $ and arrayFilters, then pulled, then each step lands', async () => {
    const { _id } = await Enrolments.create({ participantId: 'p1', outbox: [] });
    await Enrolments.updateOne(
      { _id },
      { $push: { outbox: { id: 'e1', type: 'enrolled', tags: ['a'] } } },
    );
    await Enrolments.updateOne(
      { _id },
      { $push: { outbox: { id: 'e2', type: 'scored', tags: ['a', 'b'] } } },
    );

    const sentAt = day(7);
    const marked = await Enrolments.updateOne(
      { _id, 'outbox.id': 'e1' },
      { $set: { 'outbox.$.sentAt': sentAt } },
    );
    expect(marked.modifiedCount).toBe(1);
    let doc = await Enrolments.findById(_id).lean().orFail();
    expect(doc.outbox.map((e) => [e.id, e.sentAt])).toEqual([
      ['e1', sentAt],
      ['e2', undefined],
    ]);

    const later = day(8);
    const filtered = await Enrolments.updateOne(
      { _id },
      { $set: { 'outbox.$[pending].sentAt': later }, $pull: { 'outbox.$[all].tags': 'a' } },
      { arrayFilters: [{ 'pending.sentAt': null }, { 'all.id': { $exists: true } }] },
    );
    expect(filtered.modifiedCount).toBe(1);
    doc = await Enrolments.findById(_id).lean().orFail();
    expect(doc.outbox).toEqual([
      { id: 'e1', type: 'enrolled', tags: [], sentAt },
      { id: 'e2', type: 'scored', tags: ['b'], sentAt: later },
    ]);

    await Enrolments.updateOne({ _id }, { $pull: { outbox: { id: 'e1' } } });
    doc = await Enrolments.findById(_id).lean().orFail();
    expect(doc.outbox.map((e) => e.id)).toEqual(['e2']);
  });
  it('when events are written and relayed the way libs/events does, then the outbox drains and its marker goes', async () => {
    const event = (id: string, n: number): OutboxEntry => ({
      id,
      type: 'scored',
      time: day(n),
      tags: [],
    });
    const { _id } = await Enrolments.create({ participantId: 'p2', outbox: [] });

    // updateWithEvents: $push with $each plus $min of the oldest time, in the same write.
    const written = await Enrolments.findOneAndUpdate(
      { _id },
      {
        $set: { participantId: 'p2b' },
        $push: { outbox: { $each: [event('e1', 3), event('e2', 4)] } },
        $min: { outboxSince: day(3) },
      },
      { new: true },
    ).lean();
    expect(written?.outboxSince).toEqual(day(3));
    await Enrolments.updateOne(
      { _id },
      { $push: { outbox: { $each: [event('e3', 5)] } }, $min: { outboxSince: day(5) } },
    );

    // The relay's scan: pending aggregates, oldest first, outbox only.
    const pending = await Enrolments.find({ outboxSince: { $exists: true } }, { outbox: 1 })
      .sort({ outboxSince: 1 })
      .limit(10)
      .lean();
    expect(pending).toHaveLength(1);
    expect(pending[0]?.participantId).toBeUndefined();
    expect(pending[0]?.outbox.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);

    const pulled = await Enrolments.bulkWrite(
      [
        {
          updateOne: {
            filter: { _id },
            update: { $pull: { outbox: { id: { $in: ['e1', 'e2', 'e3'] } } } },
          },
        },
      ],
      { ordered: false },
    );
    expect(pulled.modifiedCount).toBe(1);
    const cleared = await Enrolments.updateMany(
      { _id: { $in: [_id] }, outbox: { $size: 0 } },
      { $unset: { outboxSince: 1 } },
    );
    expect(cleared.modifiedCount).toBe(1);
    const drained = await Enrolments.findById(_id).lean().orFail();
    expect(drained.outbox).toEqual([]);
    expect(drained).not.toHaveProperty('outboxSince');
    expect(drained.participantId).toBe('p2b');
  });
});

describe('lookups by _id, unique key and sparse field', () => {
  interface Keyed {
    _id: string;
    n: number;
  }
  const keyed = (): mongo.Collection<Keyed> => db().collection<Keyed>('keyed');

  beforeEach(async () => {
    await seedParticipants();
    await keyed().deleteMany({});
    await keyed().insertMany(['a', 'b', 'c', 'd'].map((_id, n) => ({ _id, n })));
  });

  it('when a filter pins _id and adds a condition that does not hold, then find, count, update and delete see nothing', async () => {
    const missed = [{ _id: 'b', n: 9 }, { $and: [{ _id: 'b' }, { n: 9 }] }];
    for (const filter of missed) {
      expect(await keyed().find(filter).toArray()).toEqual([]);
      expect(await keyed().countDocuments(filter)).toBe(0);
      expect((await keyed().updateOne(filter, { $set: { n: 0 } })).matchedCount).toBe(0);
      expect((await keyed().deleteOne(filter)).deletedCount).toBe(0);
    }
    expect(await keyed().findOne({ _id: 'b', n: 1 })).toEqual({ _id: 'b', n: 1 });
    expect(await keyed().findOne({ _id: { $eq: 'b' }, n: { $gt: 0 } })).toEqual({ _id: 'b', n: 1 });
  });

  it('when $in names missing and repeated ids, then each stored document matches once', async () => {
    const filter = { _id: { $in: ['d', 'x', 'b', 'b', 'y'] } };
    const found = await keyed().find(filter).toArray();
    expect(found.map((doc) => doc._id).sort()).toEqual(['b', 'd']);
    expect(await keyed().countDocuments(filter)).toBe(2);
    expect(await keyed().countDocuments({ _id: { $in: [] } })).toBe(0);
    const updated = await keyed().updateMany(
      { _id: { $in: ['a', 'b', 'z'] }, n: { $lt: 1 } },
      { $inc: { n: 10 } },
    );
    expect([updated.matchedCount, updated.modifiedCount]).toEqual([1, 1]);
    expect((await keyed().deleteMany({ _id: { $in: ['c', 'q'] } })).deletedCount).toBe(1);
    expect(
      await keyed()
        .find({}, { sort: { _id: 1 } })
        .toArray(),
    ).toEqual([
      { _id: 'a', n: 10 },
      { _id: 'b', n: 1 },
      { _id: 'd', n: 3 },
    ]);
  });

  it('when an update moves a unique key, then its old value is free and its new one is taken', async () => {
    await Participants.updateOne({ name: 'p1' }, { $set: { phone: 'moved' } });
    await expect(
      Participants.create({ phone: '13800000001', name: 'reuse', district: 'A', joinedAt: day(1) }),
    ).resolves.toMatchObject({ phone: '13800000001' });
    await expect(
      Participants.create({ phone: 'moved', name: 'clash', district: 'A', joinedAt: day(1) }),
    ).rejects.toMatchObject({ code: 11000, keyValue: { phone: 'moved' } });

    const error: unknown = await Participants.updateOne(
      { name: 'p2' },
      { $set: { phone: 'moved', score: 99 } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(error).toMatchObject({
      code: 11000,
      keyPattern: { phone: 1 },
      keyValue: { phone: 'moved' },
      message: expect.stringMatching(
        /^E11000 duplicate key error collection: conformance\.participants index: phone_1 dup key: \{ phone: "moved" \}/,
      ) as unknown,
    });
    expect(await Participants.findOne({ name: 'p2' }).lean()).toMatchObject({
      phone: '13800000002',
      score: 20,
    });
    expect(await Participants.countDocuments({ phone: 'moved' })).toBe(1);

    await Participants.deleteOne({ phone: 'moved' });
    await expect(
      Participants.updateOne({ name: 'p2' }, { $set: { phone: 'moved' } }),
    ).resolves.toMatchObject({ modifiedCount: 1 });
  });

  it('when one number is stored as int32, int64 and double under a unique index, then they collide', async () => {
    const numbers = db().collection('unique_numbers');
    await numbers.drop().catch(() => undefined);
    await numbers.createIndex({ value: 1 }, { unique: true });
    await numbers.insertOne({ value: 7 });
    for (const value of [mongoose.mongo.Long.fromNumber(7), new mongoose.mongo.Double(7)]) {
      await expect(numbers.insertOne({ value })).rejects.toMatchObject({ code: 11000 });
    }
    await numbers.insertOne({ value: new mongoose.mongo.Double(7.5) });
    expect(await numbers.countDocuments()).toBe(2);
  });

  it('when documents gain and lose a sparse-indexed field, then $exists finds, pages and counts follow', async () => {
    await Enrolments.deleteMany({});
    await Enrolments.insertMany(
      Array.from({ length: 6 }, (_, i) => ({
        participantId: `s${i}`,
        outbox: [],
        ...(i < 4 ? { outboxSince: day(10 - i) } : {}),
      })),
    );
    await Enrolments.updateOne({ participantId: 's3' }, { $unset: { outboxSince: 1 } });
    await Enrolments.updateOne({ participantId: 's5' }, { $min: { outboxSince: day(1) } });
    await Enrolments.deleteOne({ participantId: 's2' });

    const pending = { outboxSince: { $exists: true } };
    const page = await Enrolments.find(pending).sort({ outboxSince: 1 }).limit(2).lean();
    expect(page.map((e) => e.participantId)).toEqual(['s5', 's1']);
    const all = await Enrolments.find(pending).sort({ outboxSince: -1 }).lean();
    expect(all.map((e) => e.participantId)).toEqual(['s0', 's1', 's5']);
    expect(await Enrolments.countDocuments(pending)).toBe(3);
    expect(await Enrolments.collection.countDocuments(pending, { skip: 1, limit: 1 })).toBe(1);
    expect(await Enrolments.collection.countDocuments(pending, { skip: 2, limit: 5 })).toBe(1);
    expect(await Enrolments.collection.countDocuments(pending, { skip: 5 })).toBe(0);
    expect(
      await Enrolments.countDocuments({ ...pending, participantId: { $in: ['s0', 's3'] } }),
    ).toBe(1);
    expect(await Enrolments.countDocuments({ outboxSince: { $exists: false } })).toBe(2);
  });
});

describe('ordered index lookups', () => {
  // Shaped like the registration service's sign-ups and import jobs.
  interface SignUp {
    _id: string;
    eventKey: string;
    status: unknown;
    sequence?: unknown;
    accountSubject: string;
    ticket?: string;
  }
  interface JobRow {
    _id: string;
    jobId: string;
    row: number;
  }
  const signUps = (): mongo.Collection<SignUp> => db().collection<SignUp>('ordered_signups');
  const jobRows = (): mongo.Collection<JobRow> => db().collection<JobRow>('ordered_job_rows');
  const waitlistIndex = 'eventKey_1_status_1_sequence_1';
  const { Double, Long } = mongoose.mongo;

  type SignUpFilter = mongoose.FilterQuery<SignUp>;

  /** Asserts that find (sorted or not, limited or not) and countDocuments answer `filter` as a
   * plain scan does (the same filter under `$or`, which no index serves); returns how many
   * documents it matched, for the caller to check. */
  async function expectAsScanned(
    filter: SignUpFilter,
    sort: Record<string, 1 | -1> = {},
    limit = 0,
  ): Promise<number> {
    const scanned: SignUpFilter = { $or: [filter] };
    const found = await SignUps.find(filter).sort(sort).limit(limit).lean();
    expect(found).toEqual(await SignUps.find(scanned).sort(sort).limit(limit).lean());
    const counted = await SignUps.countDocuments(filter);
    expect(counted).toBe(await SignUps.countDocuments(scanned));
    return counted;
  }

  /** The shapes the registration service sends, over every event and status. */
  async function expectShapesAsScanned(): Promise<void> {
    let matched = 0;
    for (const eventKey of ['e:0', 'e:1', 'e:2']) {
      for (const status of ['waitlisted', 'confirmed']) {
        const prefix = { eventKey, status };
        matched += await expectAsScanned(prefix);
        for (const n of [0, 5, 12.5, 40, 1e9]) {
          matched += await expectAsScanned({ ...prefix, sequence: { $lt: n } });
          await expectAsScanned({ ...prefix, sequence: { $gte: n } });
          await expectAsScanned({ ...prefix, sequence: { $gt: 3, $lte: n } });
        }
        await expectAsScanned({ ...prefix, sequence: { $lt: '5' } });
        await expectAsScanned({ ...prefix, sequence: 7 });
        await expectAsScanned({ ...prefix, sequence: { $exists: true } });
        await expectAsScanned({ ...prefix, accountSubject: { $ne: 'subject-4' } });
        for (const direction of [1, -1] as const) {
          for (const limit of [1, 3, 0]) {
            await expectAsScanned(prefix, { sequence: direction }, limit);
            await expectAsScanned({ eventKey }, { status: direction, sequence: direction }, limit);
          }
        }
      }
    }
    await expectAsScanned({ accountSubject: 'subject-7' });
    await expectAsScanned({}, { eventKey: 1 }, 5);
    expect(matched).toBeGreaterThan(0);
  }

  let SignUps: mongoose.Model<SignUp>;

  beforeAll(() => {
    SignUps = conn.model(
      'OrderedSignUp',
      new Schema<SignUp>(
        { _id: String, eventKey: String, status: {}, sequence: {}, accountSubject: String },
        { strict: false },
      ),
      'ordered_signups',
    );
  });

  beforeEach(async () => {
    await signUps()
      .drop()
      .catch(() => undefined);
    await signUps().createIndex({ eventKey: 1, status: 1, sequence: 1 });
    await signUps().createIndex({ accountSubject: 1 });
    await signUps().createIndex({ ticket: 1 }, { unique: true, sparse: true });
    // Ties on sequence (i % 17), in an order unlike _id's, so that store order shows.
    await signUps().insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        _id: `s${(i * 37) % 60}`,
        eventKey: `e:${i % 3}`,
        status: i % 4 === 0 ? 'confirmed' : 'waitlisted',
        sequence: i % 17,
        accountSubject: `subject-${i % 10}`,
        ticket: `t${i}`,
      })),
    );
  });

  it('when filtering on an index prefix, a range after it or sorting on the next field, then documents, order and counts are those of a scan', async () => {
    await expectShapesAsScanned();
    const waitlisted = await SignUps.find({ eventKey: 'e:1', status: 'waitlisted' }).lean();
    const below = waitlisted.filter((signUp) => Number(signUp.sequence) < 9);
    expect(below.length).toBeGreaterThan(0);
    expect(
      await SignUps.countDocuments({ eventKey: 'e:1', status: 'waitlisted', sequence: { $lt: 9 } }),
    ).toBe(below.length);
    const head = await SignUps.find({ eventKey: 'e:1', status: 'waitlisted' })
      .sort({ sequence: 1 })
      .limit(1)
      .lean();
    const lowest = Math.min(...waitlisted.map((signUp) => Number(signUp.sequence)));
    // Ties come back in the order they were stored, as a scan and a stable sort give them.
    expect(head).toEqual([waitlisted.find((signUp) => signUp.sequence === lowest)]);
  });

  it('when values are of mixed types, arrays, null or missing, then the answers are still those of a scan', async () => {
    await signUps().insertMany([
      {
        _id: 'long',
        eventKey: 'e:1',
        status: 'waitlisted',
        sequence: Long.fromNumber(4),
        accountSubject: 'x',
      },
      {
        _id: 'double',
        eventKey: 'e:1',
        status: 'waitlisted',
        sequence: new Double(4),
        accountSubject: 'x',
      },
      { _id: 'half', eventKey: 'e:1', status: 'waitlisted', sequence: 4.5, accountSubject: 'x' },
      { _id: 'text', eventKey: 'e:1', status: 'waitlisted', sequence: '3', accountSubject: 'x' },
      {
        _id: 'array',
        eventKey: 'e:1',
        status: 'waitlisted',
        sequence: [2, 30],
        accountSubject: 'x',
      },
      { _id: 'null', eventKey: 'e:1', status: 'waitlisted', sequence: null, accountSubject: 'x' },
      { _id: 'missing', eventKey: 'e:1', status: 'waitlisted', accountSubject: 'x' },
      { _id: 'bool', eventKey: 'e:1', status: 'waitlisted', sequence: true, accountSubject: 'x' },
      { _id: 'date', eventKey: 'e:1', status: 'waitlisted', sequence: day(3), accountSubject: 'x' },
      {
        _id: 'statuses',
        eventKey: 'e:1',
        status: ['waitlisted', 'confirmed'],
        sequence: 1,
        accountSubject: 'x',
      },
      {
        _id: 'nested',
        eventKey: 'e:1',
        status: { s: 'waitlisted' },
        sequence: 1,
        accountSubject: 'x',
      },
    ]);
    await expectShapesAsScanned();
    const prefix = { eventKey: 'e:1', status: 'waitlisted' };
    expect(await expectAsScanned({ ...prefix, sequence: { $lte: 4 } })).toBeGreaterThan(2);
    expect(await expectAsScanned({ ...prefix, sequence: { $gte: day(1) } })).toBe(1);
    expect(await expectAsScanned({ ...prefix, sequence: { $lt: 'a' } })).toBe(1);
    expect(await expectAsScanned({ ...prefix, sequence: 4 })).toBe(3);
    expect(await expectAsScanned({ ...prefix, sequence: null })).toBe(2);
    expect(await expectAsScanned({ ...prefix, sequence: { $exists: false } })).toBe(1);
    expect(await expectAsScanned({ eventKey: 'e:1', status: 'confirmed' })).toBeGreaterThan(5);
    for (const direction of [1, -1] as const) {
      await expectAsScanned(prefix, { sequence: direction }, 4);
      await expectAsScanned({ ...prefix, sequence: { $exists: true } }, { sequence: direction }, 4);
    }
  });

  it('when updates move documents between keys and deletes remove some, then the answers follow', async () => {
    await SignUps.updateMany(
      { eventKey: 'e:0', sequence: { $lt: 6 } },
      { $set: { status: 'confirmed' } },
    );
    await SignUps.updateMany({ eventKey: 'e:2', status: 'waitlisted' }, { $inc: { sequence: 20 } });
    await SignUps.updateOne({ _id: 's1' }, { $set: { eventKey: 'e:1', sequence: 0 } });
    await SignUps.updateOne({ _id: 's2' }, { $unset: { sequence: 1 } });
    // Python's 1 == True: a change mongomock's own check of the document cannot see.
    await signUps().updateOne({ _id: 's3' }, { $set: { sequence: 1 } });
    await signUps().updateOne({ _id: 's3' }, { $set: { sequence: true } });
    await SignUps.deleteMany({ eventKey: 'e:1', sequence: { $gte: 10 } });
    await SignUps.deleteOne({ accountSubject: 'subject-3' });
    await SignUps.replaceOne(
      { _id: 's4' },
      { eventKey: 'e:2', status: 'waitlisted', sequence: -1, accountSubject: 'r' },
    );
    expect(await SignUps.findById('s3').lean()).toMatchObject({ sequence: true });
    await expectShapesAsScanned();
  });

  it('when a write breaks a unique index or fails halfway, then the answers reflect what stays stored', async () => {
    const before = await SignUps.findById('s5').lean().orFail();
    const duplicate = await signUps()
      .updateOne({ _id: 's5' }, { $set: { status: 'gone', sequence: 99, ticket: 't0' } })
      .catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: 11000 });
    await expect(
      signUps().insertOne({
        _id: 'dup',
        eventKey: 'e:1',
        status: 'waitlisted',
        sequence: 0,
        accountSubject: 'd',
        ticket: 't1',
      }),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await SignUps.findById('s5').lean()).toEqual(before);
    expect(await SignUps.countDocuments({ status: 'gone' })).toBe(0);
    expect(await SignUps.countDocuments({ _id: 'dup' })).toBe(0);

    // $set applies before $inc fails on a string: the stand-in keeps the half, as mongomock does.
    const halfway = await db()
      .collection<{ _id: string }>('ordered_signups')
      .updateOne(
        { _id: 's6' },
        { $set: { status: 'confirmed', sequence: 3 }, $inc: { eventKey: 1 } },
      )
      .catch((e: unknown) => e);
    expect(halfway).toBeInstanceOf(mongoose.mongo.MongoServerError);
    expect(await SignUps.findById('s6').lean()).toMatchObject({ status: 'confirmed', sequence: 3 });
    await expectShapesAsScanned();
  });

  it('when the index is dropped, written around and created again, then the answers follow', async () => {
    await signUps().dropIndex(waitlistIndex);
    await expectShapesAsScanned();
    await SignUps.updateMany({ eventKey: 'e:1' }, { $set: { status: 'confirmed' } });
    await SignUps.deleteMany({ sequence: { $lt: 3 } });
    await signUps().createIndex({ eventKey: 1, status: 1, sequence: 1 });
    await expectShapesAsScanned();
    // And again in another order of its fields: a recreated index is a new one.
    await signUps().dropIndex(waitlistIndex);
    await signUps().createIndex({ eventKey: 1, sequence: -1, status: 1 });
    await SignUps.updateMany({ eventKey: 'e:2' }, { $set: { sequence: 5 } });
    await expectShapesAsScanned();
  });

  it('when paging import rows by keyset on {jobId, _id}, then each page is the scan page', async () => {
    await jobRows()
      .drop()
      .catch(() => undefined);
    await jobRows().createIndex({ jobId: 1, _id: 1 });
    await jobRows().insertMany(
      Array.from({ length: 50 }, (_, i) => ({
        _id: `r${String((i * 7) % 50).padStart(2, '0')}`,
        jobId: `j${i % 2}`,
        row: i,
      })),
    );
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const filter = { jobId: 'j1', _id: { $gt: after } };
      const page = await jobRows()
        .find(filter, { sort: { _id: 1 }, limit: 7 })
        .toArray();
      expect(page).toEqual(
        await jobRows()
          .find({ $or: [filter] }, { sort: { _id: 1 }, limit: 7 })
          .toArray(),
      );
      expect(await jobRows().countDocuments(filter)).toBe(
        await jobRows().countDocuments({ $or: [filter] }),
      );
      const last = page.at(-1);
      if (last === undefined) break;
      seen.push(...page.map((row) => row._id));
      after = last._id;
    }
    expect(seen).toEqual(
      (await jobRows().find({ jobId: 'j1' }).toArray()).map((row) => row._id).sort(),
    );
  });

  it('when the outbox relay pages pending aggregates by outboxSince, then pages and counts are the scan ones', async () => {
    await Enrolments.deleteMany({});
    await Enrolments.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        participantId: `o${i}`,
        outbox: [],
        ...(i % 3 === 0 ? {} : { outboxSince: day(1 + (i % 7)) }),
      })),
    );
    // An explicit null exists for $exists, and sorts before every date.
    await Enrolments.collection.insertOne({ participantId: 'null', outbox: [], outboxSince: null });
    const pending = { outboxSince: { $exists: true } };
    for (const limit of [1, 5, 0]) {
      for (const direction of [1, -1] as const) {
        const page = await Enrolments.find(pending)
          .sort({ outboxSince: direction })
          .limit(limit)
          .lean();
        const scan = await Enrolments.find({ $or: [pending] })
          .sort({ outboxSince: direction })
          .limit(limit)
          .lean();
        expect(page).toEqual(scan);
      }
    }
    const first = await Enrolments.find(pending).sort({ outboxSince: 1 }).limit(3).lean();
    expect(first.map((e) => e.participantId)).toEqual(['null', 'o7', 'o14']);
    expect(await Enrolments.countDocuments(pending)).toBe(21);
    expect(await Enrolments.countDocuments({ outboxSince: { $exists: false } })).toBe(10);
    expect(await Enrolments.countDocuments({ outboxSince: { $lt: day(3) } })).toBe(
      await Enrolments.countDocuments({ $or: [{ outboxSince: { $lt: day(3) } }] }),
    );
  });
});

describe('BSON types', () => {
  it('when ObjectId, Date, Decimal128, Binary, UUID and Int64 are stored, then they come back as the same types', async () => {
    const { Binary, Decimal128, Long, ObjectId, UUID } = mongoose.mongo;
    const values = {
      ref: new ObjectId(),
      at: new Date('2025-03-04T05:06:07.089Z'),
      amount: Decimal128.fromString('12.345'),
      blob: new Binary(Buffer.from([0, 1, 2, 255])),
      uuid: new UUID(),
      big: Long.fromString('9007199254740993'),
    };
    const collection = db().collection('bson_types');
    const { insertedId } = await collection.insertOne({ ...values });
    const found = await collection.findOne(
      { _id: insertedId, amount: values.amount },
      { promoteLongs: false },
    );
    expect(found?.ref).toEqual(values.ref);
    expect(found?.at).toEqual(values.at);
    expect(String(found?.amount)).toBe('12.345');
    expect(found?.blob).toBeInstanceOf(Binary);
    expect([...(found?.blob as InstanceType<typeof Binary>).buffer]).toEqual([0, 1, 2, 255]);
    expect((found?.uuid as InstanceType<typeof Binary>).sub_type).toBe(Binary.SUBTYPE_UUID);
    expect((found?.uuid as InstanceType<typeof Binary>).toUUID().toHexString()).toBe(
      values.uuid.toHexString(),
    );
    expect(String(found?.big)).toBe('9007199254740993');
  });
});

describe('documents stored as BSON bytes', () => {
  interface Stored {
    _id: string;
    z?: number;
    a?: { y: string; b: number[]; c?: string };
    big?: mongo.Long;
    gone?: boolean;
    m?: string;
    n?: number;
    seen?: string[];
    counter?: mongo.Long;
    name?: string;
    tags?: string[];
    nested?: { at: Date; n: number };
    extra?: string;
  }
  const stored = (): mongo.Collection<Stored> => db().collection<Stored>('stored_as_bson');

  beforeEach(async () => {
    await stored().deleteMany({});
  });

  it('when an update changes a document in place in many ways, then a later read has every change, type and field order', async () => {
    const { Long } = mongoose.mongo;
    await stored().insertOne({
      _id: 'd1',
      z: 1,
      a: { y: 'kept', b: [1, 2] },
      big: Long.fromString('9007199254740993'),
      gone: true,
    });
    await stored().updateOne(
      { _id: 'd1' },
      {
        $set: { 'a.c': 'added', m: 'new' },
        $inc: { z: 2 },
        $push: { 'a.b': 3 },
        $unset: { gone: '' },
      },
    );
    const found = await stored().findOne({ _id: 'd1' }, { promoteLongs: false });
    expect(found).toEqual({
      _id: 'd1',
      z: 3,
      a: { y: 'kept', b: [1, 2, 3], c: 'added' },
      big: Long.fromString('9007199254740993'),
      m: 'new',
    });
    expect(Object.keys(found ?? {})).toEqual(['_id', 'z', 'a', 'big', 'm']);
    expect(found?.['big']).toBeInstanceOf(Long);
  });

  it('when one command writes the same document several times, then every statement sees the ones before it', async () => {
    const result = await stored().bulkWrite([
      { updateOne: { filter: { _id: 'd2' }, update: { $set: { n: 1 } }, upsert: true } },
      { updateOne: { filter: { _id: 'd2', n: 1 }, update: { $inc: { n: 10 } } } },
      { updateOne: { filter: { _id: 'd2', n: 11 }, update: { $push: { seen: 'third' } } } },
    ]);
    expect(result.upsertedCount).toBe(1);
    expect(result.modifiedCount).toBe(2);
    expect(await stored().findOne({ _id: 'd2' })).toEqual({ _id: 'd2', n: 11, seen: ['third'] });
  });

  it('when $inc takes an int64 past 64 bits, then the write fails with BadValue and the document keeps its value', async () => {
    const { Long } = mongoose.mongo;
    await stored().createIndex({ counter: 1 });
    await stored().insertOne({ _id: 'd3', counter: Long.MAX_VALUE });
    const failed = await stored()
      .updateOne({ _id: 'd3' }, { $inc: { counter: Long.fromNumber(1) } })
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 2 });
    const found = await stored().findOne({ _id: 'd3' }, { promoteLongs: false });
    expect(String(found?.['counter'])).toBe(Long.MAX_VALUE.toString());
    // The index's map was put back too: a lookup through it finds the document under its value.
    expect(await stored().countDocuments({ counter: Long.MAX_VALUE })).toBe(1);
    await stored().dropIndex('counter_1');
  });

  it('when the count command runs with no filter, a filter, skip and limit, then it counts what a scan would', async () => {
    await stored().insertMany(
      Array.from({ length: 12 }, (_, i) => ({ _id: `c${i}`, n: i % 3, m: String(i) })),
    );
    const counted = async (command: Record<string, unknown>): Promise<unknown> =>
      (await db().command({ count: 'stored_as_bson', ...command }))['n'];
    expect(await stored().estimatedDocumentCount()).toBe(12);
    expect(await counted({})).toBe(12);
    expect(await counted({ query: { n: 1 } })).toBe(4);
    expect(await counted({ skip: 10 })).toBe(2);
    expect(await counted({ skip: 20 })).toBe(0);
    expect(await counted({ query: { n: 1 }, limit: 3 })).toBe(3);
    expect(await counted({ limit: -5 })).toBe(5);
    await expect(counted({ query: { n: { $bogus: 1 } } })).rejects.toBeInstanceOf(
      mongoose.mongo.MongoServerError,
    );
  });

  it('when collStats is asked, then count and size are those of the documents as BSON', async () => {
    const { BSON } = mongoose.mongo;
    const docs = [
      { _id: 'd4', name: '居民', tags: ['a', 'b'] },
      { _id: 'd5', nested: { at: new Date(0), n: 1.5 } },
    ];
    await stored().insertMany(docs);
    await stored().updateOne({ _id: 'd5' }, { $set: { extra: 'x'.repeat(100) } });
    const after = await stored().find({}).toArray();
    const stats = await db().command({ collStats: 'stored_as_bson' });
    const size = after.reduce((sum, doc) => sum + BSON.calculateObjectSize(doc), 0);
    expect(stats).toMatchObject({ ok: 1, count: 2, size, avgObjSize: Math.floor(size / 2) });
  });
});

describe('what a standalone mongod refuses', () => {
  it('when a transaction runs, then it fails with IllegalOperation (20) and writes nothing', async () => {
    const session = await conn.startSession();
    try {
      await expect(
        session.withTransaction(async () => {
          await Participants.create(
            [{ phone: 'txn', name: 'txn', district: 'T', joinedAt: day(1) }],
            { session },
          );
        }),
      ).rejects.toMatchObject({ code: 20, codeName: 'IllegalOperation' });
    } finally {
      await session.endSession();
    }
    expect(await Participants.countDocuments({ phone: 'txn' })).toBe(0);
  });

  it('when a change stream is opened, then it fails with 40573', async () => {
    const stream = db().collection('participants').watch();
    try {
      await expect(stream.next()).rejects.toMatchObject({ code: 40573 });
    } finally {
      await stream.close();
    }
  });
});

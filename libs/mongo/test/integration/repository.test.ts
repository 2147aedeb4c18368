import { AppError } from '@learning/errors';
import { captureLogger, describeWithServers, rejectionOf, uniqueName } from '@learning/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '@learning/auth';
import { connectMongo, mongoReady, syncIndexes, type Stored } from '../../src/index.js';
import { MemberRepository, memberModel, type Member } from '../support/members.js';

const city = Scope.cityWide();
const township1 = Scope.within(['T1']);

let phoneSequence = 13_900_000_000;

function newMember(
  jurisdictionPath: string[],
  fields: Partial<Member> = {},
): Omit<Member, 'version'> {
  phoneSequence += 1;
  return {
    name: `member ${phoneSequence}`,
    phone: String(phoneSequence),
    joinedAt: new Date('2025-04-01T00:00:00Z'),
    jurisdictionPath,
    ...fields,
  };
}

describeWithServers(['mongo'], 'MongoDB repository', (servers) => {
  let connection: Connection;
  let model: Model<Member>;
  let repo: MemberRepository;
  const log = captureLogger('mongo-test');

  beforeAll(async () => {
    connection = await connectMongo({
      uri: servers.mongo.uri,
      database: uniqueName('mongo_lib'),
      logger: log.logger,
      appName: 'mongo-lib-test',
    });
    model = memberModel(connection);
    repo = new MemberRepository(model, log.logger);
    await syncIndexes(connection, log.logger);
  });

  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  describe('connectMongo and syncIndexes', () => {
    it('when connected, then mongoReady is true and the connection is not the global default', async () => {
      expect(await mongoReady(connection)).toBe(true);
      expect(connection.readyState).toBe(mongoose.ConnectionStates.connected);
      expect(connection).not.toBe(mongoose.connection);
      expect(log.lines.some((line) => line['msg'] === 'connected to MongoDB')).toBe(true);
    });

    it('when syncIndexes has run, then the declared indexes exist with their options', async () => {
      const indexes = (await model.listIndexes()) as {
        name: string;
        key: Record<string, number>;
        unique?: boolean;
      }[];
      const byName = new Map(indexes.map((index) => [index.name, index]));
      expect(byName.get('jurisdictionPath_1')?.key).toEqual({ jurisdictionPath: 1 });
      expect(byName.get('phone_1')?.key).toEqual({ phone: 1 });
      expect(byName.get('phone_1')?.unique).toBe(true);
      const synced = log.lines.find(
        (line) => line['collection'] === 'members' && Array.isArray(line['created']),
      );
      expect(synced?.['created']).toEqual(['jurisdictionPath_1', 'phone_1']);
    });

    it('when an undeclared index exists, then syncIndexes drops it and keeps the declared ones', async () => {
      await model.collection.createIndex({ name: 1 }, { name: 'name_1' });
      await syncIndexes(connection, log.logger);
      const names = ((await model.listIndexes()) as { name: string }[])
        .map((index) => index.name)
        .sort();
      expect(names).toEqual(['_id_', 'jurisdictionPath_1', 'phone_1']);
      expect(
        log.lines.some(
          (line) => Array.isArray(line['dropped']) && line['dropped'].includes('name_1'),
        ),
      ).toBe(true);
    });

    it('when no server listens, then connectMongo rejects after the bounded server selection time', async () => {
      await expect(
        connectMongo({
          uri: 'mongodb://127.0.0.1:1',
          database: 'nowhere',
          logger: log.logger,
          serverSelectionTimeoutMS: 200,
        }),
      ).rejects.toThrow(/ECONNREFUSED|Server selection timed out/);
    });
  });

  describe('insert', () => {
    it('when a township officer inserts in their township, then it is stored at version 1', async () => {
      const stored = await repo.insert(
        township1,
        newMember(['C', 'T1', 'T1-V1'], { name: 'Li Hua' }),
      );
      expect(stored.version).toBe(1);
      const reread = await repo.findById(city, String(stored._id));
      expect(reread?.name).toBe('Li Hua');
      expect(reread?.jurisdictionPath).toEqual(['C', 'T1', 'T1-V1']);
    });

    it('when a township officer inserts in another township, then it is refused and nothing is stored', async () => {
      const outside = newMember(['C', 'T2']);
      const error = await rejectionOf(repo.insert(township1, outside));
      assert.instanceOf(error, AppError);
      expect(error.kind).toBe('permission_denied');
      expect(error.code).toBe('OUT_OF_SCOPE');
      expect(await repo.count(city, { phone: outside.phone })).toBe(0);
    });

    it('when the unique phone is taken, then the conflict names the field but never the phone number', async () => {
      const phone = '13800138000';
      await repo.insert(city, newMember(['C', 'T1'], { phone }));
      const error = await rejectionOf(repo.insert(city, newMember(['C', 'T1'], { phone })));
      assert.instanceOf(error, AppError);
      expect(error.kind).toBe('conflict');
      expect(error.code).toBe('MEMBER_ALREADY_EXISTS');
      expect(error.details).toEqual([{ field: '/phone', message: 'is already in use' }]);
      expect(
        JSON.stringify({ message: error.message, details: error.details, cause: error.cause }),
      ).not.toContain(phone);
    });

    it('when a required field is missing, then it is a VALIDATION_FAILED naming the field', async () => {
      const withoutName: Partial<Member> = newMember(['C', 'T1']);
      delete withoutName.name;
      const error = await rejectionOf(repo.insert(city, withoutName as Omit<Member, 'version'>));
      assert.instanceOf(error, AppError);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([{ field: '/name', message: 'is required' }]);
    });
  });

  describe('a township officer reading', () => {
    let mine: Stored<Member>;
    let theirs: Stored<Member>;

    beforeAll(async () => {
      mine = await repo.insert(city, newMember(['C', 'T1', 'T1-V1'], { name: 'shared name' }));
      theirs = await repo.insert(city, newMember(['C', 'T2', 'T2-V1'], { name: 'shared name' }));
    });

    it("when asking by id for another township's member, then the answer is null as if it did not exist", async () => {
      expect(await repo.findById(township1, String(theirs._id))).toBeNull();
      expect((await repo.findById(township1, String(mine._id)))?.phone).toBe(mine.phone);
      expect((await repo.findById(city, String(theirs._id)))?.phone).toBe(theirs.phone);
    });

    it('when the id is malformed, then the answer is null, not an error', async () => {
      expect(await repo.findById(township1, 'not-an-object-id')).toBeNull();
    });

    it('when searching, paging and counting by a field both townships share, then only their own member is seen', async () => {
      const filter = { name: 'shared name' };
      expect((await repo.findOne(township1, filter))?.phone).toBe(mine.phone);
      expect(await repo.findOne(township1, { phone: theirs.phone })).toBeNull();
      const page = await repo.page(township1, {
        filter,
        sort: { field: 'joinedAt', direction: 'asc' },
        limit: 50,
      });
      expect(page.items.map((item) => item.phone)).toEqual([mine.phone]);
      expect(page.nextCursor).toBeNull();
      expect(await repo.count(township1, filter)).toBe(1);
      expect(await repo.count(city, filter)).toBe(2);
    });

    it('when the filter names another jurisdiction, then it narrows the scope but cannot widen it', async () => {
      expect(await repo.count(township1, { jurisdictionPath: 'T2' })).toBe(0);
      expect(
        await repo.count(township1, {
          name: 'shared name',
          jurisdictionPath: { $in: ['T1', 'T2'] },
        }),
      ).toBe(1);
    });
  });

  describe('page', () => {
    const paging = Scope.within(['PG']);
    let seeded: Stored<Member>[];

    beforeAll(async () => {
      // 250 members over 25 distinct days: ten share each day, so _id must break the ties.
      const docs = Array.from({ length: 250 }, (_, index) => ({
        ...newMember(['C', 'PG']),
        joinedAt: new Date(Date.UTC(2025, 3, 1 + ((index * 7) % 25))),
        version: 1,
      }));
      await model.insertMany(docs);
      seeded = await model.find({ jurisdictionPath: 'PG' }).lean<Stored<Member>[]>();
    });

    const byDateThenId = (a: Stored<Member>, b: Stored<Member>): number =>
      a.joinedAt.getTime() - b.joinedAt.getTime() || String(a._id).localeCompare(String(b._id));

    it('when 250 members are paged by date 100 at a time, then 3 pages return each exactly once, in order', async () => {
      const pages: Stored<Member>[][] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<MemberRepository['page']>> = await repo.page(paging, {
          sort: { field: 'joinedAt', direction: 'asc' },
          after,
          limit: 100,
        });
        pages.push(page.items);
        after = page.nextCursor;
      } while (after !== null && pages.length < 10);
      expect(pages.map((page) => page.length)).toEqual([100, 100, 50]);
      const ids = pages.flat().map((item) => String(item._id));
      expect(new Set(ids).size).toBe(250);
      expect(ids).toEqual([...seeded].sort(byDateThenId).map((item) => String(item._id)));
    });

    it('when paged newest first, then the order is reversed, ties included', async () => {
      const first = await repo.page(paging, {
        sort: { field: 'joinedAt', direction: 'desc' },
        limit: 150,
      });
      const second = await repo.page(paging, {
        sort: { field: 'joinedAt', direction: 'desc' },
        after: first.nextCursor,
        limit: 150,
      });
      expect(second.nextCursor).toBeNull();
      const ids = [...first.items, ...second.items].map((item) => String(item._id));
      expect(ids).toEqual(
        [...seeded]
          .sort(byDateThenId)
          .reverse()
          .map((item) => String(item._id)),
      );
    });

    it('when the limit is out of range, then it is clamped to 1..200', async () => {
      const sort = { field: 'joinedAt', direction: 'asc' } as const;
      expect((await repo.page(paging, { sort, limit: 1000 })).items).toHaveLength(200);
      expect((await repo.page(paging, { sort, limit: 0 })).items).toHaveLength(1);
    });

    it('when a cursor is used with another sort or filter, or edited, then it is CURSOR_INVALID', async () => {
      const { nextCursor } = await repo.page(paging, {
        sort: { field: 'joinedAt', direction: 'asc' },
        limit: 10,
      });
      const cursor = String(nextCursor);
      const attempts = [
        repo.page(paging, {
          sort: { field: 'joinedAt', direction: 'desc' },
          after: cursor,
          limit: 10,
        }),
        repo.page(paging, { sort: { field: 'name', direction: 'asc' }, after: cursor, limit: 10 }),
        repo.page(paging, {
          filter: { version: 1 },
          sort: { field: 'joinedAt', direction: 'asc' },
          after: cursor,
          limit: 10,
        }),
        repo.page(paging, {
          sort: { field: 'joinedAt', direction: 'asc' },
          after: `x${cursor}`,
          limit: 10,
        }),
      ];
      for (const attempt of attempts) {
        const error = await rejectionOf(attempt);
        assert.instanceOf(error, AppError);
        expect([error.kind, error.code]).toEqual(['invalid_argument', 'CURSOR_INVALID']);
      }
    });
  });

  describe('updateVersioned and deleteVersioned', () => {
    it('when updated at the current version, then it succeeds once and the stale retry is a VERSION_CONFLICT', async () => {
      const created = await repo.insert(township1, newMember(['C', 'T1']));
      const id = String(created._id);
      const updated = await repo.updateVersioned(township1, id, 1, { $set: { name: 'renamed' } });
      expect([updated.name, updated.version]).toEqual(['renamed', 2]);
      const error = await rejectionOf(
        repo.updateVersioned(township1, id, 1, { $set: { name: 'stale' } }),
      );
      assert.instanceOf(error, AppError);
      expect([error.kind, error.code]).toEqual(['aborted', 'VERSION_CONFLICT']);
      expect((await repo.findById(city, id))?.name).toBe('renamed');
    });

    it('when five updates race with the same expected version, then exactly one wins', async () => {
      const created = await repo.insert(city, newMember(['C', 'T1']));
      const id = String(created._id);
      const results = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((attempt) =>
          repo.updateVersioned(city, id, 1, { $set: { name: `racer ${attempt}` } }),
        ),
      );
      const winners = results.filter((result) => result.status === 'fulfilled');
      const losers = results.flatMap((result) =>
        result.status === 'rejected' ? [result.reason as AppError] : [],
      );
      expect(winners).toHaveLength(1);
      expect(losers.map((error) => error.code)).toEqual(
        Array.from({ length: 4 }, () => 'VERSION_CONFLICT'),
      );
      const stored = await repo.findById(city, id);
      expect(stored?.version).toBe(2);
      expect(stored?.name).toBe(winners[0]?.value.name);
    });

    it("when updating another township's member or a missing one, then it is not_found, revealing nothing", async () => {
      const theirs = await repo.insert(city, newMember(['C', 'T2']));
      for (const id of [String(theirs._id), '65f0c0ffee0000000000abcd', 'malformed']) {
        const error = await rejectionOf(
          repo.updateVersioned(township1, id, 1, { $set: { name: 'x' } }),
        );
        assert.instanceOf(error, AppError);
        expect([error.kind, error.code]).toEqual(['not_found', 'MEMBER_NOT_FOUND']);
      }
      expect((await repo.findById(city, String(theirs._id)))?.version).toBe(1);
    });

    it('when an update would move the member out of scope, then it is refused and nothing changes', async () => {
      const created = await repo.insert(township1, newMember(['C', 'T1']));
      const id = String(created._id);
      for (const update of [
        { $set: { jurisdictionPath: ['C', 'T2'] } },
        { $push: { jurisdictionPath: 'T2' } },
      ]) {
        const error = await rejectionOf(repo.updateVersioned(township1, id, 1, update));
        assert.instanceOf(error, AppError);
        expect(error.code).toBe('OUT_OF_SCOPE');
      }
      const moved = await repo.updateVersioned(township1, id, 1, {
        $set: { jurisdictionPath: ['C', 'T1', 'T1-V2'] },
      });
      expect(moved.jurisdictionPath).toEqual(['C', 'T1', 'T1-V2']);
    });

    it('when deleted at a stale version, then it conflicts; at the current version, then it is gone', async () => {
      const created = await repo.insert(township1, newMember(['C', 'T1']));
      const id = String(created._id);
      await repo.updateVersioned(township1, id, 1, { $set: { name: 'kept' } });
      const error = await rejectionOf(repo.deleteVersioned(township1, id, 1));
      assert.instanceOf(error, AppError);
      expect(error.code).toBe('VERSION_CONFLICT');
      const deleted = await repo.deleteVersioned(township1, id, 2);
      expect(deleted.name).toBe('kept');
      expect(await repo.findById(city, id)).toBeNull();
      const gone = await rejectionOf(repo.deleteVersioned(township1, id, 2));
      assert.instanceOf(gone, AppError);
      expect(gone.code).toBe('MEMBER_NOT_FOUND');
    });

    it('when the platform acts with a system scope, then the reason is logged with the operation', async () => {
      const relay = Scope.system('outbox relay');
      const created = await repo.insert(relay, newMember(['C', 'T9']));
      expect(await repo.count(relay, { _id: created._id })).toBe(1);
      const noted = log.lines.filter((line) => line['reason'] === 'outbox relay');
      expect(noted.map((line) => line['operation'])).toEqual(['insert', 'count']);
      expect(noted[0]?.['collection']).toBe('members');
    });
  });

  describe('mongoReady after close', () => {
    it('when the connection is closed, then mongoReady is false', async () => {
      const second = await connectMongo({
        uri: servers.mongo.uri,
        database: 'mongo_lib_ready',
        logger: log.logger,
      });
      expect(await mongoReady(second)).toBe(true);
      await second.close();
      expect(await mongoReady(second)).toBe(false);
    });
  });
});

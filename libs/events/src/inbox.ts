import type { Connection } from 'mongoose';
import { failedOnlyOnDuplicates } from '@learning/mongo';

interface Waiting<R> {
  readonly ids: readonly string[];
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Calls made within one turn of the event loop, sent as one command at the
 * turn's end. kafkajs hands the batches of one fetch (one per partition) to
 * its workers in the same turn, so their inbox checks, and the records of
 * batches that finish together, cost one round trip instead of one each: at
 * a trickle, when each partition's batch holds one event, that is the
 * difference between about two commands per event and a fraction of one.
 */
class TurnBatcher<R> {
  private waiting: Waiting<R>[] = [];

  constructor(
    private readonly send: (ids: readonly string[]) => Promise<(ids: readonly string[]) => R>,
  ) {}

  add(ids: readonly string[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ ids, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    try {
      const answerFor = await this.send(waiting.flatMap((call) => call.ids));
      for (const call of waiting) call.resolve(answerFor(call.ids));
    } catch (error) {
      // Each caller's batch fails and is fetched again: the same as an unshared command failing.
      for (const call of waiting) call.reject(error);
    }
  }
}

/**
 * Which events a consumer group has already applied. The unique `_id`
 * (group + event id) makes a repeat delivery a no-op even across replicas.
 */
export class MongoInbox {
  private readonly checks = new TurnBatcher<Set<string>>(async (keys) => {
    const found = await this.collection()
      .find({ _id: { $in: [...new Set(keys)] } }, { projection: { _id: 1 } })
      .toArray();
    const known = new Set(found.map((entry) => entry._id));
    return (asked) => new Set(asked.filter((key) => known.has(key)));
  });

  private readonly records = new TurnBatcher<void>(async (keys) => {
    const processedAt = new Date();
    try {
      await this.collection().insertMany(
        [...new Set(keys)].map((_id) => ({ _id, processedAt })),
        { ordered: false },
      );
    } catch (error) {
      if (!failedOnlyOnDuplicates(error)) throw error;
    }
    return () => undefined;
  });

  constructor(
    private readonly connection: Connection,
    private readonly collectionName = 'inbox',
  ) {}

  private collection() {
    const db = this.connection.db;
    if (db === undefined) throw new Error('MongoInbox used before its connection opened');
    return db.collection<{ _id: string; processedAt: Date }>(this.collectionName);
  }

  /**
   * Of the given event ids, those already applied: one query for a whole
   * fetched batch, shared with the other batches checked in the same turn.
   */
  async seen(groupId: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const prefix = `${groupId}:`;
    const found = await this.checks.add(eventIds.map((id) => prefix + id));
    return new Set([...found].map((key) => key.slice(prefix.length)));
  }

  /**
   * Records the events of a batch as applied in one unordered insert, shared
   * with the other batches recorded in the same turn. An id recorded already
   * (by a replica that handled it first, or a redelivery after a crash) is
   * not an error, and the others are still recorded.
   */
  async record(groupId: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.records.add(eventIds.map((id) => `${groupId}:${id}`));
  }
}

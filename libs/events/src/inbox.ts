import type { Connection } from 'mongoose';
import { failedOnlyOnDuplicates } from '@learning/mongo';

/**
 * Which events a consumer group has already applied. The unique `_id`
 * (group + event id) makes a repeat delivery a no-op even across replicas.
 */
export class MongoInbox {
  constructor(
    private readonly connection: Connection,
    private readonly collectionName = 'inbox',
  ) {}

  private collection() {
    const db = this.connection.db;
    if (db === undefined) throw new Error('MongoInbox used before its connection opened');
    return db.collection<{ _id: string; processedAt: Date }>(this.collectionName);
  }

  /** Of the given event ids, those already applied; one query for a whole fetched batch. */
  async seen(groupId: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const prefix = `${groupId}:`;
    const found = await this.collection()
      .find({ _id: { $in: eventIds.map((id) => prefix + id) } }, { projection: { _id: 1 } })
      .toArray();
    return new Set(found.map((entry) => entry._id.slice(prefix.length)));
  }

  /**
   * Records the events of a batch as applied in one unordered insert. An id
   * recorded already (by a replica that handled it first, or a redelivery after
   * a crash) is not an error, and the others are still recorded.
   */
  async record(groupId: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length === 0) return;
    const processedAt = new Date();
    try {
      await this.collection().insertMany(
        eventIds.map((id) => ({ _id: `${groupId}:${id}`, processedAt })),
        { ordered: false },
      );
    } catch (error) {
      if (!failedOnlyOnDuplicates(error)) throw error;
    }
  }
}

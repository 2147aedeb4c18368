import type { Connection } from 'mongoose';
import { isDuplicateKey } from './relay.js';

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

  async has(groupId: string, eventId: string): Promise<boolean> {
    return (
      (await this.collection().countDocuments({ _id: `${groupId}:${eventId}` }, { limit: 1 })) > 0
    );
  }

  async record(groupId: string, eventId: string): Promise<void> {
    try {
      await this.collection().insertOne({ _id: `${groupId}:${eventId}`, processedAt: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

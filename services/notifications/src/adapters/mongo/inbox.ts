/**
 * The inbox in MongoDB: personal entries are the `inbox` deliveries; read
 * marks are `inbox_reads`, one document per person and entry (`_id`
 * `<recipient>|<entry id>`, so marking twice is one upsert), written only
 * when the person reads, plus one per person for "read all" (`<recipient>|*`).
 */
import { driverCollection, isDuplicateKey } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type { PersonalInbox, ReadMarks } from '../../application/inbox/ports.js';
import type { InboxEntry, InboxPosition } from '../../application/ports.js';
import type { DeliveryDocument } from './deliveries.js';

export interface InboxReadDocument {
  _id: string;
  recipient: string;
  /** The entry read; `*` for "everything up to readAt". */
  entryId: string;
  readAt: Date;
}

const inboxReadSchema = new Schema<InboxReadDocument>(
  {
    _id: { type: String, required: true },
    recipient: { type: String, required: true },
    entryId: { type: String, required: true },
    readAt: { type: Date, required: true },
  },
  { collection: 'inbox_reads', versionKey: false, strict: 'throw' },
);

export const inboxReadModel = (connection: Connection): Model<InboxReadDocument> =>
  connection.model<InboxReadDocument>('InboxRead', inboxReadSchema);

const ALL = '*';
const markId = (recipient: string, entryId: string): string => `${recipient}|${entryId}`;

export class MongoPersonalInbox implements PersonalInbox {
  constructor(private readonly deliveries: Model<DeliveryDocument>) {}

  async page(
    recipient: string,
    options: { readonly before?: InboxPosition; readonly limit: number },
  ): Promise<InboxEntry[]> {
    const { before, limit } = options;
    const docs = await driverCollection(this.deliveries)
      .find({
        recipient,
        channel: 'inbox',
        status: 'delivered',
        ...(before === undefined
          ? {}
          : {
              $or: [
                { createdAt: { $lt: before.at } },
                { createdAt: before.at, _id: { $lt: before.id } },
              ],
            }),
      })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => ({
      id: doc._id,
      source: 'personal',
      kind: doc.kind,
      title: doc.title ?? '',
      body: doc.body ?? '',
      urgent: doc.urgent,
      at: doc.createdAt,
    }));
  }

  async holds(recipient: string, entryId: string): Promise<boolean> {
    const found = await driverCollection(this.deliveries).countDocuments(
      { _id: entryId, recipient, channel: 'inbox', status: 'delivered' },
      { limit: 1 },
    );
    return found > 0;
  }
}

export class MongoReadMarks implements ReadMarks {
  constructor(private readonly model: Model<InboxReadDocument>) {}

  async readAmong(recipient: string, entries: readonly InboxEntry[]): Promise<ReadonlySet<string>> {
    if (entries.length === 0) return new Set();
    const marks = await driverCollection(this.model)
      .find({
        _id: {
          $in: [markId(recipient, ALL), ...entries.map((entry) => markId(recipient, entry.id))],
        },
      })
      .toArray();
    const allBefore = marks.find((mark) => mark.entryId === ALL)?.readAt;
    const marked = new Set(marks.map((mark) => mark.entryId));
    return new Set(
      entries
        .filter(
          (entry) => marked.has(entry.id) || (allBefore !== undefined && entry.at <= allBefore),
        )
        .map((entry) => entry.id),
    );
  }

  async mark(recipient: string, entryId: string, now: Date): Promise<void> {
    try {
      await driverCollection(this.model).updateOne(
        { _id: markId(recipient, entryId) },
        { $setOnInsert: { recipient, entryId, readAt: now } },
        { upsert: true },
      );
    } catch (error) {
      // Two reads of the same entry at once: the other upsert made the mark.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async markAllBefore(recipient: string, now: Date): Promise<void> {
    await driverCollection(this.model).updateOne(
      { _id: markId(recipient, ALL) },
      { $set: { recipient, entryId: ALL, readAt: now } },
      { upsert: true },
    );
  }
}

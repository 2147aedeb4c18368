/** The dispatcher's and scheduler's deliveries in MongoDB: bulk writes, and claims by a token written atomically. */
import type { Page } from '@learning/domain';
import { driverCollection, DUPLICATE_KEY, keysetPage, writeErrorsOf } from '@learning/mongo';
import { randomUUID } from 'node:crypto';
import { mongo, type Model } from 'mongoose';
import type {
  DeliveryOutcome,
  DeliveryStore,
  DigestMember,
  NewDelivery,
  SendingDelivery,
} from '../../application/dispatch/ports.js';
import type {
  DeliveryFilter,
  DeliveryLog,
  DeliveryRecord,
} from '../../application/deliveries/ports.js';
import type { DeliveryDocument } from './deliveries.js';

export function deliveryDocumentOf(delivery: NewDelivery): DeliveryDocument {
  return {
    _id: delivery.id,
    noticeId: delivery.noticeId,
    recipient: delivery.recipient,
    channel: delivery.channel,
    kind: delivery.kind,
    urgent: delivery.urgent,
    sender: delivery.sender,
    occurredAt: delivery.occurredAt,
    status: delivery.status,
    reason: delivery.reason,
    language: delivery.language,
    title: delivery.rendered?.title ?? null,
    body: delivery.rendered?.body ?? null,
    templateVersion: delivery.rendered?.templateVersion ?? null,
    ...(delivery.sealedAddress === null ? {} : { sealedAddress: delivery.sealedAddress }),
    ...(delivery.dueAt === null ? {} : { dueAt: delivery.dueAt }),
    digestId: delivery.digestId,
    digestPeriod: delivery.digestPeriod,
    merged: [...delivery.merged],
    attempts: 0,
    providerId: null,
    createdAt: delivery.createdAt,
    updatedAt: delivery.createdAt,
    deliveredAt: delivery.status === 'delivered' ? delivery.createdAt : null,
  };
}

function sendingOf(doc: DeliveryDocument): SendingDelivery[] {
  if (doc.channel === 'inbox' || doc.title === null || doc.body === null) return [];
  return [
    {
      id: doc._id,
      noticeId: doc.noticeId,
      recipient: doc.recipient,
      channel: doc.channel,
      kind: doc.kind,
      language: doc.language,
      rendered: { title: doc.title, body: doc.body, templateVersion: doc.templateVersion ?? 0 },
      sealedAddress: doc.sealedAddress ?? null,
      attempts: doc.attempts,
    },
  ];
}

export class MongoDeliveryStore implements DeliveryStore {
  constructor(private readonly model: Model<DeliveryDocument>) {}

  async claim(deliveries: readonly NewDelivery[]): Promise<ReadonlySet<string>> {
    if (deliveries.length === 0) return new Set();
    const docs = deliveries.map(deliveryDocumentOf);
    const created = new Set(docs.map((doc) => doc._id));
    try {
      await driverCollection(this.model).insertMany(docs, { ordered: false });
    } catch (error) {
      if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
      for (const writeError of writeErrorsOf(error)) {
        // Anything but "already claimed" is the store failing: the caller retries the whole call.
        if (writeError.code !== DUPLICATE_KEY) throw error;
        const doc = docs[writeError.index];
        if (doc !== undefined) created.delete(doc._id);
      }
    }
    return created;
  }

  async record(outcomes: readonly DeliveryOutcome[], now: Date): Promise<void> {
    if (outcomes.length === 0) return;
    const operations = outcomes.map((outcome): mongo.AnyBulkWriteOperation<DeliveryDocument> => {
      const filter = { _id: outcome.id, status: 'pending' as const };
      if (outcome.status === 'delivered')
        return {
          updateOne: {
            filter,
            update: {
              $set: {
                status: 'delivered',
                reason: null,
                providerId: outcome.providerId,
                deliveredAt: now,
                updatedAt: now,
              },
              $unset: { sealedAddress: '', dueAt: '', claim: '' },
              $inc: { attempts: 1 },
            },
          },
        };
      if (outcome.retryAt !== undefined)
        return {
          updateOne: {
            filter,
            update: {
              $set: { reason: outcome.code, dueAt: outcome.retryAt, updatedAt: now },
              $unset: { claim: '' },
              $inc: { attempts: 1 },
            },
          },
        };
      return {
        updateOne: {
          filter,
          update: {
            $set: { status: 'failed', reason: outcome.code, updatedAt: now },
            $unset: { sealedAddress: '', dueAt: '', claim: '' },
            $inc: { attempts: 1 },
          },
        },
      };
    });
    await driverCollection(this.model).bulkWrite(operations, { ordered: false });
  }

  claimDueHeld(now: Date, leaseUntil: Date, limit: number): Promise<SendingDelivery[]> {
    return this.claimDue(
      { status: 'held', digestId: null, dueAt: { $lte: now } },
      leaseUntil,
      limit,
      now,
    );
  }

  claimDuePending(now: Date, leaseUntil: Date, limit: number): Promise<SendingDelivery[]> {
    return this.claimDue({ status: 'pending', dueAt: { $lte: now } }, leaseUntil, limit, now);
  }

  /**
   * Marks the due documents with a fresh token in one update whose filter
   * repeats the due condition, so of two schedulers each document goes to
   * the one whose update reached it first; then reads what the token got.
   */
  private async claimDue(
    due: mongo.Filter<DeliveryDocument>,
    leaseUntil: Date,
    limit: number,
    now: Date,
  ): Promise<SendingDelivery[]> {
    const collection = driverCollection(this.model);
    const candidates = await collection
      .find(due, { projection: { _id: 1 } })
      .sort({ dueAt: 1 })
      .limit(limit)
      .toArray();
    if (candidates.length === 0) return [];
    const claim = randomUUID();
    await collection.updateMany(
      { $and: [due, { _id: { $in: candidates.map((doc) => doc._id) } }] },
      { $set: { status: 'pending', dueAt: leaseUntil, claim, updatedAt: now } },
    );
    return (await collection.find({ claim }).toArray()).flatMap(sendingOf);
  }

  async dueDigestMembers(now: Date, limit: number): Promise<DigestMember[]> {
    const docs = await driverCollection(this.model)
      .find({ status: 'held', digestId: { $ne: null }, dueAt: { $lte: now } })
      .sort({ dueAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.flatMap((doc) =>
      doc.digestId === null || doc.digestPeriod === null || doc.dueAt === undefined
        ? []
        : [
            {
              id: doc._id,
              recipient: doc.recipient,
              channel: doc.channel,
              digestId: doc.digestId,
              digestPeriod: doc.digestPeriod,
              // An SMS has no title: its text stands for it in the digest's list.
              title: doc.title !== null && doc.title !== '' ? doc.title : (doc.body ?? ''),
              occurredAt: doc.occurredAt,
              sealedAddress: doc.sealedAddress ?? null,
              dueAt: doc.dueAt,
            },
          ],
    );
  }

  async mergedBy(
    digestDeliveryIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly string[]>> {
    if (digestDeliveryIds.length === 0) return new Map();
    const docs = await driverCollection(this.model)
      .find({ _id: { $in: [...digestDeliveryIds] } }, { projection: { merged: 1 } })
      .toArray();
    return new Map(docs.map((doc) => [doc._id, doc.merged]));
  }

  async markDigested(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await driverCollection(this.model).updateMany(
      { _id: { $in: [...ids] }, status: 'held' },
      { $set: { status: 'digested', updatedAt: now }, $unset: { sealedAddress: '', dueAt: '' } },
    );
  }

  async releaseFromDigest(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await driverCollection(this.model).updateMany(
      { _id: { $in: [...ids] }, status: 'held' },
      { $set: { digestId: null, dueAt: now, updatedAt: now } },
    );
  }
}

/** The delivery log, keyset-paged newest first on the creation time. */
export class MongoDeliveryLog implements DeliveryLog {
  constructor(private readonly model: Model<DeliveryDocument>) {}

  async page(
    filter: DeliveryFilter,
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Page<DeliveryRecord>> {
    const found = await keysetPage(this.model, {
      filter: {
        ...(filter.recipient === undefined ? {} : { recipient: filter.recipient }),
        ...(filter.noticeId === undefined ? {} : { noticeId: filter.noticeId }),
        ...(filter.sender === undefined ? {} : { sender: filter.sender }),
        ...(filter.status === undefined ? {} : { status: filter.status }),
      },
      sort: { field: 'createdAt', direction: 'desc' },
      after: page.pageToken ?? null,
      limit: page.pageSize,
    });
    return {
      items: found.items.map((doc) => ({
        id: doc._id,
        noticeId: doc.noticeId,
        recipient: doc.recipient,
        channel: doc.channel,
        kind: doc.kind,
        sender: doc.sender,
        status: doc.status,
        reason: doc.reason,
        attempts: doc.attempts,
        createdAt: doc.createdAt,
        deliveredAt: doc.deliveredAt,
      })),
      nextCursor: found.nextCursor,
    };
  }
}

/**
 * Webhook deliveries, one document per (subscription, event id), and their
 * dead letters, each of which publishes WebhookDeliveryFailed through its outbox.
 */
import { notificationEvents } from '@learning/contracts';
import { insertWithEvents, newEvent, outboxPlugin, type WithOutbox } from '@learning/events';
import {
  driverCollection,
  failedOnlyOnDuplicates,
  isDuplicateKey,
  keysetPage,
} from '@learning/mongo';
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import {
  DELIVERY_STATUSES,
  type AttemptRecord,
  type DeliveryPage,
  type DeliveryStore,
  type StoredDelivery,
  type WebhookDeliveryStatus,
} from '../../application/webhooks/ports.js';
import { mustWait } from '../../domain/webhooks.js';

type DeliveryDocument = Omit<StoredDelivery, 'id'> & {
  _id: string;
  leaseUntil: Date;
  /** The claim that holds the lease: a random token per claiming call. */
  claim?: string;
};

interface DeadLetterDocument extends WithOutbox {
  _id: string;
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string;
  firstAttemptAt: Date;
  failedAt: Date;
}

/** A lease that has always expired: the field is always present, so one index serves the claim. */
const NO_LEASE = new Date(0);

const deliverySchema = new Schema<DeliveryDocument>(
  {
    _id: { type: String, required: true },
    subscriptionId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    eventKey: { type: String, required: true },
    body: { type: String, default: '' },
    status: { type: String, required: true, enum: DELIVERY_STATUSES },
    attempts: { type: Number, required: true },
    queuedAt: { type: Date, required: true },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, required: true },
    claim: { type: String },
    firstAttemptAt: { type: Date, default: null },
    lastAttemptAt: { type: Date, default: null },
    lastStatus: { type: Number, default: null },
    lastError: { type: String, default: null },
    latencyMs: { type: Number, default: null },
  },
  { collection: 'webhook_deliveries', versionKey: false, strict: 'throw' },
);
// The worker's claim: due pending deliveries.
deliverySchema.index({ status: 1, nextAttemptAt: 1 });
// The ordering rule: unfinished deliveries of a subscription and key.
deliverySchema.index({ subscriptionId: 1, eventKey: 1, status: 1 });
// The claim's read of what it won.
deliverySchema.index({ claim: 1 }, { sparse: true });
// The delivery log, newest first, by status.
deliverySchema.index({ subscriptionId: 1, queuedAt: -1, _id: -1 });
deliverySchema.index({ subscriptionId: 1, status: 1, queuedAt: -1, _id: -1 });

const deadLetterSchema = new Schema<DeadLetterDocument>(
  {
    _id: { type: String, required: true },
    deliveryId: { type: String, required: true },
    subscriptionId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    attempts: { type: Number, required: true },
    lastStatus: { type: Number, default: null },
    lastError: { type: String, required: true },
    firstAttemptAt: { type: Date, required: true },
    failedAt: { type: Date, required: true },
  },
  { collection: 'webhook_dead_letters', versionKey: false, strict: 'throw' },
);
deadLetterSchema.plugin(outboxPlugin);
deadLetterSchema.path('outbox').select(false);
deadLetterSchema.index({ subscriptionId: 1, failedAt: -1 });

export const webhookDeliveryModel = (connection: Connection): Model<DeliveryDocument> =>
  connection.model<DeliveryDocument>('WebhookDelivery', deliverySchema);

export const webhookDeadLetterModel = (connection: Connection): Model<DeadLetterDocument> =>
  connection.model<DeadLetterDocument>('WebhookDeadLetter', deadLetterSchema);

const storedOf = (document: DeliveryDocument): StoredDelivery => ({
  id: document._id,
  subscriptionId: document.subscriptionId,
  eventId: document.eventId,
  eventType: document.eventType,
  eventKey: document.eventKey,
  body: document.body,
  status: document.status,
  attempts: document.attempts,
  queuedAt: document.queuedAt,
  nextAttemptAt: document.nextAttemptAt,
  firstAttemptAt: document.firstAttemptAt ?? null,
  lastAttemptAt: document.lastAttemptAt ?? null,
  lastStatus: document.lastStatus ?? null,
  lastError: document.lastError ?? null,
  latencyMs: document.latencyMs ?? null,
});

const UNFINISHED: WebhookDeliveryStatus[] = ['pending', 'held'];

export class MongoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly model: Model<DeliveryDocument>,
    private readonly deadLetters: Model<DeadLetterDocument>,
  ) {}

  async queue(deliveries: readonly StoredDelivery[]): Promise<void> {
    const documents = deliveries.map(({ id, ...fields }) => ({
      _id: id,
      ...fields,
      leaseUntil: NO_LEASE,
    }));
    try {
      await driverCollection(this.model).insertMany(documents, { ordered: false });
    } catch (error) {
      // A redelivered event: its deliveries exist, the others were inserted.
      if (!isDuplicateKey(error) && !failedOnlyOnDuplicates(error)) throw error;
    }
  }

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<StoredDelivery[]> {
    const due = await this.model
      .find({ status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } })
      .sort({ nextAttemptAt: 1, _id: 1 })
      .limit(limit * 4)
      .lean<DeliveryDocument[]>();
    if (due.length === 0) return [];
    const latest = Math.max(...due.map((item) => item.queuedAt.getTime()));
    const earlier = await this.model
      .find(
        {
          subscriptionId: { $in: [...new Set(due.map((item) => item.subscriptionId))] },
          eventKey: { $in: [...new Set(due.map((item) => item.eventKey))] },
          status: { $in: UNFINISHED },
          queuedAt: { $lte: new Date(latest) },
        },
        { subscriptionId: 1, eventKey: 1, queuedAt: 1 },
      )
      .lean<Pick<DeliveryDocument, '_id' | 'subscriptionId' | 'eventKey' | 'queuedAt'>[]>();
    const unfinished = earlier.map((item) => ({
      id: item._id,
      subscriptionId: item.subscriptionId,
      eventKey: item.eventKey,
      queuedAt: item.queuedAt,
      finished: false,
    }));
    const ready = due.filter(
      (item) =>
        !mustWait(
          {
            id: item._id,
            subscriptionId: item.subscriptionId,
            eventKey: item.eventKey,
            queuedAt: item.queuedAt,
            finished: false,
          },
          unfinished,
        ),
    );
    // One write claims the batch; the token says which of them this call won.
    const claim = randomUUID();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    await this.model.updateMany(
      {
        _id: { $in: ready.slice(0, limit).map((item) => item._id) },
        status: 'pending',
        leaseUntil: { $lte: now },
      },
      { $set: { leaseUntil, claim } },
    );
    const claimed = await this.model
      .find({ claim, leaseUntil })
      .sort({ nextAttemptAt: 1, _id: 1 })
      .lean<DeliveryDocument[]>();
    return claimed.map(storedOf);
  }

  async record(delivery: StoredDelivery, attempt: AttemptRecord, at: Date): Promise<void> {
    const firstAttemptAt = delivery.firstAttemptAt ?? at;
    const common = {
      attempts: delivery.attempts + 1,
      firstAttemptAt,
      lastAttemptAt: at,
      lastStatus: attempt.status,
      latencyMs: attempt.latencyMs,
      leaseUntil: NO_LEASE,
    };
    if (attempt.outcome === 'delivered') {
      await this.model.updateOne(
        { _id: delivery.id },
        { $set: { ...common, status: 'delivered', lastError: null } },
      );
      return;
    }
    if (attempt.outcome === 'retry') {
      await this.model.updateOne(
        { _id: delivery.id },
        {
          $set: {
            ...common,
            status: 'pending',
            lastError: attempt.error,
            nextAttemptAt: attempt.nextAttemptAt,
          },
        },
      );
      return;
    }
    // The dead letter first: a crash before the delivery's update re-sends and fails into the same one.
    const deadLetterId = `${delivery.id}:${firstAttemptAt.getTime()}`;
    const event = newEvent(notificationEvents.WebhookDeliveryFailed, delivery.subscriptionId, {
      subscriptionId: delivery.subscriptionId,
      owner: attempt.owner,
      messageId: delivery.eventId,
      eventType: delivery.eventType,
      attempts: delivery.attempts + 1,
      lastStatus: attempt.status ?? 0,
      lastError: attempt.error,
      firstAttemptAt,
      failedAt: at,
    });
    try {
      await this.deadLetters.create({
        _id: deadLetterId,
        deliveryId: delivery.id,
        subscriptionId: delivery.subscriptionId,
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        attempts: delivery.attempts + 1,
        lastStatus: attempt.status,
        lastError: attempt.error,
        firstAttemptAt,
        failedAt: at,
        ...insertWithEvents([event]),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await this.model.updateOne(
      { _id: delivery.id },
      { $set: { ...common, status: 'failed', lastError: attempt.error } },
    );
  }

  async get(subscriptionId: string, deliveryId: string): Promise<StoredDelivery | undefined> {
    const document = await this.model
      .findOne({ _id: deliveryId, subscriptionId })
      .lean<DeliveryDocument>();
    return document === null ? undefined : storedOf(document);
  }

  async list(query: {
    subscriptionId: string;
    status?: WebhookDeliveryStatus;
    pageSize: number;
    pageToken?: string;
  }): Promise<DeliveryPage> {
    const filter: RootFilterQuery<DeliveryDocument> =
      query.status === undefined
        ? { subscriptionId: query.subscriptionId }
        : { subscriptionId: query.subscriptionId, status: query.status };
    const page = await keysetPage(this.model, {
      filter,
      sort: { field: 'queuedAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return {
      items: page.items.map((item) => storedOf(item)),
      nextPageToken: page.nextCursor,
    };
  }

  async requeue(deliveryId: string, at: Date): Promise<boolean> {
    const requeued = await this.model.updateOne(
      // An oversize event was never stored: there is nothing to send again.
      { _id: deliveryId, status: { $in: ['delivered', 'failed'] }, body: { $ne: '' } },
      {
        $set: {
          status: 'pending',
          nextAttemptAt: at,
          firstAttemptAt: null,
          leaseUntil: NO_LEASE,
        },
      },
    );
    return requeued.modifiedCount === 1;
  }

  async hold(subscriptionId: string, held: boolean, at: Date): Promise<void> {
    await this.model.updateMany(
      { subscriptionId, status: held ? 'pending' : 'held' },
      held ? { $set: { status: 'held' } } : { $set: { status: 'pending', nextAttemptAt: at } },
    );
  }
}

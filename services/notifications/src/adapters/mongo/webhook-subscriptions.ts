/**
 * Webhook subscriptions, one document each; the outbox carries
 * SubscriptionPaused, written with the pause itself.
 */
import { notificationEvents } from '@learning/contracts';
import { AppError } from '@learning/errors';
import { newEvent, outboxPlugin, updateWithEvents, type WithOutbox } from '@learning/events';
import { keysetPage } from '@learning/mongo';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import type {
  PauseRecord,
  StoredSubscription,
  SubscriptionPage,
  SubscriptionStore,
} from '../../application/webhooks/ports.js';
import { SUBSCRIPTION_STATUSES } from '../../domain/webhooks.js';
import { subscriptionNotFound } from '../../application/webhooks/errors.js';

type SubscriptionDocument = Omit<StoredSubscription, 'id'> & { _id: string } & WithOutbox;

const secretSchema = new Schema(
  {
    sealed: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
  },
  { _id: false, strict: 'throw' },
);

const schema = new Schema<SubscriptionDocument>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    createdBy: { type: String, required: true },
    url: { type: String, required: true },
    eventTypes: { type: [String], required: true },
    filters: {
      organizationKinds: { type: [String], default: [] },
      leadDepartments: { type: [String], default: [] },
      jurisdictionCodes: { type: [String], default: [] },
    },
    status: { type: String, required: true, enum: SUBSCRIPTION_STATUSES },
    secrets: { type: [secretSchema], required: true },
    consecutiveFailures: { type: Number, required: true },
    revision: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'webhook_subscriptions', versionKey: false, strict: 'throw' },
);
schema.plugin(outboxPlugin);
schema.path('outbox').select(false);
// Who receives an event type: the consumer's one read per batch and type.
schema.index({ eventTypes: 1, status: 1 });
// An owner's list, oldest first.
schema.index({ owner: 1, createdAt: 1, _id: 1 });
schema.index({ createdAt: 1, _id: 1 });

export const webhookSubscriptionModel = (connection: Connection): Model<SubscriptionDocument> =>
  connection.model<SubscriptionDocument>('WebhookSubscription', schema);

const storedOf = (document: SubscriptionDocument): StoredSubscription => ({
  id: document._id,
  owner: document.owner,
  createdBy: document.createdBy,
  url: document.url,
  eventTypes: [...document.eventTypes],
  filters: {
    organizationKinds: [...document.filters.organizationKinds],
    leadDepartments: [...document.filters.leadDepartments],
    jurisdictionCodes: [...document.filters.jurisdictionCodes],
  },
  status: document.status,
  secrets: document.secrets.map((secret) => ({
    sealed: secret.sealed,
    createdAt: secret.createdAt,
    expiresAt: secret.expiresAt ?? null,
  })),
  consecutiveFailures: document.consecutiveFailures,
  revision: document.revision,
  createdAt: document.createdAt,
  updatedAt: document.updatedAt,
});

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The subscription was changed by someone else; reload it and try again.',
  );

/** The host only: the full URL may carry a token of the receiver's in its path or query. */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
};

export class MongoSubscriptionStore implements SubscriptionStore {
  constructor(private readonly model: Model<SubscriptionDocument>) {}

  async insert(subscription: StoredSubscription): Promise<void> {
    const { id, ...fields } = subscription;
    await this.model.create({ _id: id, ...fields, outbox: [] });
  }

  async get(id: string): Promise<StoredSubscription | undefined> {
    const document = await this.model.findById(id).lean<SubscriptionDocument>();
    return document === null ? undefined : storedOf(document);
  }

  async list(query: {
    owner?: string;
    pageSize: number;
    pageToken?: string;
  }): Promise<SubscriptionPage> {
    const filter: RootFilterQuery<SubscriptionDocument> =
      query.owner === undefined ? {} : { owner: query.owner };
    const page = await keysetPage(this.model, {
      filter,
      sort: { field: 'createdAt', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return {
      items: page.items.map((item) => storedOf(item)),
      nextPageToken: page.nextCursor,
    };
  }

  async receiving(eventType: string): Promise<StoredSubscription[]> {
    const documents = await this.model
      .find({ eventTypes: eventType, status: { $in: ['active', 'paused'] } })
      .lean<SubscriptionDocument[]>();
    return documents.map(storedOf);
  }

  async update(
    id: string,
    revision: number,
    change: Parameters<SubscriptionStore['update']>[2],
    at: Date,
  ): Promise<StoredSubscription> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: id, revision },
        { $set: { ...change, updatedAt: at }, $inc: { revision: 1 } },
        { new: true },
      )
      .lean<SubscriptionDocument>();
    if (updated !== null) return storedOf(updated);
    if ((await this.model.exists({ _id: id })) === null) throw subscriptionNotFound();
    throw versionConflict();
  }

  async countFinalFailure(pause: PauseRecord, pauseAfter: number): Promise<boolean> {
    const counted = await this.model
      .findOneAndUpdate(
        { _id: pause.subscriptionId },
        { $inc: { consecutiveFailures: 1 } },
        { new: true },
      )
      .lean<SubscriptionDocument>();
    if (counted === null || counted.consecutiveFailures < pauseAfter) return false;
    const event = newEvent(notificationEvents.SubscriptionPaused, pause.subscriptionId, {
      subscriptionId: pause.subscriptionId,
      owner: counted.owner,
      urlHost: hostOf(counted.url),
      consecutiveFailures: counted.consecutiveFailures,
      lastError: pause.lastError,
      pausedAt: pause.at,
    });
    // Only the write that moves it from active pauses it: one event, one alert.
    const paused = await this.model.updateOne(
      { _id: pause.subscriptionId, status: 'active' },
      updateWithEvents<SubscriptionDocument>(
        { $set: { status: 'paused', updatedAt: pause.at }, $inc: { revision: 1 } },
        [event],
      ),
    );
    return paused.modifiedCount === 1;
  }

  async clearFailures(id: string): Promise<void> {
    await this.model.updateOne(
      { _id: id, consecutiveFailures: { $gt: 0 } },
      { $set: { consecutiveFailures: 0 } },
    );
  }
}

/**
 * Broadcasts in MongoDB: every change one single-document write, the lease
 * and cursor moved only by a conditional update, so two workers never both
 * advance a broadcast (the MongoDB stand-in has no transactions).
 */
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import { isDuplicateKey, keysetPage } from '@learning/mongo';
import type { AudienceCriteria } from '@learning/registration-client';
import type { Model, RootFilterQuery, UpdateQuery } from 'mongoose';
import type {
  Advance,
  Broadcast,
  BroadcastPage,
  BroadcastStore,
  NewBroadcast,
  RenderedTexts,
} from '../../application/broadcasts/ports.js';
import { CHANNELS, type Channel, type NoticeKind } from '../../domain/notices.js';
import type { FanOutProgress } from '../metrics/broadcasts.js';
import type { BroadcastDocument, CountsDocument } from './broadcasts.js';

type Lean = Omit<BroadcastDocument, 'outbox' | 'outboxSince'>;

const UNFINISHED = ['queued', 'running'] as const;
const COUNT_FIELDS = ['delivered', 'failed', 'suppressed', 'held'] as const;

const zeroCounts = (): CountsDocument => ({ delivered: 0, failed: 0, suppressed: 0, held: 0 });

const criteriaOf = (stored: Lean['criteria']): AudienceCriteria => ({
  tiers: stored.tiers as AudienceCriteria['tiers'],
  jurisdictionCodes: stored.jurisdictionCodes,
  organizationKinds: stored.organizationKinds as AudienceCriteria['organizationKinds'],
  ...(stored.eventKey === null ? {} : { eventKey: stored.eventKey }),
});

function broadcastOf(doc: Lean): Broadcast {
  return {
    id: doc._id,
    kind: doc.kind,
    variables: doc.variables,
    rendered: doc.rendered,
    criteria: criteriaOf(doc.criteria),
    channels: doc.channels,
    sender: doc.sender,
    sourceEventId: doc.sourceEventId,
    audienceSize: doc.audienceSize,
    createdAt: doc.createdAt,
    status: doc.status,
    cursor: doc.cursor,
    recipientsDone: doc.recipientsDone,
    counts: doc.counts,
    firstNoticeAt: doc.firstNoticeAt ?? null,
    lastNoticeAt: doc.lastNoticeAt ?? null,
    finishedAt: doc.finishedAt,
  };
}

export class MongoBroadcastStore implements BroadcastStore {
  constructor(private readonly model: Model<BroadcastDocument>) {}

  async create(broadcast: NewBroadcast, events: readonly OutboxEntry[]): Promise<boolean> {
    const doc: Omit<BroadcastDocument, 'outbox' | 'outboxSince'> = {
      _id: broadcast.id,
      kind: broadcast.kind,
      variables: { ...broadcast.variables },
      rendered: { ...broadcast.rendered },
      criteria: {
        tiers: [...broadcast.criteria.tiers],
        jurisdictionCodes: [...broadcast.criteria.jurisdictionCodes],
        organizationKinds: [...broadcast.criteria.organizationKinds],
        eventKey: broadcast.criteria.eventKey ?? null,
      },
      channels: [...broadcast.channels],
      sender: broadcast.sender,
      sourceEventId: broadcast.sourceEventId,
      audienceSize: broadcast.audienceSize,
      status: 'queued',
      cursor: null,
      leaseOwner: null,
      leaseUntil: null,
      recipientsDone: 0,
      counts: Object.fromEntries(CHANNELS.map((channel) => [channel, zeroCounts()])) as Record<
        Channel,
        CountsDocument
      >,
      finishedAt: null,
      createdAt: broadcast.createdAt,
    };
    try {
      await this.model.create({ ...doc, ...insertWithEvents(events) });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<Broadcast | null> {
    const doc = await this.model.findById(id).lean<Lean>();
    return doc === null ? null : broadcastOf(doc);
  }

  async list(query: {
    readonly kind: NoticeKind;
    readonly sender?: string;
    readonly pageSize: number;
    readonly pageToken?: string;
  }): Promise<BroadcastPage> {
    const filter: RootFilterQuery<BroadcastDocument> = { kind: query.kind };
    if (query.sender !== undefined) filter.sender = query.sender;
    const page = await keysetPage(this.model, {
      filter,
      sort: { field: 'createdAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map((doc) => broadcastOf(doc)), nextPageToken: page.nextCursor };
  }

  async cancel(
    id: string,
    at: Date,
    events: (before: Broadcast) => OutboxEntry[],
  ): Promise<Broadcast | null> {
    const current = await this.get(id);
    if (current === null) return null;
    const update: UpdateQuery<BroadcastDocument> = {
      $set: { status: 'cancelled', finishedAt: at, leaseOwner: null, leaseUntil: null },
    };
    const cancelled = await this.model
      .findOneAndUpdate(
        { _id: id, status: { $in: UNFINISHED } },
        updateWithEvents(update, events(current)),
        { new: true },
      )
      .lean<Lean>();
    return cancelled === null ? this.get(id) : broadcastOf(cancelled);
  }

  async claim(owner: string, now: Date, until: Date): Promise<Broadcast | null> {
    const doc = await this.model
      .findOneAndUpdate(
        {
          status: { $in: UNFINISHED },
          // Free, expired, or this worker's own (after a failed turn).
          $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }, { leaseOwner: owner }],
        },
        { $set: { status: 'running', leaseOwner: owner, leaseUntil: until } },
        { new: true, sort: { createdAt: 1, _id: 1 } },
      )
      .lean<Lean>();
    return doc === null ? null : broadcastOf(doc);
  }

  async saveRendered(id: string, owner: string, rendered: RenderedTexts): Promise<void> {
    await this.model.updateOne({ _id: id, leaseOwner: owner }, { $set: { rendered } });
  }

  async advance(id: string, owner: string, advance: Advance): Promise<boolean> {
    const increments: Record<string, number> = { recipientsDone: advance.recipients };
    for (const channel of CHANNELS) {
      const counts = advance.counts[channel];
      if (counts === undefined) continue;
      for (const field of COUNT_FIELDS)
        if (counts[field] !== 0) increments[`counts.${channel}.${field}`] = counts[field];
    }
    // The cursor as this worker last left it: a page is counted once, whoever finishes it.
    const result = await this.model.updateOne(
      { _id: id, status: 'running', leaseOwner: owner, cursor: advance.fromCursor },
      {
        $set: { cursor: advance.toCursor, leaseUntil: advance.leaseUntil },
        $inc: increments,
        $min: { firstNoticeAt: advance.at },
        $max: { lastNoticeAt: advance.at },
      },
    );
    return result.modifiedCount === 1;
  }

  async complete(id: string, owner: string, at: Date): Promise<void> {
    await this.model.updateOne(
      { _id: id, status: 'running', leaseOwner: owner },
      { $set: { status: 'completed', finishedAt: at, leaseOwner: null, leaseUntil: null } },
    );
  }

  async release(id: string, owner: string): Promise<void> {
    await this.model.updateOne(
      { _id: id, leaseOwner: owner },
      { $set: { leaseOwner: null, leaseUntil: null } },
    );
  }

  /**
   * For the fan-out metrics: how many broadcasts are unfinished, and how long the one that moved
   * least recently has gone without a batch (since it was queued, before its first). Unfinished
   * broadcasts are few (one per announcement or published event being worked), and the
   * { status, createdAt } index finds them.
   */
  async progress(now: Date): Promise<FanOutProgress> {
    const unfinished = await this.model
      .find({ status: { $in: UNFINISHED } }, { createdAt: 1, lastNoticeAt: 1 })
      .lean<Pick<Lean, 'createdAt' | 'lastNoticeAt'>[]>();
    const lastMoves = unfinished.map((doc) => (doc.lastNoticeAt ?? doc.createdAt).getTime());
    return {
      unfinished: unfinished.length,
      secondsWithoutProgress:
        lastMoves.length === 0 ? 0 : Math.max(0, (now.getTime() - Math.min(...lastMoves)) / 1000),
    };
  }
}

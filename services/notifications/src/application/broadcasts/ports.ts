/** What the broadcast slice stores: broadcasts with their cursor and lease, and one batch per audience page. */
import type { OutboxEntry } from '@learning/events';
import type { AudienceCriteria } from '@learning/registration-client';
import type {
  BroadcastStatus,
  ChannelCounts,
  HeldRecipient,
  SuppressedRecipient,
} from '../../domain/broadcasts.js';
import type { Channel, NoticeKind, VariableValue } from '../../domain/notices.js';
import type { Language } from '../../domain/preferences.js';

/** A broadcast's title and body in one language, rendered once. */
export interface RenderedText {
  readonly title: string;
  readonly body: string;
}

export type RenderedTexts = Partial<Record<Language, RenderedText>>;

export interface NewBroadcast {
  readonly id: string;
  readonly kind: NoticeKind;
  readonly variables: Readonly<Record<string, VariableValue>>;
  /** Announcements: the office's own subject and body per language; fan-outs: filled in by the worker. */
  readonly rendered: RenderedTexts;
  readonly criteria: AudienceCriteria;
  readonly channels: readonly Channel[];
  /** `service:activities`, or the subject of the officer who announced. */
  readonly sender: string;
  /** The CloudEvents id a fan-out answers; null for announcements. */
  readonly sourceEventId: string | null;
  /** The audience's size when it was asked for (an estimate of the moment). */
  readonly audienceSize: number | null;
  readonly createdAt: Date;
}

export interface Broadcast extends NewBroadcast {
  readonly status: BroadcastStatus;
  /** The last participant id whose batch is done; null before the first. */
  readonly cursor: string | null;
  readonly recipientsDone: number;
  readonly counts: Readonly<Record<Channel, ChannelCounts>>;
  readonly firstNoticeAt: Date | null;
  readonly lastNoticeAt: Date | null;
  readonly finishedAt: Date | null;
}

/** How far one batch took a broadcast: written with the cursor, only by the lease holder, once per page. */
export interface Advance {
  readonly fromCursor: string | null;
  readonly toCursor: string;
  readonly recipients: number;
  readonly counts: Readonly<Partial<Record<Channel, ChannelCounts>>>;
  readonly at: Date;
  readonly leaseUntil: Date;
}

export interface BroadcastPage {
  readonly items: Broadcast[];
  readonly nextPageToken: string | null;
}

export interface BroadcastStore {
  /** False when a broadcast with this id exists already (a redelivered event). */
  create(broadcast: NewBroadcast, events: readonly OutboxEntry[]): Promise<boolean>;
  get(id: string): Promise<Broadcast | null>;
  /** Newest first, of a kind; of one sender when given. */
  list(query: {
    readonly kind: NoticeKind;
    readonly sender?: string;
    readonly pageSize: number;
    readonly pageToken?: string;
  }): Promise<BroadcastPage>;
  /** Cancels a queued or running broadcast; the broadcast as it is now, null when unknown. */
  cancel(
    id: string,
    at: Date,
    events: (before: Broadcast) => OutboxEntry[],
  ): Promise<Broadcast | null>;
  /** The oldest unfinished broadcast whose lease is free or expired, now leased to `owner` until `until`. */
  claim(owner: string, now: Date, until: Date): Promise<Broadcast | null>;
  /** Keeps texts rendered by the lease holder. */
  saveRendered(id: string, owner: string, rendered: RenderedTexts): Promise<void>;
  /** Moves the cursor and renews the lease; false when the lease was lost or the broadcast cancelled. */
  advance(id: string, owner: string, advance: Advance): Promise<boolean>;
  /** Marks it completed (the audience is exhausted) and frees the lease. */
  complete(id: string, owner: string, at: Date): Promise<void>;
  /** Frees the lease without finishing (the worker stops); the next worker resumes at the cursor. */
  release(id: string, owner: string): Promise<void>;
}

export interface ChannelFailure {
  readonly id: string;
  readonly code: string;
}

/** One channel of a batch: the plan, and once done, what came of it. */
export interface BatchChannel {
  readonly channel: Channel;
  readonly done: boolean;
  readonly send: readonly string[];
  readonly held: readonly HeldRecipient[];
  readonly suppressed: readonly SuppressedRecipient[];
  readonly delivered: number;
  readonly failed: readonly ChannelFailure[];
}

export interface Batch {
  readonly id: string;
  readonly broadcastId: string;
  readonly kind: NoticeKind;
  readonly recipients: readonly string[];
  readonly channels: readonly BatchChannel[];
  readonly createdAt: Date;
}

export interface ChannelOutcome {
  readonly delivered: readonly string[];
  readonly failed: readonly ChannelFailure[];
  /** Found, when sending, to have no address for the channel, or the channel to have no gateway. */
  readonly suppressed: readonly SuppressedRecipient[];
}

export interface BatchStore {
  /** Writes the batch (with its events) unless written before; the batch as stored. */
  writeOnce(batch: Batch, events: readonly OutboxEntry[]): Promise<Batch>;
  /** Records a channel's outcome with its reports, once: a second call for a done channel changes nothing. */
  finishChannel(
    batchId: string,
    channel: Channel,
    outcome: ChannelOutcome,
    events: readonly OutboxEntry[],
  ): Promise<void>;
}

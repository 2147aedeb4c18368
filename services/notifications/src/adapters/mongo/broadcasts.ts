/**
 * `broadcasts` (one per announcement or fan-out, with its cursor, lease and
 * counters) and `broadcast_batches` (one per audience page: its recipients
 * and each channel's plan and outcome), decision 0017 points 4 to 6.
 */
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { Schema, type Connection, type Model } from 'mongoose';
import { BROADCAST_STATUSES, type BroadcastStatus } from '../../domain/broadcasts.js';
import {
  CHANNELS,
  type Channel,
  type NoticeKind,
  type VariableValue,
} from '../../domain/notices.js';

export interface CountsDocument {
  delivered: number;
  failed: number;
  suppressed: number;
  held: number;
}

export interface BroadcastDocument extends WithOutbox {
  _id: string;
  kind: NoticeKind;
  variables: Record<string, VariableValue>;
  rendered: Record<string, { title: string; body: string }>;
  criteria: {
    tiers: string[];
    jurisdictionCodes: string[];
    organizationKinds: string[];
    eventKey: string | null;
  };
  channels: Channel[];
  sender: string;
  sourceEventId: string | null;
  audienceSize: number | null;
  status: BroadcastStatus;
  cursor: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  recipientsDone: number;
  counts: Record<Channel, CountsDocument>;
  /** Absent, not null, until the first batch: `$min` keeps a null (null sorts before every date). */
  firstNoticeAt?: Date;
  lastNoticeAt?: Date;
  finishedAt: Date | null;
  createdAt: Date;
}

const countsSchema = new Schema<CountsDocument>(
  {
    delivered: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    suppressed: { type: Number, default: 0 },
    held: { type: Number, default: 0 },
  },
  { _id: false },
);

const broadcastSchema = new Schema<BroadcastDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    variables: { type: Schema.Types.Mixed, required: true },
    rendered: { type: Schema.Types.Mixed, default: {} },
    criteria: {
      tiers: { type: [String], default: [] },
      jurisdictionCodes: { type: [String], default: [] },
      organizationKinds: { type: [String], default: [] },
      eventKey: { type: String, default: null },
    },
    channels: { type: [String], enum: CHANNELS, required: true },
    sender: { type: String, required: true },
    sourceEventId: { type: String, default: null },
    audienceSize: { type: Number, default: null },
    status: { type: String, enum: BROADCAST_STATUSES, required: true },
    cursor: { type: String, default: null },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    recipientsDone: { type: Number, default: 0 },
    counts: Object.fromEntries(
      CHANNELS.map((channel) => [channel, { type: countsSchema, default: () => ({}) }]),
    ),
    firstNoticeAt: { type: Date },
    lastNoticeAt: { type: Date },
    finishedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'broadcasts', versionKey: false, minimize: false },
);
// The announcement's audit records.
broadcastSchema.plugin(outboxPlugin);
broadcastSchema.path('outbox').select(false);
// The workers' claim: unfinished broadcasts, oldest first.
broadcastSchema.index({ status: 1, createdAt: 1 });
// The office's list, newest first, of a kind (and sender).
broadcastSchema.index({ kind: 1, createdAt: -1, _id: -1 });
broadcastSchema.index({ kind: 1, sender: 1, createdAt: -1, _id: -1 });

export const broadcastModel = (connection: Connection): Model<BroadcastDocument> =>
  connection.model<BroadcastDocument>('Broadcast', broadcastSchema);

export interface BatchChannelDocument {
  channel: Channel;
  done: boolean;
  send: string[];
  held: { id: string; until: Date }[];
  suppressed: { id: string; reason: string }[];
  delivered: number;
  failed: { id: string; code: string }[];
}

export interface BatchDocument extends WithOutbox {
  /** `<broadcast>:<first recipient id>`. */
  _id: string;
  broadcastId: string;
  kind: NoticeKind;
  recipients: string[];
  /** Recipients who opted out of the inbox for this kind's category: listed, but not shown. */
  inboxHidden: string[];
  channels: BatchChannelDocument[];
  createdAt: Date;
}

const batchChannelSchema = new Schema<BatchChannelDocument>(
  {
    channel: { type: String, enum: CHANNELS, required: true },
    done: { type: Boolean, required: true },
    send: { type: [String], default: [] },
    held: { type: [{ _id: false, id: String, until: Date }], default: [] },
    suppressed: { type: [{ _id: false, id: String, reason: String }], default: [] },
    delivered: { type: Number, default: 0 },
    failed: { type: [{ _id: false, id: String, code: String }], default: [] },
  },
  { _id: false },
);

const batchSchema = new Schema<BatchDocument>(
  {
    _id: { type: String, required: true },
    broadcastId: { type: String, required: true },
    kind: { type: String, required: true },
    recipients: { type: [String], required: true },
    inboxHidden: { type: [String], default: [] },
    channels: { type: [batchChannelSchema], required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'broadcast_batches', versionKey: false },
);
// Reports per batch and channel (NoticesDelivered, NoticesFailed).
batchSchema.plugin(outboxPlugin);
batchSchema.path('outbox').select(false);
// A person's broadcast inbox: the batches listing them, newest first (multikey).
batchSchema.index({ recipients: 1, createdAt: -1, broadcastId: -1 });
batchSchema.index({ broadcastId: 1 });

export const batchModel = (connection: Connection): Model<BatchDocument> =>
  connection.model<BatchDocument>('BroadcastBatch', batchSchema);

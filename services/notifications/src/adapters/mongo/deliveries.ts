/**
 * Deliveries: one document per (notice, recipient, channel), `_id`
 * `<noticeId>:<recipient>:<channel>`, whose insert is the claim (decision
 * 0017). It is the inbox entry of a personal notice (channel `inbox`), the
 * queue of held, digested and retried notices, and the delivery log.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import {
  CHANNELS,
  DELIVERY_STATUSES,
  NOTICE_KIND_NAMES,
  type Channel,
  type DeliveryStatus,
  type NoticeKind,
} from '../../domain/notices.js';
import { LANGUAGES, type Language } from '../../domain/preferences.js';

export interface DeliveryDocument {
  _id: string;
  noticeId: string;
  recipient: string;
  channel: Channel;
  kind: NoticeKind;
  urgent: boolean;
  sender: string;
  occurredAt: Date;
  status: DeliveryStatus;
  /** Suppressed: the suppression reason; failed (or retrying): the gateway's code. */
  reason: string | null;
  language: Language;
  /** Rendered in the person's language when dispatched; null when suppressed. */
  title: string | null;
  body: string | null;
  templateVersion: number | null;
  /** The address, sealed, while it may still be sent; removed once final. Personal data. */
  sealedAddress?: string;
  /** Held: when it is released or its digest falls due. Pending: when its claim lapses or it is retried. */
  dueAt?: Date;
  /** Held for a digest, or digested: the digest's id. */
  digestId: string | null;
  /** Held for a digest: the period as shown to the person. */
  digestPeriod: string | null;
  /** A digest's delivery: the held deliveries it merges. */
  merged: string[];
  /** Sends so far. */
  attempts: number;
  providerId: string | null;
  /** The scheduler's claim on a release or retry. */
  claim?: string;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

const deliverySchema = new Schema<DeliveryDocument>(
  {
    _id: { type: String, required: true },
    noticeId: { type: String, required: true },
    recipient: { type: String, required: true },
    channel: { type: String, required: true, enum: CHANNELS },
    kind: { type: String, required: true, enum: NOTICE_KIND_NAMES },
    urgent: { type: Boolean, required: true },
    sender: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    status: { type: String, required: true, enum: DELIVERY_STATUSES },
    reason: { type: String, default: null },
    language: { type: String, required: true, enum: LANGUAGES },
    title: { type: String, default: null },
    body: { type: String, default: null },
    templateVersion: { type: Number, default: null },
    sealedAddress: { type: String },
    dueAt: { type: Date },
    digestId: { type: String, default: null },
    digestPeriod: { type: String, default: null },
    merged: { type: [String], default: [] },
    attempts: { type: Number, required: true },
    providerId: { type: String, default: null },
    claim: { type: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { collection: 'deliveries', versionKey: false, strict: 'throw' },
);
// The inbox and a person's delivery log: newest first.
deliverySchema.index({ recipient: 1, channel: 1, createdAt: -1, _id: -1 });
deliverySchema.index({ recipient: 1, createdAt: -1, _id: -1 });
// The scheduler: what is due, by status.
deliverySchema.index({ status: 1, dueAt: 1 });
deliverySchema.index({ claim: 1 }, { sparse: true });
// The senders' and the office's delivery log.
deliverySchema.index({ sender: 1, createdAt: -1, _id: -1 });
deliverySchema.index({ noticeId: 1 });

export const deliveryModel = (connection: Connection): Model<DeliveryDocument> =>
  connection.model<DeliveryDocument>('Delivery', deliverySchema);

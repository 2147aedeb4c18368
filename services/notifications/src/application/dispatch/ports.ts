/** What the dispatcher and its scheduler store and ask, in their own terms; adapters implement these. */
import type { Contacts } from '@learning/registration-client';
import type {
  Channel,
  DeliveryStatus,
  NoticeKind,
  SuppressionReason,
} from '../../domain/notices.js';
import type { Language } from '../../domain/preferences.js';
import type { Rendered } from '../ports.js';

export type ExternalChannel = Exclude<Channel, 'inbox'>;

/** One delivery as first written: the insert is the claim (decision 0017). */
export interface NewDelivery {
  /** `<noticeId>:<recipient>:<channel>`. */
  readonly id: string;
  readonly noticeId: string;
  readonly recipient: string;
  readonly channel: Channel;
  readonly kind: NoticeKind;
  readonly urgent: boolean;
  readonly sender: string;
  readonly occurredAt: Date;
  readonly status: Extract<DeliveryStatus, 'pending' | 'held' | 'delivered' | 'suppressed'>;
  readonly reason: SuppressionReason | null;
  readonly language: Language;
  /** Null when suppressed: nothing was rendered. */
  readonly rendered: Rendered | null;
  /** The address, sealed, while the delivery may still be sent; personal data. */
  readonly sealedAddress: string | null;
  /** Held: when quiet hours end or the digest falls due. Pending: when its claim lapses. */
  readonly dueAt: Date | null;
  /** Held for a digest: the digest it goes into. */
  readonly digestId: string | null;
  /** Held for a digest: its period as shown, `2026-12-07` or `2026-12-07/2026-12-13`. */
  readonly digestPeriod: string | null;
  /** A digest: the held deliveries it merges. */
  readonly merged: readonly string[];
  readonly createdAt: Date;
}

/** A delivery claimed for sending (new, released from hold, or retried). */
export interface SendingDelivery {
  readonly id: string;
  readonly noticeId: string;
  readonly recipient: string;
  readonly channel: ExternalChannel;
  readonly kind: NoticeKind;
  readonly language: Language;
  readonly rendered: Rendered;
  readonly sealedAddress: string | null;
  /** Sends before this one. */
  readonly attempts: number;
}

export type DeliveryOutcome =
  | { readonly id: string; readonly status: 'delivered'; readonly providerId: string }
  | {
      readonly id: string;
      readonly status: 'failed';
      readonly code: string;
      /** Set: sent again then; absent: final. */
      readonly retryAt?: Date;
    };

/** A held delivery due to go into its digest. */
export interface DigestMember {
  readonly id: string;
  readonly recipient: string;
  readonly channel: Channel;
  readonly digestId: string;
  readonly digestPeriod: string;
  readonly title: string;
  readonly occurredAt: Date;
  readonly sealedAddress: string | null;
  readonly dueAt: Date;
}

/** One aggregated report of a batch: what it delivered, or finally failed, of a kind on a channel. */
export interface BatchReport {
  readonly kind: NoticeKind;
  readonly channel: Channel;
  readonly sourceEventId: string;
  readonly delivered: readonly string[];
  readonly failed: readonly { readonly recipient: string; readonly code: string }[];
}

export interface DeliveryStore {
  /** Inserts each delivery unless its id exists (one unordered bulk write); the ids it created. */
  claim(deliveries: readonly NewDelivery[]): Promise<ReadonlySet<string>>;
  /** Records each send's outcome, in one bulk write. */
  record(outcomes: readonly DeliveryOutcome[], now: Date): Promise<void>;
  /** Claims up to `limit` held deliveries (not for a digest) due by `now`, for sending until `leaseUntil`. */
  claimDueHeld(now: Date, leaseUntil: Date, limit: number): Promise<SendingDelivery[]>;
  /** Claims up to `limit` pending deliveries whose claim lapsed or whose retry is due. */
  claimDuePending(now: Date, leaseUntil: Date, limit: number): Promise<SendingDelivery[]>;
  /** Up to `limit` held deliveries whose digest is due by `now`. */
  dueDigestMembers(now: Date, limit: number): Promise<DigestMember[]>;
  /** The deliveries each of these digest deliveries merged, by digest delivery id. */
  mergedBy(digestDeliveryIds: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
  /** Marks held deliveries as merged into their digest. */
  markDigested(ids: readonly string[], now: Date): Promise<void>;
  /** Sends held deliveries on their own at once (their digest was made without them). */
  releaseFromDigest(ids: readonly string[], now: Date): Promise<void>;
}

/** Publishes a batch's reports (NoticesDelivered / NoticesFailed) through an outbox. */
export interface DeliveryReports {
  publish(reports: readonly BatchReport[], now: Date): Promise<void>;
}

/** Seals addresses kept while a delivery waits (held, pending) and opens them to send. */
export interface AddressSeal {
  seal(address: string): string;
  open(sealed: string): string;
}

/** Registration's consented contacts of participants. */
export type ContactDirectory = Pick<Contacts, 'byIds'>;

/**
 * Broadcasts: one notice to an audience, fanned out in batches of one
 * audience page each (decision 0017, points 4 to 6). What a batch does with
 * each recipient on each channel is decided here, purely, from the
 * recipients' preferences and consents; the worker only records and sends it.
 */
import type { Channel, NoticeKind, SuppressionReason } from './notices.js';
import type { ChannelDecision, Preferences } from './preferences.js';

export const BROADCAST_STATUSES = ['queued', 'running', 'completed', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

export const EXTERNAL_CHANNELS = ['sms', 'email', 'wechat'] as const;
export type ExternalChannel = (typeof EXTERNAL_CHANNELS)[number];

export const isExternalChannel = (channel: Channel): channel is ExternalChannel =>
  channel !== 'inbox';

/**
 * Why a broadcast's recipient gets no copy on a channel: the person's
 * suppression reasons, and `digest` for people who asked for a digest (the
 * broadcast is already in their inbox, and a digest is for personal notices).
 */
export type BroadcastSuppression = SuppressionReason | 'digest';

/** What the batch knows of a recipient without personal data. */
export interface BatchRecipient {
  readonly id: string;
  readonly notificationsConsent: boolean;
}

/** A recipient's external copy waiting for the end of their quiet hours. */
export interface HeldRecipient {
  readonly id: string;
  readonly until: Date;
}

export interface SuppressedRecipient {
  readonly id: string;
  readonly reason: BroadcastSuppression;
}

/** One channel's share of a batch before anything is sent. */
export interface ChannelPlan {
  readonly channel: Channel;
  /** To send now (the inbox: listed now). */
  readonly send: readonly string[];
  readonly held: readonly HeldRecipient[];
  readonly suppressed: readonly SuppressedRecipient[];
}

/** The preference rule (dispatch slice's `decideChannel`), passed in so the plan stays one pure function. */
export type DecideChannel = (
  preferences: Preferences,
  notice: { readonly kind: NoticeKind; readonly urgent: boolean },
  channel: Channel,
  now: Date,
) => ChannelDecision;

/**
 * Each requested channel's plan for one page of recipients. The inbox is
 * immediate (quiet hours are about being disturbed, and an inbox entry does
 * not disturb); only an opt-out takes a person out of it. External channels
 * need the person's consent to notifications, then follow the preference
 * rule: held in quiet hours, left out for digest readers, suppressed with the
 * rule's reason.
 */
export function planBatch(input: {
  readonly recipients: readonly BatchRecipient[];
  readonly preferences: ReadonlyMap<string, Preferences>;
  readonly defaults: Preferences;
  readonly kind: NoticeKind;
  readonly channels: readonly Channel[];
  readonly decide: DecideChannel;
  readonly now: Date;
}): ChannelPlan[] {
  const notice = { kind: input.kind, urgent: false };
  return input.channels.map((channel) => {
    const send: string[] = [];
    const held: HeldRecipient[] = [];
    const suppressed: SuppressedRecipient[] = [];
    for (const recipient of input.recipients) {
      const preferences = input.preferences.get(recipient.id) ?? input.defaults;
      if (isExternalChannel(channel) && !recipient.notificationsConsent) {
        suppressed.push({ id: recipient.id, reason: 'no_consent' });
        continue;
      }
      const decision = input.decide(preferences, notice, channel, input.now);
      if (decision.action === 'suppress') {
        suppressed.push({ id: recipient.id, reason: decision.reason });
      } else if (channel === 'inbox' || decision.action === 'send') {
        send.push(recipient.id);
      } else if (decision.action === 'hold') {
        held.push({ id: recipient.id, until: decision.until });
      } else {
        suppressed.push({ id: recipient.id, reason: 'digest' });
      }
    }
    return { channel, send, held, suppressed };
  });
}

/** A batch is named by its broadcast and first recipient: a resumed page finds the batch it wrote before. */
export const batchIdOf = (broadcastId: string, firstRecipientId: string): string =>
  `${broadcastId}:${firstRecipientId}`;

/** The provider's idempotency key of one external copy, as for personal deliveries. */
export const broadcastDeliveryIdOf = (
  broadcastId: string,
  recipient: string,
  channel: ExternalChannel,
): string => `${broadcastId}:${recipient}:${channel}`;

/** The outcome counts of one channel, as the office sees a broadcast's progress. */
export interface ChannelCounts {
  readonly delivered: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly held: number;
}

export const NO_COUNTS: ChannelCounts = { delivered: 0, failed: 0, suppressed: 0, held: 0 };

/** Where the audience is, as codes from the city down: `path` must pass through one of `roots`. */
export const isInside = (path: readonly string[], roots: readonly string[]): boolean =>
  path.some((code) => roots.includes(code));

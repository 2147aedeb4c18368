/**
 * A person's say over what reaches them and how: opt-outs per category and
 * channel, language, quiet hours in their time zone, and a digest. The
 * decision per notice and channel (send now, hold until morning, merge into
 * the digest, or suppress) is a pure function of these and the notice.
 */
import type { Category, Channel, SuppressionReason } from './notices.js';

export const DIGEST_MODES = ['off', 'daily', 'weekly'] as const;
export type DigestMode = (typeof DIGEST_MODES)[number];

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A local time of day, `HH:mm`, 24-hour. */
export type TimeOfDay = string;

export interface QuietHours {
  /** Notices from this local time on are held… */
  readonly start: TimeOfDay;
  /** …until this local time (the next morning when `end` < `start`). */
  readonly end: TimeOfDay;
}

export interface Preferences {
  readonly language: Language;
  /** An IANA time zone; the city's when the person set none. */
  readonly timeZone: string;
  /** Channels the person turned off for a category; everything else is on. */
  readonly optOuts: readonly { readonly category: Category; readonly channel: Channel }[];
  /** Null: no quiet hours. */
  readonly quietHours: QuietHours | null;
  readonly digest: DigestMode;
}

/** What to do with one notice on one channel now. */
export type ChannelDecision =
  | { readonly action: 'send' }
  | { readonly action: 'hold'; readonly until: Date }
  | { readonly action: 'digest' }
  | { readonly action: 'suppress'; readonly reason: SuppressionReason };

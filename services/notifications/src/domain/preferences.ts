/**
 * A person's say over what reaches them and how: opt-outs per category and
 * channel, language, quiet hours in their time zone, and a digest. The
 * decision per notice and channel (send now, hold until morning, merge into
 * the digest, or suppress) is a pure function of these and the notice.
 */
import { DateTime, IANAZone } from 'luxon';
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

/** What a person who set nothing gets: everything on, no quiet hours, no digest, the city's time zone. */
export const defaultPreferences = (timeZone: string): Preferences => ({
  language: 'zh-CN',
  timeZone,
  optOuts: [],
  quietHours: null,
  digest: 'off',
});

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const isTimeOfDay = (value: string): value is TimeOfDay => TIME_OF_DAY.test(value);

/** Whether `zone` is an IANA time zone name this runtime knows. */
export const isTimeZone = (zone: string): boolean => zone !== '' && IANAZone.isValidZone(zone);

export const isLanguage = (value: string): value is Language =>
  (LANGUAGES as readonly string[]).includes(value);

const minutesOf = (time: TimeOfDay): number => {
  const match = TIME_OF_DAY.exec(time);
  if (match === null) throw new RangeError(`"${time}" is not HH:mm`);
  return Number(match[1]) * 60 + Number(match[2]);
};

/**
 * The end of the quiet hours `now` falls in, or null outside them. Judged on
 * the wall clock of `timeZone`; a window whose start is after its end spans
 * midnight (22:00–07:00), equal ends mean no window. The end is found by
 * calendar arithmetic in the zone, so it stays 07:00 local across a DST change
 * (an end that does not exist that day, in a spring-forward gap, moves later
 * by the gap).
 */
export function quietHoursEnd(quietHours: QuietHours, timeZone: string, now: Date): Date | null {
  const start = minutesOf(quietHours.start);
  const end = minutesOf(quietHours.end);
  if (start === end) return null;
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  const spansMidnight = start > end;
  const inside = spansMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return null;
  const endDay =
    spansMidnight && minute >= start
      ? local.startOf('day').plus({ days: 1 })
      : local.startOf('day');
  return endDay.set({ hour: Math.floor(end / 60), minute: end % 60 }).toJSDate();
}

/** Why an external channel cannot carry a notice to this person, or `reachable`. */
export type Reachability = 'reachable' | Exclude<SuppressionReason, 'opted_out'>;

/** The notice as the decision needs it on one channel. */
export interface ChannelNotice {
  readonly channel: Channel;
  /**
   * The kind's category; null for a digest, whose notices each passed their
   * own category's opt-outs and which is never merged into another digest.
   */
  readonly category: Category | null;
  readonly urgent: boolean;
}

/**
 * One notice on one channel, in this order:
 * 1. the person opted out of the category on the channel → suppressed (`opted_out`), urgent or not;
 * 2. the inbox → sent: it is silent, so quiet hours and digests do not apply, and it always
 *    holds the notice itself;
 * 3. an external channel the person cannot be reached on → suppressed with the reason
 *    (`channel_disabled`: not configured here; `no_consent`; `no_contact`);
 * 4. urgent → sent now, past quiet hours and the digest;
 * 5. a digest is on (daily or weekly) → merged into the digest of the period `now` is in
 *    (sent when the period ends, itself under quiet hours);
 * 6. inside quiet hours → held until they end;
 * 7. otherwise sent.
 */
export function decideChannel(
  preferences: Preferences,
  notice: ChannelNotice,
  reachability: Reachability,
  now: Date,
): ChannelDecision {
  const optedOut = preferences.optOuts.some(
    (optOut) => optOut.category === notice.category && optOut.channel === notice.channel,
  );
  if (optedOut) return { action: 'suppress', reason: 'opted_out' };
  if (notice.channel === 'inbox') return { action: 'send' };
  if (reachability !== 'reachable') return { action: 'suppress', reason: reachability };
  if (notice.urgent) return { action: 'send' };
  if (notice.category !== null && preferences.digest !== 'off') return { action: 'digest' };
  const until =
    preferences.quietHours === null
      ? null
      : quietHoursEnd(preferences.quietHours, preferences.timeZone, now);
  return until === null ? { action: 'send' } : { action: 'hold', until };
}

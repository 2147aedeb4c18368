/**
 * Digests: a person who chose one gets the non-urgent notices of the external
 * channels merged, once per period, instead of one message each (the inbox
 * still gets every notice itself). A period is the person's local calendar
 * day (daily) or ISO week, Monday to Sunday (weekly), in their time zone; its
 * digest is due when it ends. The digest's id names the person and the
 * period's first local day, so every notice of the period, whenever and by
 * whichever replica it was handled, lands in the same digest.
 */
import { DateTime } from 'luxon';
import type { DigestMode } from './preferences.js';

export interface DigestPeriod {
  /** The local day the period starts, `yyyy-MM-dd`. */
  readonly firstDay: string;
  /** As shown to the person: `2026-12-07`, or `2026-12-07/2026-12-13` for a week. */
  readonly label: string;
  readonly start: Date;
  /** When the digest falls due. */
  readonly end: Date;
}

export function digestPeriodOf(
  mode: Exclude<DigestMode, 'off'>,
  timeZone: string,
  at: Date,
): DigestPeriod {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const start = mode === 'daily' ? local.startOf('day') : local.startOf('week');
  const end = mode === 'daily' ? start.plus({ days: 1 }) : start.plus({ weeks: 1 });
  const firstDay = start.toISODate() ?? '';
  const lastDay = end.minus({ days: 1 }).toISODate() ?? '';
  return {
    firstDay,
    label: mode === 'daily' ? firstDay : `${firstDay}/${lastDay}`,
    start: start.toJSDate(),
    end: end.toJSDate(),
  };
}

/** The stable id of a person's digest for a period: the notice id of its deliveries. */
export const digestIdOf = (recipient: string, period: Pick<DigestPeriod, 'firstDay'>): string =>
  `digest:${recipient}:${period.firstDay}`;

/** One notice merged into a digest, as its channel rendered it. */
export interface DigestItem {
  readonly title: string;
  readonly occurredAt: Date;
}

/** Lines listed in one digest; the rest are counted (`+12`), so an SMS stays short. */
export const DIGEST_MAX_LINES = 20;

/** The variables of kind `digest`: how many notices, their titles in the order they happened, the period. */
export function mergeDigest(
  items: readonly DigestItem[],
  periodLabel: string,
): { count: number; items: string; period: string } {
  const ordered = [...items].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.title.localeCompare(b.title),
  );
  const lines = ordered.slice(0, DIGEST_MAX_LINES).map((item) => `- ${item.title}`);
  const more = ordered.length - DIGEST_MAX_LINES;
  if (more > 0) lines.push(`+${more}`);
  return { count: ordered.length, items: lines.join('\n'), period: periodLabel };
}

/**
 * Quotas of a training programme (people to train per township and year) and
 * the pace measured against them. Pure.
 *
 * Pace: by an instant of the year, a township is expected to have trained its
 * quota × the elapsed fraction of the year (the city's calendar year, China
 * time). It is behind when it has trained fewer than BEHIND_THRESHOLD of
 * that. The forecast is linear at the pace so far: trained / elapsed fraction;
 * none before the year begins, what was trained once it is over.
 */
import { CHINA_OFFSET_MS, invalid, precondition } from '@learning/domain';

export const PROGRAMME_QUOTA_INVALID = 'PROGRAMME_QUOTA_INVALID';
export const PROGRAMME_QUOTA_DUPLICATE = 'PROGRAMME_QUOTA_DUPLICATE';
export const PROGRAMME_QUOTA_BELOW_TRAINED = 'PROGRAMME_QUOTA_BELOW_TRAINED';

/** A township falls behind below this share of what its quota needs by now. */
export const BEHIND_THRESHOLD = 0.8;
/** More people than any township holds. */
export const MAX_QUOTA_PEOPLE = 1_000_000;
/** More townships and streets than the city has. */
export const MAX_QUOTA_TOWNSHIPS = 1_000;

export interface QuotaEntry {
  readonly jurisdictionCode: string;
  readonly people: number;
}

/** One year's quotas: whole numbers of people, each township once. */
export function validateYearQuotas(quotas: readonly QuotaEntry[]): void {
  if (quotas.length > MAX_QUOTA_TOWNSHIPS)
    throw invalid(
      PROGRAMME_QUOTA_INVALID,
      `At most ${MAX_QUOTA_TOWNSHIPS} townships have a quota in one year.`,
    );
  const seen = new Set<string>();
  for (const quota of quotas) {
    if (!Number.isInteger(quota.people) || quota.people < 0 || quota.people > MAX_QUOTA_PEOPLE)
      throw invalid(
        PROGRAMME_QUOTA_INVALID,
        `The quota for ${quota.jurisdictionCode} must be a whole number of people from 0 to ${MAX_QUOTA_PEOPLE}.`,
      );
    if (seen.has(quota.jurisdictionCode))
      throw invalid(
        PROGRAMME_QUOTA_DUPLICATE,
        `${quota.jurisdictionCode} has two quotas; give each township one.`,
      );
    seen.add(quota.jurisdictionCode);
  }
}

export interface QuotaShortfall {
  readonly jurisdictionCode: string;
  readonly people: number;
  readonly trained: number;
}

/**
 * Townships whose new quota would be below the people already trained there
 * that year; a township left out of the year's quotas has a quota of 0.
 */
export function quotaShortfalls(
  quotas: readonly QuotaEntry[],
  trained: ReadonlyMap<string, number>,
): QuotaShortfall[] {
  const people = new Map(quotas.map((quota) => [quota.jurisdictionCode, quota.people]));
  return [...trained.entries()]
    .map(([jurisdictionCode, count]) => ({
      jurisdictionCode,
      people: people.get(jurisdictionCode) ?? 0,
      trained: count,
    }))
    .filter((shortfall) => shortfall.people < shortfall.trained)
    .sort((a, b) => a.jurisdictionCode.localeCompare(b.jurisdictionCode));
}

/** Refuses the year's quotas when any township's is below what it has trained already. */
export function assertQuotasCoverTrained(
  year: number,
  quotas: readonly QuotaEntry[],
  trained: ReadonlyMap<string, number>,
): void {
  const shortfalls = quotaShortfalls(quotas, trained);
  if (shortfalls.length === 0) return;
  const named = shortfalls
    .map(
      (shortfall) =>
        `${shortfall.jurisdictionCode}: quota ${shortfall.people}, ${shortfall.trained} already trained`,
    )
    .join('; ');
  throw precondition(
    PROGRAMME_QUOTA_BELOW_TRAINED,
    `A quota may not be below the people already trained in ${year} (${named}).`,
  );
}

const yearStart = (year: number): number => Date.UTC(year, 0, 1) - CHINA_OFFSET_MS;

/** How much of `year` (the city's calendar year) has passed at `now`: 0 before it, 1 after. */
export function elapsedFractionOfYear(year: number, now: Date): number {
  const start = yearStart(year);
  const fraction = (now.getTime() - start) / (yearStart(year + 1) - start);
  return Math.min(1, Math.max(0, fraction));
}

export interface Pace {
  /** quota × elapsed fraction, rounded to whole people. */
  readonly expectedByNow: number;
  readonly behind: boolean;
  /** Trained by the year's end at the pace so far; null before the year begins. */
  readonly forecast: number | null;
}

/** Where `trained` people against `quota` stand when `elapsed` of the year has passed. */
export function paceOf(
  trained: number,
  quota: number,
  elapsed: number,
  threshold: number = BEHIND_THRESHOLD,
): Pace {
  const expected = quota * elapsed;
  return {
    expectedByNow: Math.round(expected),
    behind: quota > 0 && elapsed > 0 && trained < expected * threshold,
    forecast: forecastAtPace(trained, elapsed),
  };
}

/** Linear: trained / elapsed fraction; none before the year begins; trained once it is over. */
export function forecastAtPace(trained: number, elapsed: number): number | null {
  if (elapsed <= 0) return null;
  if (elapsed >= 1) return trained;
  return Math.round(trained / elapsed);
}

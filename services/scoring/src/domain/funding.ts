/**
 * The evaluation's money (policy §6.4): the city's allocation in lines,
 * sponsorships and donations received, enterprises' training spend. Money is
 * integer fen (分) so every sum is exact; people read and type it as a
 * decimal string of yuan ("150000.00"). Pure.
 */
import {
  fenOfYuan,
  formatYuan,
  invalid,
  partsOf,
  type CalendarDate,
  type Fen,
} from '@learning/domain';

export const FUNDING_AMOUNT_INVALID = 'FUNDING_AMOUNT_INVALID';
export const FUNDING_CODE_INVALID = 'FUNDING_CODE_INVALID';

/** An amount people enter: more than 0, at most 10^10 yuan, at most two fraction digits. */
export function parseAmount(text: string): Fen {
  const fen = fenOfYuan(text);
  if (fen === undefined || fen === 0)
    throw invalid(
      FUNDING_AMOUNT_INVALID,
      'An amount is yuan as a plain decimal, more than 0 and at most 10000000000, with at most two fraction digits, such as 150000 or 3800.50.',
    );
  return fen;
}

const CODE = /^[a-z0-9-]{1,40}$/;

/** A line's code is stable within its year and read in URLs and reports: `awards`, `training-rural`. */
export function checkLineCode(code: string): void {
  if (!CODE.test(code))
    throw invalid(
      FUNDING_CODE_INVALID,
      'A line code is 1 to 40 lower-case letters, digits and hyphens, such as "awards".',
    );
}

/** The year a receipt counts in: the city year of the day it was received. */
export const receiptYearOf = (receivedOn: CalendarDate): number => partsOf(receivedOn).year;

/** Where money came from, as the totals name it (§6.4's three sources, plus enterprises' own training spend). */
export const FUNDING_SOURCES = [
  'government_allocation',
  'sponsorship',
  'donation',
  'enterprise_training',
] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

/** The sums one aggregation per figure group returns, in fen. */
export interface RawFundingTotals {
  readonly bySource: ReadonlyMap<FundingSource, Fen>;
  /** Lines by purpose, receipts by programme: what the money is for. */
  readonly byPurpose: readonly { readonly purpose: string; readonly fen: Fen }[];
  /** Receipts and enterprise spend by township or street (lines are city-wide). */
  readonly byArea: readonly { readonly code: string; readonly fen: Fen }[];
}

export interface FundingTotals {
  readonly total: string;
  readonly bySource: readonly { readonly source: FundingSource; readonly yuan: string }[];
  readonly byPurpose: readonly { readonly purpose: string; readonly yuan: string }[];
  readonly byArea: readonly {
    readonly code: string;
    readonly name: string;
    readonly yuan: string;
  }[];
}

/**
 * The totals as people read them: every source listed (0.00 when none),
 * purposes and areas largest first (then by name, so the order is stable),
 * an area named by `names` or by its code when unknown.
 */
export function shapeTotals(
  raw: RawFundingTotals,
  names: ReadonlyMap<string, string>,
): FundingTotals {
  const bySource = FUNDING_SOURCES.map((source) => ({
    source,
    fen: raw.bySource.get(source) ?? 0,
  }));
  const largestFirst =
    <T extends { readonly fen: Fen }>(key: (item: T) => string) =>
    (a: T, b: T) =>
      b.fen - a.fen || key(a).localeCompare(key(b));
  return {
    total: formatYuan(bySource.reduce((sum, { fen }) => sum + fen, 0)),
    bySource: bySource.map(({ source, fen }) => ({ source, yuan: formatYuan(fen) })),
    byPurpose: mergeBy(raw.byPurpose, (item) => item.purpose)
      .sort(largestFirst((item) => item.key))
      .map(({ key, fen }) => ({ purpose: key, yuan: formatYuan(fen) })),
    byArea: mergeBy(raw.byArea, (item) => item.code)
      .sort(largestFirst((item) => item.key))
      .map(({ key, fen }) => ({ code: key, name: names.get(key) ?? key, yuan: formatYuan(fen) })),
  };
}

/** Sums that share a key (a purpose named by both a line and a receipt) as one. */
function mergeBy<T extends { readonly fen: Fen }>(
  items: readonly T[],
  keyOf: (item: T) => string,
): { key: string; fen: Fen }[] {
  const sums = new Map<string, Fen>();
  for (const item of items) sums.set(keyOf(item), (sums.get(keyOf(item)) ?? 0) + item.fen);
  return [...sums].map(([key, fen]) => ({ key, fen }));
}

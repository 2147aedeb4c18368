/**
 * A person's learning record for a city year: the ledger's entries in event
 * time order and what they add up to, overall and per content category.
 * Totals are always sums of entries (reversals included), never stored.
 */
import { CONTENT_CATEGORIES, invalid, type ContentCategory } from '@learning/domain';
import type { Hundredths } from './credits.js';
import type { SourceKind } from './facts.js';
import type { EntryReason } from './ledger.js';

/** The first year the programme keeps records of. */
export const FIRST_RECORD_YEAR = 2000;

export const RECORD_YEAR_INVALID = 'RECORD_YEAR_INVALID';

/** Refuses a year before records began or after next year (city calendar). */
export function checkRecordYear(year: number, currentYear: number): number {
  if (!Number.isInteger(year) || year < FIRST_RECORD_YEAR || year > currentYear + 1)
    throw invalid(
      RECORD_YEAR_INVALID,
      `The year must be a whole year from ${FIRST_RECORD_YEAR} to ${currentYear + 1}.`,
    );
  return year;
}

/** One line of a record: what the ledger holds, as the person reads it. */
export interface RecordEntry {
  readonly id: string;
  readonly occurredAt: Date;
  readonly title: string;
  readonly source: SourceKind;
  readonly ruleId: string;
  readonly ruleVersion: number;
  /** Signed: reversals and corrections are shown, as the ledger keeps them. */
  readonly amount: Hundredths;
  readonly reason: EntryReason;
  readonly category: ContentCategory | null;
  readonly minutes: number;
}

export interface CategoryTotal {
  /** Null: sources that name no category. */
  readonly category: ContentCategory | null;
  readonly credits: Hundredths;
  readonly minutes: number;
}

export interface RecordTotals {
  readonly credits: Hundredths;
  readonly minutes: number;
  readonly entries: number;
  /** The categories with entries, in the policy's order (§3), uncategorized last. */
  readonly byCategory: readonly CategoryTotal[];
}

const CATEGORY_ORDER: readonly (ContentCategory | null)[] = [...CONTENT_CATEGORIES, null];

/** Category totals in the record's order, whatever order they were found in. */
export const inCategoryOrder = (totals: readonly CategoryTotal[]): CategoryTotal[] =>
  [...totals].sort(
    (a, b) => CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category),
  );

/** What `entries` add up to; the same sums MongoBalances and the category totals make. */
export function totalsOf(
  entries: readonly Pick<RecordEntry, 'amount' | 'minutes' | 'category'>[],
): RecordTotals {
  const byCategory = new Map<ContentCategory | null, { credits: number; minutes: number }>();
  let credits = 0;
  let minutes = 0;
  for (const entry of entries) {
    credits += entry.amount;
    minutes += entry.minutes;
    const total = byCategory.get(entry.category) ?? { credits: 0, minutes: 0 };
    total.credits += entry.amount;
    total.minutes += entry.minutes;
    byCategory.set(entry.category, total);
  }
  return {
    credits,
    minutes,
    entries: entries.length,
    byCategory: inCategoryOrder(
      [...byCategory].map(([category, total]) => ({ category, ...total })),
    ),
  };
}

/**
 * Whether the ledger still says what a certificate certified: the same
 * credits, hours and entries for the year. Any later entry (a correction, or
 * credits earned since in a year still running) makes it differ.
 */
export const ledgerAgrees = (
  certified: Pick<RecordTotals, 'credits' | 'minutes' | 'entries'>,
  now: Pick<RecordTotals, 'credits' | 'minutes' | 'entries'>,
): boolean =>
  certified.credits === now.credits &&
  certified.minutes === now.minutes &&
  certified.entries === now.entries;

/** The names a record shows (Chinese, as the city's people read it). */
export const SOURCE_LABELS: Readonly<Record<SourceKind, string>> = {
  activity_attended: '参加活动',
  lecture_attended: '听讲座',
  training_attended: '参加培训',
  lesson_completed: '完成在线课程',
  contest_placed: '竞赛获奖',
  book_donated: '捐赠图书',
  organization_recognized: '组织获认定',
  activity_organized: '组织活动',
  training_completed: '完成培训',
};

export const CATEGORY_LABELS: Readonly<Record<ContentCategory, string>> = {
  political_theory: '政治理论',
  science_culture_skills: '科学文化与专业技能',
  market_economy_law: '市场经济与法律',
  ethics_etiquette: '道德礼仪',
};

/** The label of "no category". */
export const NO_CATEGORY_LABEL = '其他';

export const categoryLabel = (category: ContentCategory | null): string =>
  category === null ? NO_CATEGORY_LABEL : CATEGORY_LABELS[category];

export const REASON_LABELS: Readonly<Record<EntryReason, string>> = {
  awarded: '计入',
  source_withdrawn: '撤销（来源已撤回）',
  cap_reevaluated: '按上限重新核算',
};

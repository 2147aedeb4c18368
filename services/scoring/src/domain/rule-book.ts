/**
 * The campaign office's rule book: what makes a credit rule and its versions
 * valid, how a new version or a retirement reshapes a rule's versions without
 * touching what has already happened: a change takes effect from tomorrow
 * (city calendar) at the earliest (decision 0016), and when two
 * rules overlap (refused: evaluation finds at most one base rule per fact).
 */
import {
  addDays,
  addYears,
  conflict,
  CONTENT_CATEGORIES,
  invalid,
  partsOf,
  precondition,
  TIERS,
  type CalendarDate,
  type ContentCategory,
  type Tier,
} from '@learning/domain';
import type { Hundredths } from './credits.js';
import { HOLDER_KIND_OF, SOURCE_KINDS, type SourceKind } from './facts.js';
import type { CreditBasis, CreditRule, RuleKind, RuleVersion } from './rules.js';

export const RULE_NAME_INVALID = 'RULE_NAME_INVALID';
export const RULE_SOURCE_INVALID = 'RULE_SOURCE_INVALID';
export const RULE_CATEGORIES_INVALID = 'RULE_CATEGORIES_INVALID';
export const RULE_TIERS_INVALID = 'RULE_TIERS_INVALID';
export const RULE_TIERS_NOT_FOR_ORGANIZATIONS = 'RULE_TIERS_NOT_FOR_ORGANIZATIONS';
export const RULE_CAMPAIGN_REQUIRED = 'RULE_CAMPAIGN_REQUIRED';
export const RULE_CAMPAIGN_NOT_FOR_BASE = 'RULE_CAMPAIGN_NOT_FOR_BASE';
export const RULE_BASIS_REQUIRED = 'RULE_BASIS_REQUIRED';
export const RULE_BASIS_NOT_FOR_BONUS = 'RULE_BASIS_NOT_FOR_BONUS';
export const RULE_BASIS_NOT_FOR_SOURCE = 'RULE_BASIS_NOT_FOR_SOURCE';
export const RULE_CREDITS_INVALID = 'RULE_CREDITS_INVALID';
export const RULE_RANK_BANDS_INVALID = 'RULE_RANK_BANDS_INVALID';
export const RULE_CAP_INVALID = 'RULE_CAP_INVALID';
export const RULE_CAPS_INCONSISTENT = 'RULE_CAPS_INCONSISTENT';
export const RULE_BONUS_PERCENT_INVALID = 'RULE_BONUS_PERCENT_INVALID';
export const RULE_BONUS_PERCENT_NOT_FOR_BASE = 'RULE_BONUS_PERCENT_NOT_FOR_BASE';
export const RULE_EFFECTIVE_FROM_TOO_SOON = 'RULE_EFFECTIVE_FROM_TOO_SOON';
export const RULE_EFFECTIVE_TO_BEFORE_FROM = 'RULE_EFFECTIVE_TO_BEFORE_FROM';
export const RULE_EFFECTIVE_TOO_FAR = 'RULE_EFFECTIVE_TOO_FAR';
export const RULE_RETIREMENT_PAST = 'RULE_RETIREMENT_PAST';
export const RULE_RETIREMENT_BEFORE_START = 'RULE_RETIREMENT_BEFORE_START';
export const RULE_ALREADY_ENDS = 'RULE_ALREADY_ENDS';
export const RULE_OVERLAP = 'RULE_OVERLAP';

export const MAX_RULE_NAME_LENGTH = 100;
/** 1000 credits: the most one occurrence, hour, book or rank may earn. */
export const MAX_RULE_CREDITS: Hundredths = 100_000;
export const MAX_BONUS_PERCENT = 500;
export const MAX_RANK_BANDS = 20;
/** How far ahead a version may start or end. */
export const MAX_YEARS_AHEAD = 5;
/** `lastYear` of a rule whose last version is open-ended. */
export const OPEN_ENDED_YEAR = 9999;

/** Sources counted in time: only they may be credited per hour. */
export const TIMED_SOURCES: readonly SourceKind[] = [
  'activity_attended',
  'lecture_attended',
  'training_attended',
  'lesson_completed',
  'activity_organized',
];

/**
 * What a bonus version stores as its basis: the document's shape needs one,
 * evaluation reads only `bonusPercent` of a bonus, and the API neither takes
 * nor shows it (a bonus answers `basis: null`).
 */
export const BONUS_BASIS: CreditBasis = { kind: 'per_occurrence', credits: 0 };

/** What a rule is about; fixed once created (a different scope is a different rule). */
export interface RuleDefinition {
  readonly kind: RuleKind;
  readonly name: string;
  readonly source: SourceKind;
  readonly categories: readonly ContentCategory[];
  readonly tiers: readonly Tier[];
  readonly campaignId: string | null;
}

/** What one version says; `basis` is null for a bonus, `bonusPercent` null for a base rule. */
export interface VersionTerms {
  readonly basis: CreditBasis | null;
  readonly dailyCap: Hundredths | null;
  readonly yearlyCap: Hundredths | null;
  readonly bonusPercent: number | null;
}

export interface EffectiveRange {
  readonly effectiveFrom: CalendarDate;
  /** Inclusive; null while open-ended. */
  readonly effectiveTo: CalendarDate | null;
}

/** Who wrote a version, and when. */
export interface Authorship {
  readonly createdBy: string;
  readonly createdAt: Date;
}

const distinctFrom = <T>(values: readonly T[], vocabulary: readonly T[]): boolean =>
  new Set(values).size === values.length && values.every((value) => vocabulary.includes(value));

export function assertDefinition(definition: RuleDefinition): void {
  // Code points, as the HTTP schema counts them.
  const length = Array.from(definition.name).length;
  if (definition.name.trim() === '' || length > MAX_RULE_NAME_LENGTH)
    throw invalid(
      RULE_NAME_INVALID,
      `A rule's name has 1 to ${String(MAX_RULE_NAME_LENGTH)} characters and is not blank.`,
    );
  if (!SOURCE_KINDS.includes(definition.source))
    throw invalid(RULE_SOURCE_INVALID, `A rule credits one of: ${SOURCE_KINDS.join(', ')}.`);
  if (!distinctFrom(definition.categories, CONTENT_CATEGORIES))
    throw invalid(
      RULE_CATEGORIES_INVALID,
      `Categories are distinct, from: ${CONTENT_CATEGORIES.join(', ')} (none: every category).`,
    );
  if (!distinctFrom(definition.tiers, TIERS))
    throw invalid(
      RULE_TIERS_INVALID,
      `Tiers are distinct, from: ${TIERS.join(', ')} (none: every tier).`,
    );
  if (definition.tiers.length > 0 && HOLDER_KIND_OF[definition.source] === 'organization')
    throw invalid(
      RULE_TIERS_NOT_FOR_ORGANIZATIONS,
      `A ${definition.source} rule credits organizations, which have no tier: name no tiers.`,
    );
  if (definition.kind === 'bonus' && (definition.campaignId ?? '') === '')
    throw invalid(RULE_CAMPAIGN_REQUIRED, 'A bonus rule names the campaign whose sources earn it.');
  if (definition.kind === 'base' && definition.campaignId !== null)
    throw invalid(
      RULE_CAMPAIGN_NOT_FOR_BASE,
      'A base rule credits its source in every campaign; a campaign’s extra is a bonus rule.',
    );
}

const isCredits = (amount: Hundredths): boolean =>
  Number.isInteger(amount) && amount > 0 && amount <= MAX_RULE_CREDITS;

const creditsRefusal = () =>
  invalid(
    RULE_CREDITS_INVALID,
    'Credits are more than 0 and at most 1000; amounts below zero exist only as reversals in the ledger.',
  );

function assertBasis(source: SourceKind, basis: CreditBasis): void {
  const allowed =
    basis.kind === 'per_occurrence' ||
    (basis.kind === 'per_hour' && TIMED_SOURCES.includes(source)) ||
    (basis.kind === 'per_unit' && source === 'book_donated') ||
    (basis.kind === 'by_rank' && source === 'contest_placed');
  if (!allowed)
    throw invalid(
      RULE_BASIS_NOT_FOR_SOURCE,
      `${basis.kind} does not apply to ${source}: per_hour is for ${TIMED_SOURCES.join(', ')}; ` +
        'per_unit for book_donated; by_rank for contest_placed; per_occurrence for any.',
    );
  if (basis.kind !== 'by_rank') {
    if (!isCredits(basis.credits)) throw creditsRefusal();
    return;
  }
  const { bands } = basis;
  const ascending = bands.every(
    (band, index) =>
      Number.isInteger(band.upToRank) &&
      band.upToRank >= 1 &&
      (index === 0 || band.upToRank > (bands[index - 1]?.upToRank ?? 0)),
  );
  if (bands.length === 0 || bands.length > MAX_RANK_BANDS || !ascending)
    throw invalid(
      RULE_RANK_BANDS_INVALID,
      `Name 1 to ${String(MAX_RANK_BANDS)} rank bands, upToRank whole numbers from 1, strictly ascending.`,
    );
  if (!bands.every((band) => isCredits(band.credits))) throw creditsRefusal();
}

function assertCap(cap: Hundredths | null, which: string): void {
  if (cap === null) return;
  if (cap === 0)
    throw invalid(
      RULE_CAP_INVALID,
      `A ${which} cap of 0 would credit nothing: omit the cap for none, or retire the rule.`,
    );
  if (!Number.isInteger(cap) || cap < 0)
    throw invalid(RULE_CAP_INVALID, `A ${which} cap is more than 0 credits, or omitted for none.`);
}

/** A version's terms for a rule of this kind and source. */
export function assertTerms(kind: RuleKind, source: SourceKind, terms: VersionTerms): void {
  if (kind === 'base') {
    if (terms.basis === null)
      throw invalid(RULE_BASIS_REQUIRED, 'A base rule says how it credits: its basis.');
    if (terms.bonusPercent !== null)
      throw invalid(
        RULE_BONUS_PERCENT_NOT_FOR_BASE,
        'Only a bonus rule adds a percentage; a base rule has a basis.',
      );
    assertBasis(source, terms.basis);
  } else {
    if (terms.basis !== null)
      throw invalid(
        RULE_BASIS_NOT_FOR_BONUS,
        'A bonus rule adds a percentage of what base rules allotted: it has no basis.',
      );
    const percent = terms.bonusPercent;
    if (
      percent === null ||
      !Number.isInteger(percent) ||
      percent < 1 ||
      percent > MAX_BONUS_PERCENT
    )
      throw invalid(
        RULE_BONUS_PERCENT_INVALID,
        `A bonus adds a whole percentage from 1 to ${String(MAX_BONUS_PERCENT)}.`,
      );
  }
  assertCap(terms.dailyCap, 'daily');
  assertCap(terms.yearlyCap, 'yearly');
  if (terms.dailyCap !== null && terms.yearlyCap !== null && terms.dailyCap > terms.yearlyCap)
    throw invalid(RULE_CAPS_INCONSISTENT, 'The daily cap is at most the yearly cap.');
}

/**
 * From tomorrow (city calendar) on, at most five years ahead, ending on or
 * after it starts. Not today: facts of today may already be credited, and a
 * recognition is evaluated once, so a rule starting today would reach some
 * of them and not others.
 */
export function assertRange(range: EffectiveRange, today: CalendarDate): void {
  partsOf(range.effectiveFrom);
  if (range.effectiveTo !== null) partsOf(range.effectiveTo);
  const tomorrow = addDays(today, 1);
  if (range.effectiveFrom < tomorrow)
    throw invalid(
      RULE_EFFECTIVE_FROM_TOO_SOON,
      `A version takes effect tomorrow (${tomorrow}) or later: what has already happened, today included, keeps the versions it had.`,
    );
  const horizon = addYears(today, MAX_YEARS_AHEAD);
  if (range.effectiveFrom > horizon || (range.effectiveTo !== null && range.effectiveTo > horizon))
    throw invalid(
      RULE_EFFECTIVE_TOO_FAR,
      `A version starts and ends at most ${String(MAX_YEARS_AHEAD)} years ahead (by ${horizon}).`,
    );
  if (range.effectiveTo !== null && range.effectiveTo < range.effectiveFrom)
    throw invalid(RULE_EFFECTIVE_TO_BEFORE_FROM, 'A version ends on or after the day it starts.');
}

const stored = (kind: RuleKind, terms: VersionTerms) => ({
  basis: kind === 'bonus' || terms.basis === null ? BONUS_BASIS : terms.basis,
  dailyCap: terms.dailyCap,
  yearlyCap: terms.yearlyCap,
  bonusPercent: terms.bonusPercent,
});

/** A new rule's first version, checked. */
export function firstVersion(
  definition: RuleDefinition,
  terms: VersionTerms,
  range: EffectiveRange,
  today: CalendarDate,
  author: Authorship,
): RuleVersion {
  assertDefinition(definition);
  assertTerms(definition.kind, definition.source, terms);
  assertRange(range, today);
  return { version: 1, ...range, ...stored(definition.kind, terms), ...author };
}

/**
 * The versions once a new one takes effect from `range.effectiveFrom` (D,
 * tomorrow or later): it says what the rule does from D on, to its own end.
 * The version in effect before D is closed on D-1 (today at the earliest, so
 * a version in effect today keeps today); versions starting on or after D
 * have not started yet and are dropped.
 */
export function withNewVersion(
  rule: Pick<CreditRule, 'kind' | 'source' | 'versions'>,
  terms: VersionTerms,
  range: EffectiveRange,
  today: CalendarDate,
  author: Authorship,
): RuleVersion[] {
  assertTerms(rule.kind, rule.source, terms);
  assertRange(range, today);
  const from = range.effectiveFrom;
  const kept: RuleVersion[] = [];
  for (const version of rule.versions) {
    if (version.effectiveFrom >= from) continue;
    if (version.effectiveTo === null || version.effectiveTo >= from) {
      kept.push({ ...version, effectiveTo: addDays(from, -1) });
    } else {
      kept.push(version);
    }
  }
  const number = (kept.at(-1)?.version ?? 0) + 1;
  return [...kept, { version: number, ...range, ...stored(rule.kind, terms), ...author }];
}

/**
 * The versions once the rule ends on `on` (its last day, today or later: it
 * still counts today, and from tomorrow on it does not): the version in
 * effect then closes on it, and later ones (not started, since they start
 * tomorrow or later) are dropped.
 */
export function retiredVersions(
  versions: readonly RuleVersion[],
  on: CalendarDate,
  today: CalendarDate,
): RuleVersion[] {
  partsOf(on);
  if (on < today)
    throw invalid(
      RULE_RETIREMENT_PAST,
      `A rule's last day is today (${today}) or later: what has already happened keeps its credits.`,
    );
  const first = versions[0];
  const last = versions.at(-1);
  if (first === undefined || last === undefined) return [];
  if (last.effectiveTo !== null && last.effectiveTo <= on)
    throw precondition(RULE_ALREADY_ENDS, `The rule already ends on ${last.effectiveTo}.`);
  if (on < first.effectiveFrom)
    throw invalid(
      RULE_RETIREMENT_BEFORE_START,
      `The rule starts on ${first.effectiveFrom}; it can end on that day at the earliest.`,
    );
  return versions
    .filter((version) => version.effectiveFrom <= on)
    .map((version) =>
      version.effectiveTo === null || version.effectiveTo > on
        ? { ...version, effectiveTo: on }
        : version,
    );
}

/** The version in effect on `date`, if any. */
export const versionOn = (
  versions: readonly RuleVersion[],
  date: CalendarDate,
): RuleVersion | null =>
  versions.find(
    (version) =>
      version.effectiveFrom <= date &&
      (version.effectiveTo === null || version.effectiveTo >= date),
  ) ?? null;

/** The rule book's index: first and last city years any version is in effect (9999 when open-ended). */
export function yearsOf(versions: readonly RuleVersion[]): { firstYear: number; lastYear: number } {
  const first = versions[0];
  const last = versions.at(-1);
  if (first === undefined || last === undefined)
    throw new TypeError('a rule has at least one version');
  return {
    firstYear: partsOf(first.effectiveFrom).year,
    lastYear: last.effectiveTo === null ? OPEN_ENDED_YEAR : partsOf(last.effectiveTo).year,
  };
}

/** Empty means every value, so two lists meet unless both name values and share none. */
const meet = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === 0 || b.length === 0 || a.some((value) => b.includes(value));

const rangesMeet = (a: EffectiveRange, b: EffectiveRange): boolean =>
  (b.effectiveTo === null || a.effectiveFrom <= b.effectiveTo) &&
  (a.effectiveTo === null || b.effectiveFrom <= a.effectiveTo);

/** Whether some fact could match both rules on one day (bonuses of different campaigns never). */
export function overlaps(a: CreditRule, b: CreditRule): boolean {
  return (
    a.id !== b.id &&
    a.kind === b.kind &&
    a.source === b.source &&
    (a.kind === 'base' || a.campaignId === b.campaignId) &&
    meet(a.categories, b.categories) &&
    meet(a.tiers, b.tiers) &&
    a.versions.some((mine) => b.versions.some((theirs) => rangesMeet(mine, theirs)))
  );
}

/** Refuses `rule` when it overlaps one of `others`, naming that rule. */
export function assertNoOverlap(rule: CreditRule, others: readonly CreditRule[]): void {
  const other = others.find((candidate) => overlaps(rule, candidate));
  if (other !== undefined)
    throw conflict(
      RULE_OVERLAP,
      `This rule overlaps rule ${other.id} ("${other.name}"): same kind and source, shared ` +
        'categories and tiers (none named means all), and days in effect in common. Narrow one ' +
        'of them, or retire the other first.',
    );
}

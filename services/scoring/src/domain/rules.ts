/**
 * Credit rules, edited by the campaign office. A rule has versions; each
 * version is effective over a range of city dates, and a change is a new
 * version from a later date, so an entry's rule version explains it forever.
 */
import type { CalendarDate, ContentCategory, Tier } from '@learning/domain';
import type { Hundredths } from './credits.js';
import type { SourceKind } from './facts.js';

/**
 * How a version turns a fact into credits: a fixed amount per occurrence, per
 * hour of learning (pro rata by minute), per unit (book), or by contest rank.
 */
export type CreditBasis =
  | { readonly kind: 'per_occurrence'; readonly credits: Hundredths }
  | { readonly kind: 'per_hour'; readonly credits: Hundredths }
  | { readonly kind: 'per_unit'; readonly credits: Hundredths }
  | {
      readonly kind: 'by_rank';
      /** Ascending `upToRank`: rank 1..upToRank earns `credits`; ranks past the last band earn nothing. */
      readonly bands: readonly { readonly upToRank: number; readonly credits: Hundredths }[];
    };

/** A base rule credits a source; a bonus adds a share of what base rules allotted within a campaign. */
export type RuleKind = 'base' | 'bonus';

export interface RuleVersion {
  /** 1, 2, … in order of effect. */
  readonly version: number;
  readonly effectiveFrom: CalendarDate;
  /** Inclusive; null while open-ended. */
  readonly effectiveTo: CalendarDate | null;
  readonly basis: CreditBasis;
  /** Most credits per holder per city day under this rule; null for none. */
  readonly dailyCap: Hundredths | null;
  /** Most credits per holder per year under this rule; null for none. */
  readonly yearlyCap: Hundredths | null;
  /** Bonus rules: the percentage of the base allotment added (50 = half as much again). */
  readonly bonusPercent: number | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface CreditRule {
  readonly id: string;
  readonly kind: RuleKind;
  readonly name: string;
  readonly source: SourceKind;
  /** Matches a fact whose category is one of these; empty matches every category. */
  readonly categories: readonly ContentCategory[];
  /** Matches a person whose tier is one of these; empty matches every tier (and organizations). */
  readonly tiers: readonly Tier[];
  /** Bonus rules only: the campaign whose sources earn the bonus. */
  readonly campaignId: string | null;
  /** In order of effect; the ranges never overlap. */
  readonly versions: readonly RuleVersion[];
}

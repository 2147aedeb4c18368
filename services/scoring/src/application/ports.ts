/** What the scoring slices need from outside: registration's people and organizations, and the rule book. */
import type { Hundredths } from '../domain/credits.js';
import type { HolderRef, SourceKind } from '../domain/facts.js';
import type { CreditRule } from '../domain/rules.js';

export type {
  DirectoryParticipant,
  MembersPage,
  Organization,
  OrganizationMember,
  Organizations,
  Participants,
} from '@learning/registration-client';

/** The credit rules in force, as evaluation reads them. */
export interface RuleBook {
  /**
   * Every rule (base and bonus) crediting `source` with a version in effect
   * on some day of `year` (city calendar); versions of other years are
   * included when the rule has one in `year`.
   */
  rulesFor(source: SourceKind, year: number): Promise<readonly CreditRule[]>;
}

/** What a holder's entries add up to in a year (or within one campaign of it). */
export interface LedgerTotals {
  readonly credits: Hundredths;
  /** Learning minutes of the entries that awarded them. */
  readonly minutes: number;
  readonly entries: number;
}

/** Balances, always derived from the ledger: never stored, so never out of step with it. */
export interface Balances {
  /** Totals by `holderKey`; a holder with no entries in the year is absent. */
  of(
    holders: readonly HolderRef[],
    year: number,
    campaignId?: string,
  ): Promise<ReadonlyMap<string, LedgerTotals>>;
}

/**
 * The two append-only ledgers (persons and organizations). An entry is never
 * edited: a reversal or a cap applied again appends a signed correction, and
 * a holder's balance for a year is the sum of its entries.
 */
import type { ContentCategory, Tier } from '@learning/domain';
import type { Hundredths } from './credits.js';
import type { HolderRef, SourceKind } from './facts.js';

export type EntryReason = 'awarded' | 'source_withdrawn' | 'cap_reevaluated';

/**
 * A person who closed their account leaves their entries behind under a
 * random holder id with this prefix (decision 0022): the areas' and
 * organizations' sums still add up, and nothing links them to the person.
 * Such a holder is nobody: it is never placed on a board.
 */
export const ERASED_HOLDER_PREFIX = 'erased:';

export const isErasedHolder = (holderId: string): boolean =>
  holderId.startsWith(ERASED_HOLDER_PREFIX);

export interface LedgerEntry {
  readonly id: string;
  readonly holder: HolderRef;
  readonly year: number;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly source: SourceKind;
  readonly sourceId: string;
  readonly sourceEventId: string;
  /**
   * 1 for the first entry of (holder, rule, source), then 2, 3, … for each
   * correction: unique with them, so two workers evaluating the same holder
   * at once cannot both append the same correction (ledger-evaluation.ts).
   */
  readonly revision: number;
  /** Signed: positive awards, negative reversals. */
  readonly amount: Hundredths;
  readonly reason: EntryReason;
  readonly occurredAt: Date;
  readonly category: ContentCategory | null;
  readonly tier: Tier | null;
  /** Learning minutes the entry stands for (the fact's, on the first entry; 0 on corrections). */
  readonly minutes: number;
  readonly campaignId: string | null;
  readonly jurisdictionPath: readonly string[];
  readonly organizationIds: readonly string[];
  readonly title: string;
  readonly recordedAt: Date;
}

/** What the records slice reads: the ledger's entries and category sums, and where exports are kept. */
import type { Page } from '@learning/domain';
import type { Hundredths } from '../../domain/credits.js';
import type { HolderRef } from '../../domain/facts.js';
import type { CategoryTotal, RecordEntry } from '../../domain/records.js';

export interface RecordLedger {
  /** One page of a person's entries for a year, in event-time order; CURSOR_INVALID for a foreign token. */
  entriesPage(
    participantId: string,
    year: number,
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Page<RecordEntry>>;
  /** Every entry of a person's year, in event-time order (exports). */
  allEntries(participantId: string, year: number): Promise<RecordEntry[]>;
  /** A holder's year summed per content category (categories without entries absent). */
  categoryTotals(holder: HolderRef, year: number): Promise<CategoryTotal[]>;
  /** What persons earned in a year while members of `organizationId` (its own entries excluded). */
  memberTotals(organizationId: string, year: number): Promise<MemberTotals>;
}

export interface MemberTotals {
  readonly credits: Hundredths;
  readonly minutes: number;
  /** Distinct persons with entries. */
  readonly persons: number;
  readonly byCategory: readonly CategoryTotal[];
}

/** What the credits ledger needs: the facts, the ledger itself, the holders' places, and counters. */
import type { Tier } from '@learning/domain';
import type { CreditFact, HolderRef, SourceKind } from '../../domain/facts.js';
import type { EntryReason, LedgerEntry } from '../../domain/ledger.js';
import type { NewLedgerEntry } from '../../domain/ledger-evaluation.js';

export type { RuleBook } from '../ports.js';

/** Where a holder stood when the fact happened (or, for sources that do not say, when it was first stored). */
export interface HolderPlace {
  readonly tier: Tier | null;
  readonly jurisdictionPath: readonly string[];
  readonly organizationIds: readonly string[];
}

/** Registration's directory, as facts need it; null when registration does not know the holder. */
export interface HolderDirectory {
  person(participantId: string): Promise<HolderPlace | null>;
  organization(organizationId: string): Promise<HolderPlace | null>;
}

/** An attendance as registration recorded it: `attendedAt` orders it against withdrawals. */
export interface AttendanceFact {
  readonly fact: CreditFact;
  readonly attendedAt: Date;
}

/** An attendance no longer counting, known by its source and holder. */
export interface Withdrawal {
  readonly sourceId: string;
  readonly source: SourceKind;
  readonly holder: HolderRef;
  readonly sourceEventId: string;
  /** When the withdrawn attendance had been recorded, if the event says. */
  readonly attendedAt: Date | null;
  readonly withdrawnAt: Date;
}

export interface FactStore {
  /** Stores a fact the first time its source is reported; a replay changes nothing. */
  record(fact: CreditFact): Promise<'stored' | 'known'>;
  /**
   * Stores an attendance, or fills in the withdrawal stub waiting for it, or
   * makes a withdrawn one count again when it was recorded after the
   * withdrawal; the fact as it now stands.
   */
  recordAttendance(attendance: AttendanceFact): Promise<{
    readonly outcome: 'stored' | 'known';
    readonly fact: CreditFact;
  }>;
  /**
   * Marks an attendance withdrawn, unless it was recorded again after the
   * withdrawal; leaves a stub when the attendance has not arrived. The fact
   * when it has been reported (and so may hold credits), else null.
   */
  withdraw(withdrawal: Withdrawal): Promise<CreditFact | null>;
  /** Every reported fact of a holder in a city year (stubs excluded: they were never credited). */
  ofHolderYear(holder: HolderRef, year: number): Promise<readonly CreditFact[]>;
}

export interface LedgerStore {
  /** Every entry of a holder in a city year. */
  entriesOf(holder: HolderRef, year: number): Promise<readonly LedgerEntry[]>;
  /**
   * Appends one entry with its CreditsAwarded or CreditsReversed event;
   * 'conflict' when the same (holder, rule, source, revision) is already
   * there: another evaluation of the holder appended first.
   */
  append(entry: NewLedgerEntry): Promise<'appended' | 'conflict'>;
}

export interface CreditsMetrics {
  factStored(source: SourceKind): void;
  entryAppended(reason: EntryReason): void;
  evaluationRetried(): void;
}

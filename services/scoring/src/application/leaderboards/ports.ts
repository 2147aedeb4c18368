/** What the leaderboards slice needs: the ledger's footprints, registration's names and kinds, and the boards in Redis. */
import type { OrganizationKind } from '@learning/domain';
import type { Hundredths } from '../../domain/credits.js';
import type { Board, BoardScope, EntryFootprint, Placement } from '../../domain/boards.js';
import type { HolderRef } from '../../domain/facts.js';

/** What the boards need of one holder's entries in a year, from one read of the ledger. */
export interface HolderLedger {
  /** The distinct footprints of the holder's entries. */
  readonly footprints: readonly EntryFootprint[];
  readonly yearBalance: Hundredths;
  /** The balance within each campaign the holder has entries of. */
  readonly campaignBalances: ReadonlyMap<string, Hundredths>;
}

/** The ledger read for boards: which boards holders' entries touched, their sums, and who has entries. */
export interface LedgerFootprints {
  /** Each holder's footprints and balances in `year`, by `holderKey`; holders without entries are absent. */
  of(holders: readonly HolderRef[], year: number): Promise<ReadonlyMap<string, HolderLedger>>;
  /** Every holder with entries in `year`, each once, in batches of at most `batchSize`. */
  holdersOf(year: number, batchSize: number): AsyncIterable<HolderRef[]>;
  /** The holders with entries of `year` recorded at or after `since`, each once. */
  recordedSince(year: number, since: Date): Promise<HolderRef[]>;
}

/** What a board shows of an organization; organizations are public bodies, named in full. */
export interface OrganizationCard {
  readonly name: string;
  readonly kind: OrganizationKind;
}

export interface OrganizationCards {
  /** The organizations registration knows among `ids`, by id. */
  of(ids: readonly string[]): Promise<ReadonlyMap<string, OrganizationCard>>;
}

/** Persons' names as public lists may show them (张*明); never the full name. */
export interface MaskedNames {
  of(participantIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export interface BoardMember {
  readonly member: string;
  readonly score: Hundredths;
}

export interface BoardPage {
  /** Highest score first; ties in a stable order. */
  readonly members: readonly BoardMember[];
  /** How many members score more than the page's first. */
  readonly above: number;
  /** Members of the whole board. */
  readonly total: number;
}

export interface MemberRank {
  readonly score: Hundredths;
  /** How many members score more. */
  readonly above: number;
  readonly total: number;
}

/** The boards in Redis: live boards that updates write, and fresh ones a rebuild fills and swaps in. */
export interface BoardStore {
  /** Sets each placement's score on its live board (a placement that is not ranked leaves it). */
  place(placements: readonly Placement[]): Promise<void>;
  /** Writes ranked placements of `year` into the rebuild's own, unseen boards. */
  build(rebuildId: string, year: number, placements: readonly Placement[]): Promise<void>;
  /**
   * Replaces every live board of `year` by the rebuild's, at once: readers
   * see either the old boards or the new ones. Returns the boards swapped in.
   */
  swap(rebuildId: string, year: number): Promise<number>;
  /** Drops a rebuild's unseen boards (it failed or was stopped). */
  discard(rebuildId: string, year: number): Promise<void>;
  /** Notes that `year`'s boards were rebuilt; Redis losing its data loses the note too. */
  markBuilt(year: number, at: Date): Promise<void>;
  isBuilt(year: number): Promise<boolean>;
  /** A page of a live board, or null when the board has no members. */
  page(scope: BoardScope, board: Board, offset: number, size: number): Promise<BoardPage | null>;
  /** A member's score and standing on a live board, or null when they are not on it. */
  rankOf(scope: BoardScope, board: Board, member: string): Promise<MemberRank | null>;
}

export type RebuildStatus = 'running' | 'succeeded' | 'failed';

export interface RebuildProgress {
  readonly id: string;
  readonly year: number;
  readonly status: RebuildStatus;
  readonly holders: number;
  readonly boards: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

/** Rebuilds and their progress, shared by the replicas. */
export interface RebuildRegistry {
  /**
   * Records `progress` as the year's running rebuild unless one is running
   * already (on any replica), whose id is then returned instead.
   */
  claim(
    progress: RebuildProgress,
    leaseMs: number,
  ): Promise<{ claimed: true } | { claimed: false; runningId: string }>;
  /** Saves progress and extends the year's lease while it runs; ends the lease once it is over. */
  save(progress: RebuildProgress, leaseMs: number): Promise<void>;
  find(id: string): Promise<RebuildProgress | null>;
}

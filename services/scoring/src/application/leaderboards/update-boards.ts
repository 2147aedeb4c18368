/**
 * Keeps the live boards up with the ledger as entries are appended: each
 * entry's holder is placed again from the ledger's sums, so a duplicate or a
 * late event sets the same scores and changes nothing twice. A run of
 * entries places each of its holders once.
 */
import { holderKey, type HolderRef } from '../../domain/facts.js';
import type { BoardStore } from './ports.js';
import type { Standings } from './standings.js';

export interface UpdateBoardsDeps {
  readonly standings: Standings;
  readonly boards: BoardStore;
}

export interface AppendedEntry {
  readonly holder: HolderRef;
  readonly year: number;
}

export function updateBoards(deps: UpdateBoardsDeps) {
  const { standings, boards } = deps;
  return async (entries: readonly AppendedEntry[]): Promise<void> => {
    const byYear = new Map<number, Map<string, HolderRef>>();
    for (const { holder, year } of entries) {
      const holders = byYear.get(year) ?? new Map<string, HolderRef>();
      holders.set(holderKey(holder), holder);
      byYear.set(year, holders);
    }
    for (const [year, holders] of byYear)
      await boards.place(await standings([...holders.values()], year));
  };
}

export type UpdateBoards = ReturnType<typeof updateBoards>;

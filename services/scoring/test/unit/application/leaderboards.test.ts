import { captureLogger } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import type {
  BoardStore,
  LedgerFootprints,
  RebuildProgress,
  RebuildRegistry,
} from '../../../src/application/leaderboards/ports.js';
import { rebuildBoards } from '../../../src/application/leaderboards/rebuild-boards.js';
import type { Standings } from '../../../src/application/leaderboards/standings.js';
import { updateBoards } from '../../../src/application/leaderboards/update-boards.js';
import type { Placement } from '../../../src/domain/boards.js';
import type { HolderRef } from '../../../src/domain/facts.js';

const YEAR = 2026;
const NOW = new Date('2026-04-10T02:00:00Z');
const person = (id: string): HolderRef => ({ kind: 'person', id });

/** Places every holder on one board with the score its id's number gives ("p-3" → 300; "p-0" → 0). */
const standings: Standings = async (holders, year) =>
  holders.map((holder) => ({
    scope: { year, campaignId: null },
    board: { family: 'persons-by-tier', subject: 'ordinary_citizen' },
    member: holder.id,
    score: Number(holder.id.split('-')[1]) * 100,
  }));

class FakeBoards implements Pick<
  BoardStore,
  'place' | 'build' | 'swap' | 'discard' | 'markBuilt' | 'isBuilt'
> {
  live = new Map<string, number>();
  built = new Map<string, Map<string, number>>();
  marked = new Set<number>();
  discarded: string[] = [];
  failSwap = false;

  async place(placements: readonly Placement[]) {
    for (const { member, score } of placements)
      if (score > 0) this.live.set(member, score);
      else this.live.delete(member);
  }
  async build(id: string, _year: number, placements: readonly Placement[]) {
    const board = this.built.get(id) ?? new Map<string, number>();
    for (const { member, score } of placements) board.set(member, score);
    this.built.set(id, board);
  }
  async swap(id: string) {
    if (this.failSwap) throw new Error('Redis went away');
    this.live = new Map(this.built.get(id));
    return 1;
  }
  async discard(id: string) {
    this.discarded.push(id);
  }
  async markBuilt(year: number) {
    this.marked.add(year);
  }
  async isBuilt(year: number) {
    return this.marked.has(year);
  }
}

class FakeRegistry implements RebuildRegistry {
  saved = new Map<string, RebuildProgress>();
  runningId: string | null = null;
  async claim(progress: RebuildProgress) {
    if (this.runningId !== null) return { claimed: false as const, runningId: this.runningId };
    this.runningId = progress.id;
    this.saved.set(progress.id, progress);
    return { claimed: true as const };
  }
  async save(progress: RebuildProgress) {
    this.saved.set(progress.id, progress);
    if (progress.status !== 'running' && this.runningId === progress.id) this.runningId = null;
  }
  async find(id: string) {
    return this.saved.get(id) ?? null;
  }
}

function fixture(holders: HolderRef[][], late: HolderRef[] = []) {
  const boards = new FakeBoards();
  const registry = new FakeRegistry();
  const footprints: LedgerFootprints = {
    of: async () => new Map(),
    async *holdersOf() {
      for (const batch of holders) yield batch;
    },
    recordedSince: async () => late,
  };
  let ids = 0;
  const rebuilds = rebuildBoards({
    footprints,
    standings,
    boards: boards as unknown as BoardStore,
    registry,
    clock: () => NOW,
    logger: captureLogger().logger,
    newId: () => `rebuild-${++ids}`,
    batchSize: 2,
    leaseMs: 60_000,
  });
  const finished = async (id: string) => {
    for (;;) {
      const progress = await rebuilds.progress(id);
      if (progress.status !== 'running') return progress;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  return { boards, registry, rebuilds, finished };
}

describe('rebuilding the boards', () => {
  it('when a year is rebuilt, then only ranked holders reach the fresh boards, which replace the live ones, and the year is marked', async () => {
    const { boards, rebuilds, finished } = fixture([
      [person('p-3'), person('p-0')],
      [person('p-1')],
    ]);
    boards.live.set('stale', 900);

    const started = await rebuilds.start(YEAR);
    const done = await finished(started.id);

    expect(done).toMatchObject({ status: 'succeeded', holders: 3, boards: 1, finishedAt: NOW });
    expect([...boards.live]).toEqual([
      ['p-3', 300],
      ['p-1', 100],
    ]);
    expect(boards.marked.has(YEAR)).toBe(true);
  });

  it('when entries were recorded while it ran, then their holders are placed again after the swap', async () => {
    const { boards, rebuilds, finished } = fixture([[person('p-1')]], [person('p-5')]);

    await finished((await rebuilds.start(YEAR)).id);

    expect(boards.live.get('p-5')).toBe(500);
  });

  it('when a rebuild of the year is running, then asking again returns it', async () => {
    const { registry, rebuilds } = fixture([]);
    registry.runningId = 'rebuild-elsewhere';
    registry.saved.set('rebuild-elsewhere', {
      id: 'rebuild-elsewhere',
      year: YEAR,
      status: 'running',
      holders: 40,
      boards: 0,
      startedAt: NOW,
      finishedAt: null,
    });

    expect(await rebuilds.start(YEAR)).toMatchObject({ id: 'rebuild-elsewhere', holders: 40 });
  });

  it('when the swap fails, then the fresh boards are dropped, the live ones stay and the rebuild says failed', async () => {
    const { boards, rebuilds, finished } = fixture([[person('p-2')]]);
    boards.live.set('p-7', 700);
    boards.failSwap = true;

    const started = await rebuilds.start(YEAR);

    expect(await finished(started.id)).toMatchObject({ status: 'failed' });
    expect(boards.discarded).toEqual([started.id]);
    expect([...boards.live]).toEqual([['p-7', 700]]);
    expect(boards.marked.size).toBe(0);
  });

  it('when the periodic check finds the year marked, then nothing is rebuilt; unmarked, it is rebuilt', async () => {
    const { boards, rebuilds } = fixture([[person('p-4')]]);
    boards.marked.add(YEAR);
    await rebuilds.ensureBuilt();
    expect(boards.live.size).toBe(0);

    boards.marked.clear();
    await rebuilds.ensureBuilt();
    expect(boards.live.get('p-4')).toBe(400);
  });

  it('when an unknown rebuild is asked, then LEADERBOARD_REBUILD_NOT_FOUND', async () => {
    await expect(fixture([]).rebuilds.progress('nope')).rejects.toMatchObject({
      code: 'LEADERBOARD_REBUILD_NOT_FOUND',
    });
  });
});

describe('updating the boards', () => {
  it('when a run repeats a holder, then they are placed once per year with the ledger’s sums', async () => {
    const asked: string[] = [];
    const boards = new FakeBoards();
    const update = updateBoards({
      standings: async (holders, year) => {
        asked.push(`${year}:${holders.map((holder) => holder.id).join(',')}`);
        return standings(holders, year);
      },
      boards: boards as unknown as BoardStore,
    });

    await update([
      { holder: person('p-2'), year: YEAR },
      { holder: person('p-2'), year: YEAR },
      { holder: person('p-3'), year: YEAR },
      { holder: person('p-2'), year: YEAR - 1 },
    ]);

    expect(asked).toEqual([`${YEAR}:p-2,p-3`, `${YEAR - 1}:p-2`]);
    expect(boards.live.get('p-3')).toBe(300);
  });
});

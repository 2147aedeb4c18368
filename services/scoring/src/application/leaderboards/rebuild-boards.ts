/**
 * Rebuilding a year's boards from the ledger: on the office's request, and by
 * itself when Redis lost its data (the mark a rebuild leaves is gone). The
 * year's holders are streamed in batches and placed into fresh boards that
 * replace the live ones at once, so readers never see a half-built board.
 * One rebuild of a year runs at a time across replicas; entries appended
 * while it ran are placed again on the live boards once it has swapped.
 */
import { chinaYearOf } from '@learning/domain';
import type { Logger } from '@learning/logger';
import { isRanked } from '../../domain/boards.js';
import { rebuildNotFound } from './errors.js';
import type { BoardStore, LedgerFootprints, RebuildProgress, RebuildRegistry } from './ports.js';
import type { Standings } from './standings.js';

export interface RebuildBoardsDeps {
  readonly footprints: LedgerFootprints;
  readonly standings: Standings;
  readonly boards: BoardStore;
  readonly registry: RebuildRegistry;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly newId: () => string;
  /** Holders placed per batch. */
  readonly batchSize: number;
  /** How long a rebuild's claim lasts without progress: a replica that died mid-way frees the year after it. */
  readonly leaseMs: number;
}

export function rebuildBoards(deps: RebuildBoardsDeps) {
  const { footprints, standings, boards, registry, clock, logger, batchSize, leaseMs } = deps;
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  const linked = new WeakSet<AbortSignal>();

  async function placeLate(year: number, since: Date): Promise<void> {
    const late = await footprints.recordedSince(year, since);
    for (let start = 0; start < late.length; start += batchSize)
      await boards.place(await standings(late.slice(start, start + batchSize), year));
  }

  async function run(started: RebuildProgress): Promise<void> {
    let progress = started;
    const { id, year } = started;
    try {
      for await (const batch of footprints.holdersOf(year, batchSize)) {
        stopping.signal.throwIfAborted();
        const placements = (await standings(batch, year)).filter((placement) =>
          isRanked(placement.score),
        );
        await boards.build(id, year, placements);
        progress = { ...progress, holders: progress.holders + batch.length };
        await registry.save(progress, leaseMs);
      }
      const swapped = await boards.swap(id, year);
      await boards.markBuilt(year, clock());
      await placeLate(year, started.startedAt);
      progress = { ...progress, status: 'succeeded', boards: swapped, finishedAt: clock() };
      await registry.save(progress, leaseMs);
      logger.info(
        { rebuild: id, year, holders: progress.holders, boards: swapped },
        'leaderboards rebuilt',
      );
    } catch (error) {
      logger.error({ err: error, rebuild: id, year }, 'leaderboards rebuild failed');
      await boards.discard(id, year).catch(() => undefined);
      await registry
        .save({ ...progress, status: 'failed', finishedAt: clock() }, leaseMs)
        .catch(() => undefined);
    }
  }

  /** Starts a rebuild of `year`, or finds the one running; `done` settles when this call's own run ends. */
  async function launch(year: number): Promise<{ progress: RebuildProgress; done: Promise<void> }> {
    const progress: RebuildProgress = {
      id: deps.newId(),
      year,
      status: 'running',
      holders: 0,
      boards: 0,
      startedAt: clock(),
      finishedAt: null,
    };
    const claim = await registry.claim(progress, leaseMs);
    if (!claim.claimed) {
      const runningOne = await registry.find(claim.runningId);
      return { progress: runningOne ?? progress, done: Promise.resolve() };
    }
    const done = run(progress);
    running.add(done);
    void done.finally(() => running.delete(done));
    return { progress, done };
  }

  return {
    /** The office's rebuild: answers at once with its progress, the work goes on in the background. */
    async start(year: number): Promise<RebuildProgress> {
      return (await launch(year)).progress;
    },

    async progress(id: string): Promise<RebuildProgress> {
      const found = await registry.find(id);
      if (found === null) throw rebuildNotFound();
      return found;
    },

    /**
     * The periodic check: the current year is rebuilt when its mark is missing
     * (Redis lost its data). `signal` (the worker stopping) stops the rebuild.
     */
    async ensureBuilt(signal?: AbortSignal): Promise<void> {
      if (signal !== undefined && !linked.has(signal)) {
        // The worker passes one signal for its whole life: listened to once.
        linked.add(signal);
        signal.addEventListener(
          'abort',
          () => {
            stopping.abort();
          },
          { once: true },
        );
      }
      const year = chinaYearOf(clock());
      if (await boards.isBuilt(year)) return;
      logger.warn({ year }, 'leaderboards not built: rebuilding from the ledger');
      await (
        await launch(year)
      ).done;
    },

    /** Stops rebuilds under way; their fresh boards are dropped and the live ones stay. */
    async stop(): Promise<void> {
      stopping.abort();
      await Promise.all(running);
    },
  };
}

export type RebuildBoards = ReturnType<typeof rebuildBoards>;

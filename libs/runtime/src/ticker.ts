/**
 * Periodic work done once per tick across all replicas: ticks fall on
 * multiples of `everyMs` since the epoch, every replica wakes at each, and
 * the first to claim the tick's number in Redis runs it. Every replica also
 * runs once as it starts, unclaimed (another replica may have claimed the
 * current tick before going down), so work missed while all were down is
 * caught up at once; the work must therefore act on state (what is due now),
 * not on the tick, and tolerate an extra run.
 */
import type { Logger } from '@learning/logger';
import { claimOnce, type RedisClient } from '@learning/redis';
import type { Worker } from './platform.js';

export interface TickerOptions {
  /** Names the claim: `<name>:<tick number>`. */
  readonly name: string;
  readonly everyMs: number;
  readonly redis: RedisClient;
  readonly logger: Logger;
  readonly clock?: () => Date;
  /** The tick's work; `tickAt` is the tick's own time, `signal` aborts when the worker stops. */
  readonly run: (tickAt: Date, signal: AbortSignal) => Promise<void>;
}

export function tickingWorker(options: TickerOptions): Worker {
  const { name, everyMs, redis, run } = options;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger.child({ component: 'ticker', ticker: name });
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  async function tick(claimed: boolean): Promise<void> {
    const number = Math.floor(clock().getTime() / everyMs);
    try {
      // The claim outlives the tick, so a replica whose clock lags cannot claim it again.
      if (claimed && !(await claimOnce(redis, `${name}:${number}`, everyMs * 2))) return;
      await run(new Date(number * everyMs), stopping.signal);
    } catch (error) {
      if (!stopping.signal.aborted) logger.error({ err: error, tick: number }, 'tick failed');
    }
  }

  function schedule(): void {
    if (stopping.signal.aborted) return;
    const now = clock().getTime();
    const next = (Math.floor(now / everyMs) + 1) * everyMs;
    timer = setTimeout(() => {
      // A tick still running when the next falls due is followed, not overlapped, here.
      current = current.then(() => tick(true)).finally(schedule);
    }, next - now);
  }

  return {
    start() {
      current = tick(false).finally(schedule);
    },
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await current;
    },
  };
}

/**
 * The fan-out worker every replica runs: it claims a broadcast whose lease is
 * free or expired, works it until done or stopped, and looks again; when
 * nothing is claimable it waits a poll interval (or until `wake`, called
 * when this replica queues a broadcast).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@learning/logger';
import type { Worker } from '@learning/runtime';
import type { FanOut } from './fan-out.js';
import type { BroadcastStore } from './ports.js';

export interface BroadcastWorkerOptions {
  readonly broadcasts: BroadcastStore;
  readonly fanOut: FanOut;
  readonly clock: () => Date;
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly logger: Logger;
}

export interface BroadcastWorker extends Worker {
  /** Looks for work now rather than at the next poll. */
  wake(): void;
}

export function broadcastWorker(options: BroadcastWorkerOptions): BroadcastWorker {
  const { broadcasts, fanOut, clock, leaseMs, pollMs } = options;
  const logger = options.logger.child({ component: 'broadcast-worker' });
  // One owner per process run: a restarted process does not inherit its predecessor's lease.
  const owner = randomUUID();
  const stopping = new AbortController();
  const stopped = () => stopping.signal.aborted;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> = Promise.resolve();

  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  async function workOnce(): Promise<boolean> {
    const now = clock();
    const claimed = await broadcasts.claim(owner, now, new Date(now.getTime() + leaseMs));
    if (claimed === null) return false;
    const end = await fanOut(claimed, owner, stopping.signal);
    logger.info({ broadcastId: claimed.id, kind: claimed.kind, end }, 'broadcast worked');
    return true;
  }

  async function run(): Promise<void> {
    while (!stopped()) {
      let worked = false;
      try {
        worked = await workOnce();
      } catch (error) {
        // The lease runs out and the broadcast is claimed again, resuming at its cursor.
        if (!stopped()) logger.error({ err: error }, 'broadcast failed; retried');
      }
      if (!worked && !stopped()) await pause();
    }
  }

  return {
    start() {
      loop = run();
    },
    async stop() {
      stopping.abort();
      wakeUp?.();
      await loop;
    },
    wake() {
      wakeUp?.();
    },
  };
}

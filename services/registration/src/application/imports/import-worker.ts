/**
 * The import worker of one service process: takes queued jobs (or jobs whose
 * worker died: their lease ran out) one at a time and runs them. Replicas
 * compete through the job store's lease, so a job has one worker at a time.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@learning/logger';
import type { ImportJobStore } from './import-job.js';
import type { RunImport } from './run-import.js';

export interface ImportWorkerDeps {
  readonly jobs: ImportJobStore;
  readonly run: RunImport;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly leaseMs: number;
  /** How long an idle worker waits before looking again (a wake() cuts it short). */
  readonly pollMs: number;
}

export class ImportWorker {
  /** Names this process in job leases. */
  readonly owner = `import-worker-${randomUUID()}`;
  private readonly stopping = new AbortController();
  private idle: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: ImportWorkerDeps) {}

  start(): void {
    this.loop ??= this.work();
  }

  /** A job was queued: look now rather than at the next poll. */
  wake(): void {
    this.idle?.abort();
  }

  /** Stops after the batch in hand is checkpointed; the job is left for whoever claims it next. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.idle?.abort();
    await this.loop;
  }

  private async work(): Promise<void> {
    const { jobs, run, clock, logger, leaseMs, pollMs } = this.deps;
    while (!this.stopping.signal.aborted) {
      let worked = false;
      try {
        const job = await jobs.claimNext(this.owner, clock(), leaseMs);
        if (job !== null) {
          worked = true;
          logger.info({ importJob: job.id, resumeAtRow: job.progress.rowsRead }, 'import claimed');
          const outcome = await run({ job, owner: this.owner }, this.stopping.signal);
          if (outcome === 'lost')
            logger.warn({ importJob: job.id }, 'import lease lost to another worker');
        }
      } catch (error) {
        // The job keeps its lease until it expires, then this or another worker resumes it.
        logger.error({ err: error }, 'import run failed; it will be resumed');
      }
      if (worked) continue;
      this.idle = new AbortController();
      await sleep(pollMs, undefined, {
        signal: AbortSignal.any([this.idle.signal, this.stopping.signal]),
      }).catch(() => undefined);
      this.idle = undefined;
    }
  }
}

/**
 * The office's computation of a year for one target: answered at once with
 * the run's progress while it streams the target's subjects page by page in
 * the background. One run per year and target at a time across replicas (a
 * lease in the registry); asking again while one runs returns that one.
 */
import type { Logger } from '@learning/logger';
import type { SystemTarget } from '../../domain/evaluation.js';
import type { EvaluationSources, IndicatorSystemReader } from '../evaluation/ports.js';
import type { ComputeAssessments } from './compute.js';
import { runNotFound, systemMissing } from './errors.js';
import type { RunProgress, RunRegistry } from './ports.js';

export interface RunDeps {
  readonly compute: ComputeAssessments;
  readonly systems: IndicatorSystemReader;
  readonly sources: EvaluationSources;
  readonly registry: RunRegistry;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly newId: () => string;
  /** How long a run's claim lasts without progress: a replica that died mid-way frees the year after it. */
  readonly leaseMs: number;
}

export function assessmentRuns(deps: RunDeps) {
  const { compute, systems, sources, registry, clock, logger, leaseMs } = deps;
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();

  async function run(started: RunProgress): Promise<void> {
    let progress = started;
    try {
      const system = await systems.forTarget(started.year, started.target);
      if (system === undefined) throw systemMissing(started.year, started.target);
      for await (const page of sources.subjects.subjects(started.target)) {
        stopping.signal.throwIfAborted();
        const outcome = await compute.computePage(system, page);
        progress = {
          ...progress,
          subjects: progress.subjects + page.length,
          changed: progress.changed + outcome.changed,
          unchanged: progress.unchanged + outcome.unchanged,
        };
        await registry.save(progress, leaseMs);
      }
      progress = { ...progress, status: 'succeeded', finishedAt: clock() };
      await registry.save(progress, leaseMs);
      logger.info(
        {
          run: progress.id,
          year: progress.year,
          target: progress.target,
          subjects: progress.subjects,
          changed: progress.changed,
        },
        'assessments computed',
      );
    } catch (error) {
      logger.error({ err: error, run: progress.id, year: progress.year }, 'assessment run failed');
      await registry
        .save({ ...progress, status: 'failed', finishedAt: clock() }, leaseMs)
        .catch(() => undefined);
    }
  }

  return {
    /** Starts the year's computation for `target`, or finds the one running. */
    async start(year: number, target: SystemTarget): Promise<RunProgress> {
      // Refused before anything runs, so the office hears it instead of reading a failed run.
      if ((await systems.forTarget(year, target)) === undefined) throw systemMissing(year, target);
      const progress: RunProgress = {
        id: deps.newId(),
        year,
        target,
        status: 'running',
        subjects: 0,
        changed: 0,
        unchanged: 0,
        startedAt: clock(),
        finishedAt: null,
      };
      const claim = await registry.claim(progress, leaseMs);
      if (!claim.claimed) return (await registry.find(claim.runningId)) ?? progress;
      const done = run(progress);
      running.add(done);
      void done.finally(() => running.delete(done));
      return progress;
    },

    async progress(id: string): Promise<RunProgress> {
      const found = await registry.find(id);
      if (found === null) throw runNotFound();
      return found;
    },

    /** Stops runs under way; what they wrote stays (each page is whole). */
    async stop(): Promise<void> {
      stopping.abort();
      await Promise.all(running);
    },
  };
}

export type AssessmentRuns = ReturnType<typeof assessmentRuns>;

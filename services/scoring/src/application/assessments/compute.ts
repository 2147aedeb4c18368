/**
 * Computing assessments (decision 0019): a page of subjects at a time, their
 * figures gathered in one call per source, each scored with `assess()`, and
 * the page's writes applied together. A subject without an assessment gets
 * its first; a provisional one is rewritten only when its readings changed
 * (revision + 1 and `AssessmentComputed`); one under appeal or locked is
 * never touched.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '@learning/logger';
import {
  assess,
  metricsOfSystem,
  type IndicatorSystem,
  type MetricReading,
  type SystemTarget,
} from '../../domain/evaluation.js';
import type { EvaluationSources, IndicatorSystemReader, SubjectCard } from '../evaluation/ports.js';
import { computedEvent } from './events.js';
import type { AssessmentStore, AssessmentWrite, Computation, StoredAssessment } from './ports.js';

export interface ComputeDeps {
  readonly store: AssessmentStore;
  readonly systems: IndicatorSystemReader;
  readonly sources: EvaluationSources;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly logger: Logger;
}

export interface PageOutcome {
  readonly changed: number;
  readonly unchanged: number;
}

/** The system's target an assessment was computed for: its organization kind, or the areas. */
export const targetOf = (subject: Pick<SubjectCard, 'organizationKind'>): SystemTarget =>
  subject.organizationKind ?? 'area';

/**
 * The same readings under the same system version give the same digest, in
 * whatever order the sources answered: the test of "nothing changed".
 */
export function readingsDigest(
  system: IndicatorSystem,
  readings: readonly MetricReading[],
): string {
  const ordered = [...readings]
    .sort((a, b) => a.metric.localeCompare(b.metric))
    .map(({ metric, value, source, detail }) => [metric, value, source, detail ?? null]);
  return createHash('sha256')
    .update(JSON.stringify([system.id, system.version, ordered]))
    .digest('base64url');
}

export function computeAssessments(deps: ComputeDeps) {
  const { store, sources, clock } = deps;

  function computationOf(
    system: IndicatorSystem,
    subject: SubjectCard,
    readings: readonly MetricReading[],
    computedAt: Date,
  ): Computation {
    const result = assess(system, readings);
    return {
      subject,
      systemId: system.id,
      systemVersion: system.version,
      score: result.score,
      passMark: result.passMark,
      passed: result.passed,
      indicators: result.indicators,
      inputsDigest: readingsDigest(system, readings),
      computedAt,
    };
  }

  /** The write a subject needs, or none: the decision table of the module comment. */
  function writeFor(
    year: number,
    computation: Computation,
    current: StoredAssessment | undefined,
  ): AssessmentWrite | undefined {
    if (current === undefined) {
      const assessment = {
        ...computation,
        id: deps.newId(),
        year,
        sequence: 1,
        correctsId: null,
        correctionReason: null,
      };
      return {
        kind: 'insert',
        assessment,
        events: [computedEvent({ ...assessment, status: 'provisional', revision: 1 })],
      };
    }
    if (current.status !== 'provisional') return undefined;
    if (current.inputsDigest === computation.inputsDigest)
      return current.stale
        ? { kind: 'fresh', id: current.id, revision: current.revision }
        : undefined;
    const revision = current.revision + 1;
    return {
      kind: 'recomputed',
      id: current.id,
      revision: current.revision,
      computation,
      events: [
        computedEvent({
          ...computation,
          id: current.id,
          year,
          status: 'provisional',
          revision,
        }),
      ],
    };
  }

  /** Computes one page of subjects of the system's target; one gathering, one read, one write. */
  async function computePage(
    system: IndicatorSystem,
    subjects: readonly SubjectCard[],
  ): Promise<PageOutcome> {
    if (subjects.length === 0) return { changed: 0, unchanged: 0 };
    const kind = subjects[0]?.subjectKind ?? 'organization';
    const [readings, current] = await Promise.all([
      sources.inputs.collect(system.year, subjects, metricsOfSystem(system)),
      store.currentOf(
        system.year,
        kind,
        subjects.map((subject) => subject.subjectId),
      ),
    ]);
    const computedAt = clock();
    const writes: AssessmentWrite[] = [];
    for (const subject of subjects) {
      const computation = computationOf(
        system,
        subject,
        readings.get(subject.subjectId) ?? [],
        computedAt,
      );
      const write = writeFor(system.year, computation, current.get(subject.subjectId));
      if (write !== undefined) writes.push(write);
    }
    const outcome = await store.write(writes);
    const changed = outcome.inserted + outcome.recomputed;
    return { changed, unchanged: subjects.length - changed };
  }

  return {
    computationOf,
    computePage,

    /**
     * Recomputes the current provisional assessments marked stale, in pages
     * by id so that one whose system is gone does not hold up the rest.
     * Each is computed with the subject as it was stored: registration is
     * asked again by the next full run.
     */
    async recomputeStale(pageSize: number, signal?: AbortSignal): Promise<number> {
      let afterId: string | null = null;
      let recomputed = 0;
      for (;;) {
        signal?.throwIfAborted();
        const page = await store.stale(afterId, pageSize);
        const last = page.at(-1);
        if (last === undefined) return recomputed;
        afterId = last.id;
        const groups = new Map<string, StoredAssessment[]>();
        for (const assessment of page) {
          const key = `${String(assessment.year)}:${targetOf(assessment.subject)}`;
          groups.set(key, [...(groups.get(key) ?? []), assessment]);
        }
        for (const group of groups.values()) {
          const first = group[0];
          if (first === undefined) continue;
          const system = await deps.systems.forTarget(first.year, targetOf(first.subject));
          if (system === undefined) {
            deps.logger.warn(
              { year: first.year, target: targetOf(first.subject), assessments: group.length },
              'stale assessments without an indicator system: left stale',
            );
            continue;
          }
          const outcome = await computePage(
            system,
            group.map((assessment) => assessment.subject),
          );
          recomputed += outcome.changed;
        }
      }
    },
  };
}

export type ComputeAssessments = ReturnType<typeof computeAssessments>;

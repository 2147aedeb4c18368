/**
 * What the office and the organizations decide about an assessment: a
 * recomputation on demand, appeals and their decisions, locks (one, or a
 * whole year's) and corrections of locked results (decision 0019, 4–5).
 * Every change carries its audit record in the assessment's own outbox.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import { formatHundredths, metricsOfSystem, type SystemTarget } from '../../domain/evaluation.js';
import { administers, readsSubject } from '../evaluation/access.js';
import type { EvaluationSources, IndicatorSystemReader, SubjectCard } from '../evaluation/ports.js';
import { targetOf, type ComputeAssessments } from './compute.js';
import {
  alreadyCorrected,
  appealAlreadyOpen,
  appealIndicatorUnknown,
  appealNotAllowed,
  appealNotOpen,
  assessmentLocked,
  assessmentNotFound,
  assessmentNotLocked,
  assessmentUnderAppeal,
  revisionConflict,
  systemMissing,
} from './errors.js';
import { computedEvent, lockedEvent } from './events.js';
import type { AssessmentStore, LockChange, StoredAssessment } from './ports.js';

export interface DecisionDeps {
  readonly store: AssessmentStore;
  readonly compute: ComputeAssessments;
  readonly systems: IndicatorSystemReader;
  readonly sources: EvaluationSources;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId: () => string;
}

type AuditAction =
  'assessment.appeal' | 'assessment.appeal_decision' | 'assessment.lock' | 'assessment.correction';

/** What the audit log keeps of an assessment: its state, never its readings (no personal data in either). */
const auditView = (assessment: StoredAssessment) => ({
  status: assessment.status,
  score: formatHundredths(assessment.score),
  passed: assessment.passed,
  revision: assessment.revision,
  appealOpen: assessment.appeal !== null && assessment.appeal.decision === null,
  correctsId: assessment.correctsId,
  correctedById: assessment.correctedById,
});

export function assessmentDecisions(deps: DecisionDeps) {
  const { store, compute, systems, sources, audit, clock } = deps;

  const auditEntry = (
    principal: Principal,
    action: AuditAction,
    assessment: StoredAssessment,
    after: Record<string, unknown>,
    reason?: string,
  ): OutboxEntry =>
    audit.entry({
      actor: actorOf(principal),
      action,
      entityType: 'assessment',
      entityId: assessment.id,
      jurisdictionPath: assessment.subject.jurisdictionPath,
      before: auditView(assessment),
      after: { ...auditView(assessment), ...after },
      ...(reason === undefined ? {} : { reason }),
    });

  async function visible(principal: Principal, id: string): Promise<StoredAssessment> {
    const assessment = await store.get(id);
    if (assessment === undefined || !readsSubject(principal, assessment.subject))
      throw assessmentNotFound();
    return assessment;
  }

  async function mustGet(id: string): Promise<StoredAssessment> {
    const assessment = await store.get(id);
    if (assessment === undefined) throw assessmentNotFound();
    return assessment;
  }

  /** Why a write filtered on a provisional, current assessment found none: its state now. */
  function refusalFor(assessment: StoredAssessment): Error {
    if (assessment.status === 'locked') return assessmentLocked();
    if (assessment.status === 'under_appeal') return assessmentUnderAppeal();
    return revisionConflict();
  }

  async function systemFor(year: number, target: SystemTarget) {
    const system = await systems.forTarget(year, target);
    if (system === undefined) throw systemMissing(year, target);
    return system;
  }

  /** The subject as registration has it now, or as stored when registration no longer knows it. */
  async function subjectNow(assessment: StoredAssessment): Promise<SubjectCard> {
    const { subjectKind, subjectId } = assessment.subject;
    return (await sources.subjects.subject(subjectKind, subjectId)) ?? assessment.subject;
  }

  async function recompute(assessment: StoredAssessment): Promise<StoredAssessment> {
    const system = await systemFor(assessment.year, targetOf(assessment.subject));
    await compute.computePage(system, [await subjectNow(assessment)]);
    return mustGet(assessment.id);
  }

  return {
    /** The office's recomputation of one assessment, now; an unchanged result writes nothing. */
    async recompute(id: string): Promise<StoredAssessment> {
      const assessment = await mustGet(id);
      if (assessment.status !== 'provisional') throw refusalFor(assessment);
      return recompute(assessment);
    },

    async appeal(
      principal: Principal,
      id: string,
      input: { readonly grounds: string; readonly indicatorKeys: readonly string[] },
    ): Promise<StoredAssessment> {
      const assessment = await visible(principal, id);
      if (
        assessment.subject.subjectKind !== 'organization' ||
        !administers(principal, assessment.subject.subjectId)
      )
        throw appealNotAllowed();
      if (assessment.status === 'locked' || assessment.correctedById !== null)
        throw assessmentLocked();
      if (assessment.status === 'under_appeal') throw appealAlreadyOpen();
      const keys = new Set(assessment.indicators.map((indicator) => indicator.key));
      const unknown = input.indicatorKeys.find((key) => !keys.has(key));
      if (unknown !== undefined) throw appealIndicatorUnknown(unknown);
      const appeal = {
        id: deps.newId(),
        filedBy: principal.subject,
        filedAt: clock(),
        grounds: input.grounds,
        indicatorKeys: [...new Set(input.indicatorKeys)],
        decision: null,
      };
      const filed = await store.fileAppeal(id, appeal, [
        auditEntry(principal, 'assessment.appeal', assessment, {
          status: 'under_appeal',
          appealOpen: true,
        }),
      ]);
      if (filed !== undefined) return filed;
      const now = await mustGet(id);
      throw now.status === 'under_appeal' ? appealAlreadyOpen() : assessmentLocked();
    },

    /** Back to provisional either way; an upheld appeal is recomputed at once with the data it cites. */
    async decideAppeal(
      principal: Principal,
      id: string,
      input: { readonly outcome: 'upheld' | 'rejected'; readonly reason: string },
    ): Promise<StoredAssessment> {
      const assessment = await mustGet(id);
      if (assessment.status !== 'under_appeal') throw appealNotOpen();
      const decided = await store.decideAppeal(
        id,
        { ...input, decidedBy: principal.subject, decidedAt: clock() },
        [
          auditEntry(
            principal,
            'assessment.appeal_decision',
            assessment,
            { status: 'provisional', appealOpen: false, outcome: input.outcome },
            input.reason,
          ),
        ],
      );
      if (decided === undefined) throw appealNotOpen();
      return input.outcome === 'upheld' ? recompute(decided) : decided;
    },

    /** Locks one assessment at the revision the office read (absent: the current one). */
    async lock(
      principal: Principal,
      id: string,
      expectedRevision: number | undefined,
    ): Promise<StoredAssessment> {
      const assessment = await mustGet(id);
      if (assessment.status !== 'provisional') throw refusalFor(assessment);
      if (expectedRevision !== undefined && expectedRevision !== assessment.revision)
        throw revisionConflict();
      const lockedAt = clock();
      const locked = await store.lock(id, assessment.revision, lockChange(principal, lockedAt));
      if (locked === undefined) throw refusalFor(await mustGet(id));
      await systems.freeze(locked.systemId, lockedAt);
      return locked;
    },

    /** Locks the year's provisional assessments of a target; those under appeal are skipped and counted. */
    async lockAll(
      principal: Principal,
      year: number,
      target: SystemTarget,
    ): Promise<{ readonly locked: number; readonly skipped: number }> {
      const system = await systemFor(year, target);
      const lockedAt = clock();
      const outcome = await store.lockAll(year, target, lockChange(principal, lockedAt));
      if (outcome.locked > 0) await systems.freeze(system.id, lockedAt);
      return outcome;
    },

    /**
     * A correction of a locked result: a new provisional assessment with the
     * next sequence, computed now, naming the locked one, which keeps its
     * result and points to the correction.
     */
    async correct(principal: Principal, id: string, reason: string): Promise<StoredAssessment> {
      const locked = await mustGet(id);
      if (locked.status !== 'locked') throw assessmentNotLocked();
      if (locked.correctedById !== null) throw alreadyCorrected();
      const system = await systemFor(locked.year, targetOf(locked.subject));
      const subject = await subjectNow(locked);
      const readings = await sources.inputs.collect(
        locked.year,
        [subject],
        metricsOfSystem(system),
      );
      const computation = compute.computationOf(
        system,
        subject,
        readings.get(subject.subjectId) ?? [],
        clock(),
      );
      const correction = {
        ...computation,
        id: deps.newId(),
        year: locked.year,
        sequence: locked.sequence + 1,
        correctsId: locked.id,
        correctionReason: reason,
      };
      const added = await store.correct(locked.id, correction, [
        computedEvent({ ...correction, status: 'provisional', revision: 1 }),
        auditEntry(
          principal,
          'assessment.correction',
          locked,
          { correctedById: correction.id },
          reason,
        ),
      ]);
      if (!added) throw alreadyCorrected();
      return mustGet(correction.id);
    },
  };

  function lockChange(principal: Principal, lockedAt: Date): LockChange {
    return {
      lockedAt,
      lockedBy: principal.subject,
      eventsFor: (assessment) => [
        lockedEvent(assessment, lockedAt),
        auditEntry(principal, 'assessment.lock', assessment, { status: 'locked' }),
      ],
    };
  }
}

export type AssessmentDecisions = ReturnType<typeof assessmentDecisions>;

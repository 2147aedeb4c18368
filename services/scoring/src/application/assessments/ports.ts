/**
 * What the assessments slice needs besides the evaluation's shared seams
 * (../evaluation/ports.ts): the assessments and inspections it writes, and the
 * runs' progress shared by the replicas.
 */
import type { OutboxEntry } from '@learning/events';
import type {
  AssessmentStatus,
  IndicatorResult,
  SubjectKind,
  SystemTarget,
} from '../../domain/evaluation.js';
import type { SubjectCard } from '../evaluation/ports.js';

export interface AppealDecision {
  readonly outcome: 'upheld' | 'rejected';
  readonly reason: string;
  readonly decidedBy: string;
  readonly decidedAt: Date;
}

export interface Appeal {
  readonly id: string;
  readonly filedBy: string;
  readonly filedAt: Date;
  readonly grounds: string;
  /** Empty: the whole result. */
  readonly indicatorKeys: readonly string[];
  readonly decision: AppealDecision | null;
}

/** What a computation produces for one subject: the result and what it was computed from. */
export interface Computation {
  readonly subject: SubjectCard;
  readonly systemId: string;
  readonly systemVersion: number;
  /** Hundredths of a point. */
  readonly score: number;
  readonly passMark: number;
  readonly passed: boolean;
  readonly indicators: readonly IndicatorResult[];
  readonly inputsDigest: string;
  readonly computedAt: Date;
}

export interface StoredAssessment extends Computation {
  readonly id: string;
  readonly year: number;
  readonly sequence: number;
  readonly status: AssessmentStatus;
  readonly revision: number;
  readonly stale: boolean;
  readonly appeal: Appeal | null;
  readonly lockedAt: Date | null;
  readonly lockedBy: string | null;
  readonly correctsId: string | null;
  readonly correctedById: string | null;
  readonly correctionReason: string | null;
}

export interface NewAssessment extends Computation {
  readonly id: string;
  readonly year: number;
  readonly sequence: number;
  readonly correctsId: string | null;
  readonly correctionReason: string | null;
}

/**
 * One page's writes, applied together. Every update applies only to a
 * provisional assessment at the revision read, so a lock or an appeal that
 * won the race is never overwritten.
 */
export type AssessmentWrite =
  | {
      readonly kind: 'insert';
      readonly assessment: NewAssessment;
      readonly events: readonly OutboxEntry[];
    }
  | {
      readonly kind: 'recomputed';
      readonly id: string;
      readonly revision: number;
      readonly computation: Computation;
      readonly events: readonly OutboxEntry[];
    }
  /** Recomputed to the same readings: only the stale mark goes. */
  | { readonly kind: 'fresh'; readonly id: string; readonly revision: number };

export interface WriteOutcome {
  readonly inserted: number;
  readonly recomputed: number;
  /** Writes lost to a concurrent change (a lock, an appeal, another replica's insert): left as that change made them. */
  readonly lost: number;
}

/** Who may be listed: any clause admits an assessment (a principal with several roles has several). */
export type ListScope =
  | { readonly all: true }
  | {
      readonly all: false;
      /** Area officers: assessments whose path holds one of these codes. */
      readonly jurisdictions: readonly string[];
      /** Department officers: organizations whose kind their department leads. */
      readonly leadDepartment: string | null;
      /** Organization admins: their own organizations. */
      readonly organizationIds: readonly string[];
    };

export interface AssessmentQuery {
  readonly year: number;
  readonly target?: SystemTarget;
  readonly jurisdictionCode?: string;
  readonly passed?: boolean;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface AssessmentPage {
  readonly items: readonly StoredAssessment[];
  readonly nextPageToken: string | null;
}

export interface LockChange {
  readonly lockedAt: Date;
  readonly lockedBy: string;
  /** The lock's events and audit record for one assessment. */
  readonly eventsFor: (assessment: StoredAssessment) => readonly OutboxEntry[];
}

export interface AssessmentStore {
  get(id: string): Promise<StoredAssessment | undefined>;
  /** The current assessments (no correction replaced them) of these subjects in `year`, by subject id. */
  currentOf(
    year: number,
    kind: SubjectKind,
    subjectIds: readonly string[],
  ): Promise<ReadonlyMap<string, StoredAssessment>>;
  write(writes: readonly AssessmentWrite[]): Promise<WriteOutcome>;
  /** Current provisional assessments marked stale, by id after `afterId`, at most `limit`. */
  stale(afterId: string | null, limit: number): Promise<readonly StoredAssessment[]>;
  /** Marks the subject's current provisional assessment of `year` stale; true when there was one. */
  markStale(kind: SubjectKind, subjectId: string, year: number): Promise<boolean>;
  list(query: AssessmentQuery, scope: ListScope): Promise<AssessmentPage>;
  /** Every assessment of the organization in `year` (corrected ones too), oldest first. */
  ofOrganization(organizationId: string, year: number): Promise<readonly StoredAssessment[]>;
  /** Opens an appeal on a current provisional assessment; undefined when it is not one (any more). */
  fileAppeal(
    id: string,
    appeal: Appeal,
    events: readonly OutboxEntry[],
  ): Promise<StoredAssessment | undefined>;
  /** Decides the open appeal; the assessment is provisional again. Undefined when none is open. */
  decideAppeal(
    id: string,
    decision: AppealDecision,
    events: readonly OutboxEntry[],
  ): Promise<StoredAssessment | undefined>;
  /** Locks one provisional assessment at `revision`; undefined when it is not that any more. */
  lock(id: string, revision: number, change: LockChange): Promise<StoredAssessment | undefined>;
  /** Locks every current provisional assessment of the year's target, in pages; counts those under appeal as skipped. */
  lockAll(
    year: number,
    target: SystemTarget,
    change: LockChange,
  ): Promise<{ readonly locked: number; readonly skipped: number }>;
  /**
   * Adds the correction and links the locked assessment to it; false when
   * another correction got there first (the sequence is taken, or the locked
   * one is linked already).
   */
  correct(
    lockedId: string,
    correction: NewAssessment,
    events: readonly OutboxEntry[],
  ): Promise<boolean>;
}

export interface NewInspection {
  readonly id: string;
  readonly year: number;
  readonly subject: SubjectCard;
  readonly inspectedOn: string;
  readonly inspectorId: string;
  readonly findings: string;
  readonly rating: number;
  readonly photos: readonly { readonly fileRef: string; readonly caption: string }[];
  readonly createdAt: Date;
}

export interface StoredInspection extends Omit<NewInspection, 'subject'> {
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  readonly jurisdictionPath: readonly string[];
}

export interface InspectionStore {
  add(inspection: NewInspection, events: readonly OutboxEntry[]): Promise<StoredInspection>;
  /** A subject's inspections of a year, latest visit first. */
  list(
    kind: SubjectKind,
    subjectId: string,
    year: number,
    page: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<{
    readonly items: readonly StoredInspection[];
    readonly nextPageToken: string | null;
  }>;
}

export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface RunProgress {
  readonly id: string;
  readonly year: number;
  readonly target: SystemTarget;
  readonly status: RunStatus;
  readonly subjects: number;
  /** Assessments inserted or changed. */
  readonly changed: number;
  /** Computed to the readings they already had, or held by an appeal or a lock. */
  readonly unchanged: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

/** Runs and their progress, shared by the replicas: one run per year and target at a time. */
export interface RunRegistry {
  claim(
    progress: RunProgress,
    leaseMs: number,
  ): Promise<{ claimed: true } | { claimed: false; runningId: string }>;
  save(progress: RunProgress, leaseMs: number): Promise<void>;
  find(id: string): Promise<RunProgress | null>;
}

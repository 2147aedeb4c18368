/**
 * The seams between the annual evaluation's parts (decision 0019), so each
 * can be built and tested on its own: who is assessed, the figures they are
 * assessed on, and the current assessment as nominations cite it.
 */
import type { OrganizationKind } from '@learning/domain';
import type {
  AssessmentStatus,
  MetricKey,
  MetricReading,
  SubjectKind,
  SystemTarget,
} from '../../domain/evaluation.js';

/** An organization or an area as the evaluation names, files and routes it. */
export interface SubjectCard {
  readonly subjectKind: SubjectKind;
  /** The organization's id, or the area's jurisdiction code. */
  readonly subjectId: string;
  readonly name: string;
  readonly organizationKind: OrganizationKind | null;
  /** The department leading the organization's kind; null for areas. */
  readonly leadDepartment: string | null;
  /** From the city down to the subject's own place (an area's ends with its own code). */
  readonly jurisdictionPath: readonly string[];
}

/** Who an assessment run covers, from registration. */
export interface SubjectDirectory {
  /** Every subject of the target (its organizations that are recognized or pending, or every township and street), in pages. */
  subjects(target: SystemTarget): AsyncIterable<readonly SubjectCard[]>;
  /** One subject; undefined when registration knows no such organization or area. */
  subject(kind: SubjectKind, id: string): Promise<SubjectCard | undefined>;
}

/** The figures of a city year, gathered in bulk: one call per page of subjects, never one per subject and metric. */
export interface EvaluationInputs {
  collect(
    year: number,
    subjects: readonly SubjectCard[],
    metrics: readonly MetricKey[],
  ): Promise<ReadonlyMap<string, readonly MetricReading[]>>;
}

/** A subject's current assessment of a year, as nominations and other services cite it. */
export interface AssessmentSummary {
  readonly assessmentId: string;
  readonly subject: SubjectCard;
  readonly year: number;
  readonly status: AssessmentStatus;
  readonly systemId: string;
  readonly systemVersion: number;
  /** Hundredths of a point. */
  readonly score: number;
  readonly passMark: number;
  readonly passed: boolean;
  /** Among the year's assessments of the same organization kind, or of all areas; from 1. */
  readonly rank: number;
  readonly rankedOutOf: number;
  readonly computedAt: Date;
  readonly lockedAt: Date | null;
  readonly correctsId: string | null;
}

export interface AssessmentSummaries {
  current(
    kind: SubjectKind,
    subjectId: string,
    year: number,
  ): Promise<AssessmentSummary | undefined>;
}

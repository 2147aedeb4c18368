/**
 * The seams between the annual evaluation's parts (decision 0019), so each
 * can be built and tested on its own: who is assessed, the figures they are
 * assessed on, and the current assessment as nominations cite it.
 */
import type { OrganizationKind } from '@learning/domain';
import type {
  AssessmentStatus,
  IndicatorSystem,
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

/** The year's indicator system for a target, as the computation reads it. */
export interface IndicatorSystemReader {
  /** The target's system of the year at its current version; undefined when the office has not set one. */
  forTarget(year: number, target: SystemTarget): Promise<IndicatorSystem | undefined>;
  /** A system as it stood at a version (what an assessment was computed under); undefined when unknown. */
  atVersion(id: string, version: number): Promise<IndicatorSystem | undefined>;
  /** Freezes the system once an assessment under it is locked; freezing again changes nothing. */
  freeze(id: string, at: Date): Promise<void>;
}

/**
 * One source's share of the inputs: the figures it keeps, gathered for a page
 * of subjects at once. The inputs ask each gatherer only for the metrics it
 * declares and the system needs.
 */
export interface MetricGatherer {
  readonly metrics: readonly MetricKey[];
  gather(
    year: number,
    subjects: readonly SubjectCard[],
    metrics: readonly MetricKey[],
  ): Promise<ReadonlyMap<string, readonly MetricReading[]>>;
}

/** What the assessments are computed from, wired once per replica (src/adapters/evaluation/sources.ts). */
export interface EvaluationSources {
  readonly subjects: SubjectDirectory;
  readonly inputs: EvaluationInputs;
}

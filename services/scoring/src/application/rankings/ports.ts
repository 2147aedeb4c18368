/** What the ranking exports read: the year's current assessments of one target, best first. */
import type { AssessmentStatus, SystemTarget } from '../../domain/evaluation.js';

export interface RankedAssessment {
  readonly subjectId: string;
  readonly name: string;
  /** The township or street the subject is in (an area's own code); null for the city itself. */
  readonly townshipCode: string | null;
  /** Hundredths of a point. */
  readonly score: number;
  readonly passed: boolean;
  readonly status: AssessmentStatus;
  /** Each indicator's score, hundredths of a point, by key. */
  readonly indicatorScores: ReadonlyMap<string, number>;
}

/** Whose assessments a reader reaches: all when empty. */
export interface RankingScope {
  /** Only organizations of kinds this department leads. */
  readonly leadDepartment?: string;
  /** Only subjects whose place is one of these or under one of them. */
  readonly within?: readonly string[];
}

export interface RankingSource {
  /**
   * The current assessments (not corrected) of the year and target, best
   * first (then by name), read in batches as they are consumed: never the
   * whole year in memory at once.
   */
  read(year: number, target: SystemTarget, scope: RankingScope): AsyncIterable<RankedAssessment>;
}

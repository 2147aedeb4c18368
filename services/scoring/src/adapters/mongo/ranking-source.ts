/**
 * The ranking exports' read of the assessments: the year's current ones of a
 * target, best first, through a cursor in batches (the index on year, kind,
 * organization kind and score serves it), so a year of 100,000 organizations
 * never sits in memory at once.
 */
import type { Model, RootFilterQuery } from 'mongoose';
import type {
  RankedAssessment,
  RankingScope,
  RankingSource,
} from '../../application/rankings/ports.js';
import type { SystemTarget } from '../../domain/evaluation.js';
import type { AssessmentDocument } from './evaluation-models.js';

/** Documents fetched per round trip. */
const BATCH_SIZE = 500;

type RankingFields = Pick<
  AssessmentDocument,
  'subjectId' | 'subjectName' | 'jurisdictionPath' | 'score' | 'passed' | 'status' | 'indicators'
>;

const FIELDS = {
  subjectId: 1,
  subjectName: 1,
  jurisdictionPath: 1,
  score: 1,
  passed: 1,
  status: 1,
  'indicators.key': 1,
  'indicators.score': 1,
} as const;

export class MongoRankingSource implements RankingSource {
  constructor(private readonly assessments: Model<AssessmentDocument>) {}

  async *read(
    year: number,
    target: SystemTarget,
    scope: RankingScope,
  ): AsyncIterable<RankedAssessment> {
    const filter: RootFilterQuery<AssessmentDocument> =
      target === 'area'
        ? { year, subjectKind: 'area', correctedById: null }
        : { year, subjectKind: 'organization', organizationKind: target, correctedById: null };
    if (scope.leadDepartment !== undefined) filter.leadDepartment = scope.leadDepartment;
    if (scope.within !== undefined) filter.jurisdictionPath = { $in: [...scope.within] };
    const cursor = this.assessments
      .find(filter, FIELDS)
      .sort({ score: -1, subjectName: 1, _id: 1 })
      .lean<RankingFields>()
      .cursor({ batchSize: BATCH_SIZE });
    for await (const document of cursor) yield rankedOf(document);
  }
}

const rankedOf = (document: RankingFields): RankedAssessment => ({
  subjectId: document.subjectId,
  name: document.subjectName,
  townshipCode: document.jurisdictionPath[1] ?? null,
  score: document.score,
  passed: document.passed,
  status: document.status,
  indicatorScores: new Map(document.indicators.map(({ key, score }) => [key, score])),
});

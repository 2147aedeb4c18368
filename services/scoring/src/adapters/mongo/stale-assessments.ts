/** Stale marks on the shared assessments collection: only current provisional ones, never a locked or appealed result. */
import type { Model } from 'mongoose';
import type { StaleAssessments } from '../../application/evaluation/stale-inputs.js';
import type { SubjectKind } from '../../domain/evaluation.js';
import type { AssessmentDocument } from './evaluation-models.js';

export class MongoStaleAssessments implements StaleAssessments {
  constructor(private readonly assessments: Model<AssessmentDocument>) {}

  async mark(year: number, kind: SubjectKind, subjectIds: readonly string[]): Promise<number> {
    if (subjectIds.length === 0) return 0;
    const result = await this.assessments.updateMany(
      {
        year,
        subjectKind: kind,
        subjectId: { $in: [...subjectIds] },
        status: 'provisional',
        correctedById: null,
        // Already stale: nothing to write.
        stale: false,
      },
      { $set: { stale: true } },
    );
    return result.modifiedCount;
  }
}

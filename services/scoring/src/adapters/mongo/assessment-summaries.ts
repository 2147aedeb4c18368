/**
 * A subject's current assessment of a year (the one no correction replaced)
 * with its rank among the year's current assessments of the same
 * organization kind, or of all areas: what nominations cite and the gRPC
 * summary answers.
 */
import type { Model } from 'mongoose';
import type { SubjectKind } from '../../domain/evaluation.js';
import type { AssessmentSummaries, AssessmentSummary } from '../../application/evaluation/ports.js';
import type { AssessmentDocument } from './evaluation-models.js';

export class MongoAssessmentSummaries implements AssessmentSummaries {
  constructor(private readonly assessments: Model<AssessmentDocument>) {}

  async current(
    kind: SubjectKind,
    subjectId: string,
    year: number,
  ): Promise<AssessmentSummary | undefined> {
    const document = await this.assessments
      .findOne({ year, subjectKind: kind, subjectId, correctedById: null })
      .sort({ sequence: -1 })
      .lean<AssessmentDocument>();
    if (document === null) return undefined;
    const peers = {
      year,
      subjectKind: kind,
      organizationKind: document.organizationKind,
      correctedById: null,
    };
    const [better, rankedOutOf] = await Promise.all([
      this.assessments.countDocuments({ ...peers, score: { $gt: document.score } }),
      this.assessments.countDocuments(peers),
    ]);
    return {
      assessmentId: document._id,
      subject: {
        subjectKind: document.subjectKind,
        subjectId: document.subjectId,
        name: document.subjectName,
        organizationKind: document.organizationKind,
        leadDepartment: document.leadDepartment,
        jurisdictionPath: [...document.jurisdictionPath],
      },
      year: document.year,
      status: document.status,
      systemId: document.systemId,
      systemVersion: document.systemVersion,
      score: document.score,
      passMark: document.passMark,
      passed: document.passed,
      rank: better + 1,
      rankedOutOf,
      computedAt: document.computedAt,
      lockedAt: document.lockedAt,
      correctsId: document.correctsId,
    };
  }
}

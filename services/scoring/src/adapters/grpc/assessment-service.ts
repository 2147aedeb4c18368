/** learning.scoring.v1.AssessmentService: a subject's current assessment of a year, for other services (service tokens only). */
import { chinaYearOf } from '@learning/domain';
import type { GrpcServer } from '@learning/grpc';
import { isJurisdictionCode, isUuid } from '@learning/http';
import { scoring } from '@learning/proto';
import { assessmentNotFound, subjectInvalid } from '../../application/assessments/errors.js';
import { routingOf, statusToProto } from '../../application/assessments/events.js';
import type { AssessmentSummaries } from '../../application/evaluation/ports.js';
import { formatHundredths, type SubjectKind } from '../../domain/evaluation.js';

const KINDS: Partial<Record<scoring.SubjectKind, SubjectKind>> = {
  [scoring.SubjectKind.SUBJECT_KIND_ORGANIZATION]: 'organization',
  [scoring.SubjectKind.SUBJECT_KIND_AREA]: 'area',
};
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

export function registerAssessmentService(
  grpc: GrpcServer,
  deps: { readonly summaries: AssessmentSummaries; readonly clock: () => Date },
): void {
  grpc.addService(scoring.AssessmentServiceService, {
    async getAssessmentSummary(request) {
      const kind = KINDS[request.subjectKind];
      const validId =
        kind === 'organization'
          ? isUuid(request.subjectId)
          : kind === 'area' && isJurisdictionCode(request.subjectId);
      // Zero is "the current year" in the contract.
      const year = request.year === 0 ? chinaYearOf(deps.clock()) : request.year;
      if (kind === undefined || !validId || year < FIRST_YEAR || year > LAST_YEAR)
        throw subjectInvalid();
      const summary = await deps.summaries.current(kind, request.subjectId, year);
      if (summary === undefined) throw assessmentNotFound();
      return {
        summary: {
          assessmentId: summary.assessmentId,
          routing: routingOf(summary.subject, summary.year),
          status: statusToProto(summary.status),
          indicatorSystemId: summary.systemId,
          indicatorSystemVersion: summary.systemVersion,
          score: formatHundredths(summary.score),
          passMark: formatHundredths(summary.passMark),
          passed: summary.passed,
          rank: summary.rank,
          rankedOutOf: summary.rankedOutOf,
          computedAt: summary.computedAt,
          ...(summary.lockedAt === null ? {} : { lockedAt: summary.lockedAt }),
          correctsAssessmentId: summary.correctsId ?? '',
        },
      };
    },
  });
}

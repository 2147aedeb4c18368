/** The evaluation's events of an assessment (libs/contracts evaluationEvents), keyed by the subject. */
import { evaluationEvents, organizationKindMapping } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import { common, scoring } from '@learning/proto';
import {
  formatHundredths,
  type AssessmentStatus,
  type SubjectKind,
} from '../../domain/evaluation.js';
import type { SubjectCard } from '../evaluation/ports.js';
import type { StoredAssessment } from './ports.js';

const SUBJECT_KINDS: Record<SubjectKind, scoring.SubjectKind> = {
  organization: scoring.SubjectKind.SUBJECT_KIND_ORGANIZATION,
  area: scoring.SubjectKind.SUBJECT_KIND_AREA,
};

const STATUSES: Record<AssessmentStatus, scoring.AssessmentStatus> = {
  provisional: scoring.AssessmentStatus.ASSESSMENT_STATUS_PROVISIONAL,
  under_appeal: scoring.AssessmentStatus.ASSESSMENT_STATUS_UNDER_APPEAL,
  locked: scoring.AssessmentStatus.ASSESSMENT_STATUS_LOCKED,
};

export const subjectKindToProto = (kind: SubjectKind): scoring.SubjectKind => SUBJECT_KINDS[kind];
export const statusToProto = (status: AssessmentStatus): scoring.AssessmentStatus =>
  STATUSES[status];

export const routingOf = (subject: SubjectCard, year: number): scoring.EvaluationRouting => ({
  subjectKind: SUBJECT_KINDS[subject.subjectKind],
  subjectId: subject.subjectId,
  organizationKind:
    subject.organizationKind === null
      ? common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED
      : organizationKindMapping.toProto(subject.organizationKind),
  leadDepartment: subject.leadDepartment ?? '',
  jurisdictionPath: [...subject.jurisdictionPath],
  year,
});

/** Published on the first computation and on each that changes the result. */
export const computedEvent = (assessment: {
  readonly id: string;
  readonly year: number;
  readonly subject: SubjectCard;
  readonly systemId: string;
  readonly systemVersion: number;
  readonly score: number;
  readonly passMark: number;
  readonly passed: boolean;
  readonly status: AssessmentStatus;
  readonly revision: number;
  readonly computedAt: Date;
}): OutboxEntry =>
  newEvent(evaluationEvents.AssessmentComputed, assessment.subject.subjectId, {
    assessmentId: assessment.id,
    routing: routingOf(assessment.subject, assessment.year),
    indicatorSystemId: assessment.systemId,
    indicatorSystemVersion: assessment.systemVersion,
    score: formatHundredths(assessment.score),
    passMark: formatHundredths(assessment.passMark),
    passed: assessment.passed,
    status: STATUSES[assessment.status],
    revision: assessment.revision,
    computedAt: assessment.computedAt,
  });

export const lockedEvent = (assessment: StoredAssessment, lockedAt: Date): OutboxEntry =>
  newEvent(evaluationEvents.AssessmentLocked, assessment.subject.subjectId, {
    assessmentId: assessment.id,
    routing: routingOf(assessment.subject, assessment.year),
    score: formatHundredths(assessment.score),
    passMark: formatHundredths(assessment.passMark),
    passed: assessment.passed,
    correctsAssessmentId: assessment.correctsId ?? '',
    lockedAt,
  });

/**
 * What the scoring service's annual evaluation publishes: assessments keyed by
 * their subject (the organization's id or the area's code), awards and cases
 * by the nominee; every payload carries the routing fields departments and
 * areas filter on.
 */
import { defineEvent, topics } from '@learning/events';
import { scoring } from '@learning/proto';
export const AssessmentComputed = defineEvent(
  'scoring.assessment.computed.v1',
  topics.scoringAssessments,
  scoring.AssessmentComputed,
);
export const AssessmentLocked = defineEvent(
  'scoring.assessment.locked.v1',
  topics.scoringAssessments,
  scoring.AssessmentLocked,
);
export const AwardGranted = defineEvent(
  'scoring.award.granted.v1',
  topics.scoringAwards,
  scoring.AwardGranted,
);
export const CasePublished = defineEvent(
  'scoring.case.published.v1',
  topics.scoringAwards,
  scoring.CasePublished,
);

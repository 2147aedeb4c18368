/**
 * What the lectures service publishes: its sessions' life (registration
 * consumes cancellations and reschedules; activities counts sessions toward
 * campaign goals), feedback, coverage gaps, and completions in the online
 * library (scoring credits them). Each carries its routing fields: the place
 * from the city down, the forum and the lead department.
 */
import { defineEvent, topics } from '@learning/events';
import { lectures } from '@learning/proto';

export const SessionScheduled = defineEvent(
  'lectures.session.scheduled.v1',
  topics.lecturesSessions,
  lectures.SessionScheduled,
);
export const SessionCancelled = defineEvent(
  'lectures.session.cancelled.v1',
  topics.lecturesSessions,
  lectures.SessionCancelled,
);
export const SessionRescheduled = defineEvent(
  'lectures.session.rescheduled.v1',
  topics.lecturesSessions,
  lectures.SessionRescheduled,
);
export const SessionHeld = defineEvent(
  'lectures.session.held.v1',
  topics.lecturesSessions,
  lectures.SessionHeld,
);
export const MaterialsPublished = defineEvent(
  'lectures.session.materials-published.v1',
  topics.lecturesSessions,
  lectures.MaterialsPublished,
);
export const FeedbackSubmitted = defineEvent(
  'lectures.feedback.submitted.v1',
  topics.lecturesSessions,
  lectures.FeedbackSubmitted,
);
export const CoverageGapDetected = defineEvent(
  'lectures.coverage.gap-detected.v1',
  topics.lecturesCoverage,
  lectures.CoverageGapDetected,
);
export const LessonCompleted = defineEvent(
  'lectures.lesson.completed.v1',
  topics.lecturesLibrary,
  lectures.LessonCompleted,
);

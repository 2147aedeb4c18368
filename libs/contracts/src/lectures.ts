/** What the lectures service publishes about its sessions; registration consumes these first. */
import { defineEvent, topics } from '@learning/events';
import { lectures } from '@learning/proto';

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

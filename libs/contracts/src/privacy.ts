/**
 * Personal-information erasure (closing an account, 注销), on the privacy
 * erasures topic keyed by participant id: registration publishes the request,
 * every service (registration included) publishes its completion once it has
 * erased or pseudonymized what it holds, and registration shows the request's
 * progress from those completions.
 */
import { defineEvent, topics, type EventDefinition } from '@learning/events';
import { privacy } from '@learning/proto';

const topic = topics.privacyErasures;

/** A person closed their account: erase what you hold about them. */
export const erasureRequested = defineEvent(
  'registration.erasure.requested.v1',
  topic,
  privacy.ErasureRequested,
);

const completedBy = (service: string): EventDefinition<privacy.ErasureCompleted> =>
  defineEvent(`${service}.erasure.completed.v1`, topic, privacy.ErasureCompleted);

/** Registration erased the record, contacts and account link. */
export const registrationErasureCompleted = completedBy('registration');
/** Activities erased sign-ups' personal details, memberships of teams, training records. */
export const activitiesErasureCompleted = completedBy('activities');
/** Lectures erased attendance, feedback, library progress. */
export const lecturesErasureCompleted = completedBy('lectures');
/** Scoring erased records and nominations; ledger entries kept, pseudonymized. */
export const scoringErasureCompleted = completedBy('scoring');
/** Notifications erased inboxes, preferences and delivery records. */
export const notificationsErasureCompleted = completedBy('notifications');

/** Every service's completion, by service: the services an erasure waits for. */
export const erasureCompletedBy = {
  registration: registrationErasureCompleted,
  activities: activitiesErasureCompleted,
  lectures: lecturesErasureCompleted,
  scoring: scoringErasureCompleted,
  notifications: notificationsErasureCompleted,
} as const;

export type ErasingService = keyof typeof erasureCompletedBy;

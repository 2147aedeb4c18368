/**
 * The session events as the contracts carry them, each with the whole
 * summary (routing fields: the place from the city down, the forum, the lead
 * department), and the session as the audit log shows it.
 */
import { lectureEvents } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import { sessionSummaryOf } from '../session-summary.js';
import type { StoredSession } from './ports.js';

/** Seats as the contracts carry them: absent means unlimited. */
export const capacityOf = (session: Pick<StoredSession, 'capacity'>): number | undefined =>
  session.capacity ?? undefined;

export const scheduledEvent = (
  session: StoredSession,
  at: Date,
  speakerNames: readonly string[],
): OutboxEntry =>
  newEvent(lectureEvents.SessionScheduled, session.id, {
    session: sessionSummaryOf(session, speakerNames),
    capacity: capacityOf(session),
    signUpOpensAt: session.signUpOpensAt,
    signUpClosesAt: session.signUpClosesAt,
    scheduledAt: at,
  });

export const rescheduledEvent = (
  before: StoredSession,
  after: StoredSession,
  reason: string,
  at: Date,
  speakerNames: readonly string[],
): OutboxEntry => {
  const capacityChanged = before.capacity !== after.capacity;
  return newEvent(lectureEvents.SessionRescheduled, after.id, {
    sessionId: after.id,
    startsAt: after.startsAt,
    endsAt: after.endsAt,
    capacity: capacityChanged ? capacityOf(after) : undefined,
    capacityUnlimited: capacityChanged && after.capacity === null,
    reason,
    rescheduledAt: at,
    jurisdictionPath: [...after.jurisdictionPath],
    session: sessionSummaryOf(after, speakerNames),
    previousStartsAt: before.startsAt,
    previousEndsAt: before.endsAt,
  });
};

export const cancelledEvent = (session: StoredSession, reason: string, at: Date): OutboxEntry =>
  newEvent(lectureEvents.SessionCancelled, session.id, {
    sessionId: session.id,
    reason,
    cancelledAt: at,
    forum: session.forumId,
    jurisdictionPath: [...session.jurisdictionPath],
    session: sessionSummaryOf(session),
  });

/** What the audit log keeps of a session: no personal data is in one. */
export const auditViewOf = (session: Omit<StoredSession, 'version'>) => ({
  forumId: session.forumId,
  title: session.title,
  venueId: session.venue.id,
  startsAt: session.startsAt.toISOString(),
  endsAt: session.endsAt.toISOString(),
  speakerIds: [...session.speakerIds],
  capacity: session.capacity,
  signUpOpensAt: session.signUpOpensAt.toISOString(),
  signUpClosesAt: session.signUpClosesAt.toISOString(),
  campaignId: session.campaignId,
  status: session.status,
});

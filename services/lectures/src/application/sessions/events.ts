/**
 * The session events as the contracts carry them, each with the whole
 * summary (routing fields: the place from the city down, the forum, the lead
 * department), and the session as the audit log shows it.
 */
import { contentCategoryMapping, lectureEvents, tierMapping } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import { lectures } from '@learning/proto';
import type { VenueSetting } from '../../domain/sessions.js';
import type { StoredSession } from './ports.js';

const SETTINGS: Readonly<Record<VenueSetting, lectures.VenueSetting>> = {
  city: lectures.VenueSetting.VENUE_SETTING_CITY,
  countryside: lectures.VenueSetting.VENUE_SETTING_COUNTRYSIDE,
};

/** Seats as the contracts carry them: absent means unlimited. */
export const capacityOf = (session: Pick<StoredSession, 'capacity'>): number | undefined =>
  session.capacity ?? undefined;

export function summaryOf(session: StoredSession): lectures.SessionSummary {
  return {
    sessionId: session.id,
    forumId: session.forumId,
    leadDepartment: session.leadDepartment,
    lectureType: session.lectureType,
    title: session.title,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    jurisdictionPath: [...session.jurisdictionPath],
    townshipCode: session.venue.townshipCode,
    venueSetting: SETTINGS[session.venue.setting],
    venueId: session.venue.id,
    campaignId: session.campaignId ?? '',
    categories: session.categories.map((category) => contentCategoryMapping.toProto(category)),
    targetTiers: session.targetTiers.map((tier) => tierMapping.toProto(tier)),
    speakerIds: [...session.speakerIds],
  };
}

export const scheduledEvent = (session: StoredSession, at: Date): OutboxEntry =>
  newEvent(lectureEvents.SessionScheduled, session.id, {
    session: summaryOf(session),
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
    session: summaryOf(after),
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
    session: summaryOf(session),
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

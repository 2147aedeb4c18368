/**
 * What others see of an activity: its events (every one carries the
 * organizer, its organization kind and lead department, the jurisdiction path
 * and the campaign, so a department's consumer filters what it owns) and the
 * audit log's view of it.
 */
import {
  activityEvents,
  organizationKindMapping,
  tierMapping,
  contentCategoryMapping,
} from '@learning/contracts';
import { ORGANIZATION_KINDS, type OrganizationKind } from '@learning/domain';
import { newEvent, type OutboxEntry } from '@learning/events';
import { activities, common } from '@learning/proto';
import type { ActivityEvent } from '../../domain/activity-lifecycle.js';
import { endOf, learningMinutesOf, startOf, type Schedule } from '../../domain/schedule.js';
import type { StoredActivity } from './activity-repository.js';

const organizationKindOf = (kind: string): common.OrganizationKind => {
  const known = ORGANIZATION_KINDS.find((candidate) => candidate === kind);
  return known === undefined
    ? common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED
    : organizationKindMapping.toProto(known satisfies OrganizationKind);
};

/** The routing fields every activity event and the gRPC view share. */
export function routingOf(activity: StoredActivity) {
  const { organizer } = activity;
  return {
    organizerKind:
      organizer.kind === 'organization'
        ? activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION
        : activities.OrganizerKind.ORGANIZER_KIND_DEPARTMENT,
    organizerId:
      organizer.kind === 'organization' ? organizer.organizationId : organizer.department,
    organizationKind:
      organizer.kind === 'organization'
        ? organizationKindOf(organizer.organizationKind)
        : common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED,
    leadDepartment:
      organizer.kind === 'organization' ? organizer.leadDepartment : organizer.department,
    jurisdictionPath: [...activity.jurisdictionPath],
    campaignId: activity.campaignId ?? '',
  };
}

/** Seats as the contracts carry them: absent means unlimited. */
export const capacityOf = (activity: Pick<StoredActivity, 'capacity'>): number | undefined =>
  activity.capacity === 'unlimited' ? undefined : activity.capacity;

/** The venue's name as the activity holds it, so notices name the place rather than its id. */
const venueNameOf = (activity: Pick<StoredActivity, 'venue'>): string => activity.venue?.name ?? '';

function scheduleOf(activity: StoredActivity): Schedule {
  if (activity.schedule === null) throw new TypeError(`activity ${activity.id} has no schedule`);
  return activity.schedule;
}

function spanOf(activity: StoredActivity): { startsAt: Date; endsAt: Date } {
  const schedule = scheduleOf(activity);
  return { startsAt: startOf(schedule), endsAt: endOf(schedule) };
}

/**
 * The outbox entry of a domain event, described from the activity as it is
 * after the change (`after`).
 */
export function outboxEntryOf(event: ActivityEvent, after: StoredActivity): OutboxEntry {
  const routing = routingOf(after);
  const at = new Date(event.data.at);
  switch (event.type) {
    case 'ActivityPublished':
      return newEvent(activityEvents.ActivityPublished, after.id, {
        activityId: after.id,
        title: after.title,
        kind: after.kind,
        ...spanOf(after),
        capacity: capacityOf(after),
        targetTiers: after.targetTiers.map((tier) => tierMapping.toProto(tier)),
        categories: after.categories.map((category) => contentCategoryMapping.toProto(category)),
        publishedAt: at,
        venueName: venueNameOf(after),
        ...routing,
      });
    case 'ActivityRescheduled':
      return newEvent(activityEvents.ActivityRescheduled, after.id, {
        activityId: after.id,
        ...spanOf(after),
        capacity: undefined,
        capacityUnlimited: false,
        reason: event.data.reason ?? '',
        rescheduledAt: at,
        previousStartsAt:
          event.data.previous === undefined ? undefined : new Date(event.data.previous.start),
        previousEndsAt:
          event.data.previous === undefined ? undefined : new Date(event.data.previous.end),
        venueName: venueNameOf(after),
        ...routing,
      });
    case 'ActivityCancelled':
      return newEvent(activityEvents.ActivityCancelled, after.id, {
        activityId: after.id,
        reason: event.data.reason ?? '',
        cancelledAt: at,
        signedUp: event.data.signedUp ?? 0,
        ...routing,
      });
    case 'ActivityStarted':
      return newEvent(activityEvents.ActivityStarted, after.id, {
        activityId: after.id,
        startedAt: at,
        ...routing,
      });
    case 'ActivityCompleted':
      return newEvent(activityEvents.ActivityCompleted, after.id, {
        activityId: after.id,
        completedAt: at,
        attended: after.attended,
        kind: after.kind,
        title: after.title,
        categories: after.categories.map((category) => contentCategoryMapping.toProto(category)),
        targetTiers: after.targetTiers.map((tier) => tierMapping.toProto(tier)),
        ...spanOf(after),
        learningMinutes: learningMinutesOf(scheduleOf(after)),
        ...routing,
      });
  }
}

/**
 * A capacity change of a public activity, announced as a reschedule to the
 * same times with the new capacity: that is how the contract tells
 * registration, whose seat ledger hands out added seats to the waitlist.
 */
export function capacityAnnouncementOf(after: StoredActivity, at: Date): OutboxEntry {
  return newEvent(activityEvents.ActivityRescheduled, after.id, {
    activityId: after.id,
    ...spanOf(after),
    capacity: capacityOf(after),
    capacityUnlimited: after.capacity === 'unlimited',
    reason: '',
    rescheduledAt: at,
    previousStartsAt: spanOf(after).startsAt,
    previousEndsAt: spanOf(after).endsAt,
    venueName: venueNameOf(after),
    ...routingOf(after),
  });
}

/** What the audit log keeps of an activity: it holds no personal data. */
export const auditViewOf = (activity: Omit<StoredActivity, 'version' | 'attended'>) => ({
  title: activity.title,
  kind: activity.kind,
  status: activity.status,
  organizer: activity.organizer,
  jurisdictionPath: [...activity.jurisdictionPath],
  venue: activity.venue,
  schedule: activity.schedule,
  capacity: activity.capacity,
  signUpWindow: activity.signUpWindow,
  targetTiers: [...activity.targetTiers],
  categories: [...activity.categories],
  ageBand: activity.ageBand,
  campaignId: activity.campaignId,
  cancellation: activity.cancellation,
});

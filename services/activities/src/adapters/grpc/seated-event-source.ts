/**
 * learning.seating.v1.SeatedEventSourceService: what registration asks on
 * every sign-up (capacity, window, schedule, audience, status) and carries
 * onto attendance (categories, campaign, learning minutes). Drafts and
 * unknown ids are NOT_FOUND. An activity without a window of its own is open
 * for sign-up from its publishing until it starts; it is for the people of
 * the place it is held in.
 */
import { contentCategoryMapping, tierMapping } from '@learning/contracts';
import { AppError } from '@learning/errors';
import type { GrpcServer } from '@learning/grpc';
import { isUuid } from '@learning/http';
import { seating } from '@learning/proto';
import type { StoredActivity } from '../../application/activities/activity-repository.js';
import {
  ACTIVITY_ID_INVALID,
  ACTIVITY_NOT_FOUND,
  activityErrors,
} from '../../application/activities/errors.js';
import { capacityOf } from '../../application/activities/events.js';
import type { ActivityReads } from '../../application/activities/read-activities.js';
import type { ActivityStatus } from '../../domain/activity-lifecycle.js';
import { endOf, learningMinutesOf, startOf } from '../../domain/schedule.js';

const STATUSES: Readonly<Record<ActivityStatus, seating.SeatedEventStatus>> = {
  draft: seating.SeatedEventStatus.SEATED_EVENT_STATUS_UNSPECIFIED,
  published: seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED,
  under_way: seating.SeatedEventStatus.SEATED_EVENT_STATUS_UNDER_WAY,
  completed: seating.SeatedEventStatus.SEATED_EVENT_STATUS_COMPLETED,
  cancelled: seating.SeatedEventStatus.SEATED_EVENT_STATUS_CANCELLED,
};

/** Refuses an id that cannot be an activity's before anything is read. */
export function activityIdOf(id: string): string {
  if (!isUuid(id))
    throw activityErrors.error(ACTIVITY_ID_INVALID, 'An activity id is a lower-case UUID.');
  return id;
}

/** The seating view of a published (or later) activity. */
export function seatedEventOf(activity: StoredActivity): seating.SeatedEvent {
  if (activity.schedule === null || activity.publishedAt === null)
    throw new TypeError(`activity ${activity.id} was never published`);
  const startsAt = startOf(activity.schedule);
  const window = activity.signUpWindow ?? { opensAt: activity.publishedAt, closesAt: startsAt };
  return {
    eventId: activity.id,
    title: activity.title,
    capacity: capacityOf(activity),
    signUpOpensAt: window.opensAt,
    signUpClosesAt: window.closesAt,
    startsAt,
    endsAt: endOf(activity.schedule),
    audience: {
      targetTiers: activity.targetTiers.map((tier) => tierMapping.toProto(tier)),
      areaRootCodes: [activity.jurisdictionPath.at(-1) ?? ''],
      pupilAgeBand: activity.ageBand ?? undefined,
      // Activities are open to their area, not to members only.
      organizationIds: [],
    },
    status: STATUSES[activity.status],
    jurisdictionPath: [...activity.jurisdictionPath],
    organizerOrganizationId:
      activity.organizer.kind === 'organization' ? activity.organizer.organizationId : '',
    categories: activity.categories.map((category) => contentCategoryMapping.toProto(category)),
    campaignId: activity.campaignId ?? '',
    learningMinutes: learningMinutesOf(activity.schedule),
    // An activity is checked in once, however many times it meets.
    sessions: [],
  };
}

/** Another owner's seated events on the same port: null when the id is not one of its. */
export type SeatedEventFinder = (id: string) => Promise<seating.SeatedEvent | null>;

/**
 * One service answers for every owner served on this port (registration's
 * `activities` and `training` sources both point here): ids are UUIDs of
 * different collections, so an id that is no activity's is asked of the others.
 */
export function registerSeatedEventSource(
  grpc: GrpcServer,
  reads: ActivityReads,
  others: readonly SeatedEventFinder[] = [],
): void {
  grpc.addService(seating.SeatedEventSourceServiceService, {
    async getSeatedEvent(request) {
      const id = activityIdOf(request.eventId);
      try {
        return { event: seatedEventOf(await reads.getHeld(id)) };
      } catch (error) {
        if (!(error instanceof AppError && error.code === ACTIVITY_NOT_FOUND)) throw error;
        for (const find of others) {
          const event = await find(id);
          if (event !== null) return { event };
        }
        throw error;
      }
    },
  });
}

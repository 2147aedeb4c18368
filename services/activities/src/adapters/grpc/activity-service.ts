/** learning.activities.v1.ActivityService: an activity, and what is on in a place, for other services. */
import { contentCategoryMapping } from '@learning/contracts';
import type { GrpcServer } from '@learning/grpc';
import { isJurisdictionCode } from '@learning/http';
import { activities } from '@learning/proto';
import type { StoredActivity } from '../../application/activities/activity-repository.js';
import {
  ACTIVITY_LIST_QUERY_INVALID,
  activityErrors,
} from '../../application/activities/errors.js';
import { routingOf } from '../../application/activities/events.js';
import type { ActivityReads } from '../../application/activities/read-activities.js';
import { activityIdOf, seatedEventOf } from './seated-event-source.js';

const PAGE_DEFAULT = 100;
const PAGE_MAX = 200;
const toProto = (activity: StoredActivity): activities.Activity => {
  const { organizerKind, organizerId, organizationKind, leadDepartment, campaignId } =
    routingOf(activity);
  return {
    activityId: activity.id,
    title: activity.title,
    kind: activity.kind,
    campaignId,
    seating: seatedEventOf(activity),
    categories: activity.categories.map((category) => contentCategoryMapping.toProto(category)),
    organizerKind,
    organizerId,
    organizationKind,
    leadDepartment,
    venueId: activity.venue?.id ?? '',
  };
};

export function registerActivityService(grpc: GrpcServer, reads: ActivityReads): void {
  grpc.addService(activities.ActivityServiceService, {
    async getActivity(request) {
      return { activity: toProto(await reads.getHeld(activityIdOf(request.activityId))) };
    },

    async listActivitiesOn(request) {
      if (
        !isJurisdictionCode(request.jurisdictionCode) ||
        request.from === undefined ||
        request.to === undefined
      )
        throw activityErrors.error(
          ACTIVITY_LIST_QUERY_INVALID,
          'Name a 12-digit jurisdiction code and both ends of the range.',
        );
      const token = request.page?.pageToken ?? '';
      const page = await reads.listHeld({
        jurisdictionCode: request.jurisdictionCode,
        from: request.from,
        to: request.to,
        pageSize: Math.min(request.page?.pageSize || PAGE_DEFAULT, PAGE_MAX),
        ...(token === '' ? {} : { pageToken: token }),
      });
      return {
        activities: page.items.map(toProto),
        page: { nextPageToken: page.nextPageToken ?? '' },
      };
    },
  });
}

/** An activity an organization organized was held: credits the organizer by its learning minutes. */
import { activities } from '@learning/proto';
import {
  campaignOf,
  firstCategory,
  organizationPlace,
  required,
  storeAndEvaluate,
  type SourceDeps,
  type SourceEvent,
} from './store-fact.js';

export const recordOrganizedActivity =
  (deps: SourceDeps) =>
  async ({ id, data }: SourceEvent<activities.ActivityCompleted>): Promise<void> => {
    // Departments and areas organize as part of their duties; only learning organizations earn credits.
    if (data.organizerKind !== activities.OrganizerKind.ORGANIZER_KIND_ORGANIZATION) return;
    const activityId = required(data.activityId, 'the activity completed');
    const organizerId = required(data.organizerId, 'the organizer of an activity');
    // As for attendance: the day the activity was held, not the day it was closed.
    const occurredAt =
      data.startsAt ?? required(data.completedAt, 'the time an activity completed');
    const place = await organizationPlace(deps, organizerId);
    await storeAndEvaluate(deps, {
      sourceId: `organized:${activityId}`,
      source: 'activity_organized',
      holder: { kind: 'organization', id: organizerId },
      sourceEventId: id,
      occurredAt,
      category: firstCategory(data.categories),
      minutes: Math.max(0, data.learningMinutes),
      campaignId: campaignOf(data.campaignId),
      jurisdictionPath: place.jurisdictionPath,
      organizationIds: place.organizationIds,
      title: data.title === '' ? activityId : data.title,
    });
  };

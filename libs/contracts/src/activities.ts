/** What the activities service publishes about its activities; registration consumes these first. */
import { defineEvent, topics } from '@learning/events';
import { activities } from '@learning/proto';

export const ActivityCancelled = defineEvent(
  'activities.activity.cancelled.v1',
  topics.activitiesActivities,
  activities.ActivityCancelled,
);
export const ActivityRescheduled = defineEvent(
  'activities.activity.rescheduled.v1',
  topics.activitiesActivities,
  activities.ActivityRescheduled,
);

/**
 * What the activities service publishes: campaigns, activities' life cycle,
 * contest results and the learning network. Every activity event carries the
 * organizer, its organization kind, the lead department and the jurisdiction
 * path, so a department's consumer filters what it owns without calling back.
 */
import { defineEvent, topics } from '@learning/events';
import { activities } from '@learning/proto';

export const CampaignLaunched = defineEvent(
  'activities.campaign.launched.v1',
  topics.activitiesCampaigns,
  activities.CampaignLaunched,
);

export const ActivityPublished = defineEvent(
  'activities.activity.published.v1',
  topics.activitiesActivities,
  activities.ActivityPublished,
);
export const ActivityRescheduled = defineEvent(
  'activities.activity.rescheduled.v1',
  topics.activitiesActivities,
  activities.ActivityRescheduled,
);
export const ActivityCancelled = defineEvent(
  'activities.activity.cancelled.v1',
  topics.activitiesActivities,
  activities.ActivityCancelled,
);
export const ActivityStarted = defineEvent(
  'activities.activity.started.v1',
  topics.activitiesActivities,
  activities.ActivityStarted,
);
export const ActivityCompleted = defineEvent(
  'activities.activity.completed.v1',
  topics.activitiesActivities,
  activities.ActivityCompleted,
);

export const ContestResultsPublished = defineEvent(
  'activities.contest.results-published.v1',
  topics.activitiesActivities,
  activities.ContestResultsPublished,
);

export const BookDonationRecorded = defineEvent(
  'activities.pairing.donation-recorded.v1',
  topics.activitiesNetwork,
  activities.BookDonationRecorded,
);
export const LibraryStandardReached = defineEvent(
  'activities.library.standard-reached.v1',
  topics.activitiesNetwork,
  activities.LibraryStandardReached,
);
export const NetworkGapDetected = defineEvent(
  'activities.network.gap-detected.v1',
  topics.activitiesNetwork,
  activities.NetworkGapDetected,
);

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

/*
 * Training (programmes, classes, hours and completions): every event carries
 * the programme, the lead department and the jurisdiction path (`routing`).
 */
export const TrainingProgrammeLaunched = defineEvent(
  'activities.training-programme.launched.v1',
  topics.activitiesTraining,
  activities.TrainingProgrammeLaunched,
);
export const TrainingClassPublished = defineEvent(
  'activities.training-class.published.v1',
  topics.activitiesTraining,
  activities.TrainingClassPublished,
);
export const TrainingClassRescheduled = defineEvent(
  'activities.training-class.rescheduled.v1',
  topics.activitiesTraining,
  activities.TrainingClassRescheduled,
);
export const TrainingClassCancelled = defineEvent(
  'activities.training-class.cancelled.v1',
  topics.activitiesTraining,
  activities.TrainingClassCancelled,
);
export const TrainingSessionAttended = defineEvent(
  'activities.training-class.session-attended.v1',
  topics.activitiesTraining,
  activities.TrainingSessionAttended,
);
export const TrainingSkillsTestRecorded = defineEvent(
  'activities.training-class.skills-test-recorded.v1',
  topics.activitiesTraining,
  activities.TrainingSkillsTestRecorded,
);
export const TrainingCompleted = defineEvent(
  'activities.training-programme.completed.v1',
  topics.activitiesTraining,
  activities.TrainingCompleted,
);
export const EnterpriseTrainingReported = defineEvent(
  'activities.enterprise-training.reported.v1',
  topics.activitiesTraining,
  activities.EnterpriseTrainingReported,
);

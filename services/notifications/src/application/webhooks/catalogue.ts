/**
 * The events a webhook may subscribe to: every event of the platform's
 * contracts, each with the function that reads its routing fields
 * (organization kind, lead department, jurisdiction path) from its payload.
 * Notifications' own webhook failure events are not offered: a failing
 * target subscribed to failures would feed itself.
 */
import {
  activityEvents,
  creditEvents,
  enrollmentEvents,
  evaluationEvents,
  lectureEvents,
  notificationEvents,
  organizationEvents,
  organizationKindMapping,
  participantEvents,
} from '@learning/contracts';
import type { EventDefinition } from '@learning/events';
import type { common } from '@learning/proto';
import type { EventRouting } from '../../domain/webhooks.js';

export interface CatalogueEntry {
  readonly definition: EventDefinition<unknown>;
  /** The topic the event travels on, shown to subscribers. */
  readonly topic: string;
  readonly routing: (payload: unknown) => EventRouting;
}

const entry = <T>(
  definition: EventDefinition<T>,
  routing: (payload: T) => EventRouting,
): CatalogueEntry => ({
  definition: definition,
  topic: definition.topic.name,
  routing: routing as (payload: unknown) => EventRouting,
});

const text = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

const kindOf = (kind: common.OrganizationKind | undefined): string | undefined =>
  kind === undefined ? undefined : organizationKindMapping.fromProto(kind);

const routed = (fields: {
  organizationKind?: common.OrganizationKind | undefined;
  leadDepartment?: string | undefined;
  jurisdictionPath?: readonly string[] | undefined;
}): EventRouting => {
  const organizationKind = kindOf(fields.organizationKind);
  const leadDepartment = text(fields.leadDepartment);
  return {
    ...(organizationKind === undefined ? {} : { organizationKind }),
    ...(leadDepartment === undefined ? {} : { leadDepartment }),
    jurisdictionPath: [...(fields.jurisdictionPath ?? [])],
  };
};

/** The annual evaluation's assessments: the subject's kind, lead department and place. */
const byEvaluation = (payload: {
  routing?:
    | {
        organizationKind?: common.OrganizationKind;
        leadDepartment?: string;
        jurisdictionPath?: readonly string[];
      }
    | undefined;
}): EventRouting =>
  routed({
    organizationKind: payload.routing?.organizationKind,
    leadDepartment: payload.routing?.leadDepartment,
    jurisdictionPath: payload.routing?.jurisdictionPath,
  });

/** Events that carry an organization's routing block. */
const byOrganization = (payload: {
  routing?: {
    kind: common.OrganizationKind;
    leadDepartment: string;
    jurisdictionPath: string[];
  };
}): EventRouting =>
  routed({
    organizationKind: payload.routing?.kind,
    leadDepartment: payload.routing?.leadDepartment,
    jurisdictionPath: payload.routing?.jurisdictionPath,
  });

/** Enrollment events that carry the seated event's summary. */
const byEnrolledEvent = (payload: {
  eventSummary?: {
    organizationKind: common.OrganizationKind;
    leadDepartment: string;
    jurisdictionPath: string[];
  };
}): EventRouting =>
  routed({
    organizationKind: payload.eventSummary?.organizationKind,
    leadDepartment: payload.eventSummary?.leadDepartment,
    jurisdictionPath: payload.eventSummary?.jurisdictionPath,
  });

/** Activity events: organizer's organization kind, lead department and place. */
const byActivity = (payload: {
  organizationKind: common.OrganizationKind;
  leadDepartment: string;
  jurisdictionPath: string[];
}): EventRouting => routed(payload);

/** Lecture events that carry the session's summary. */
const bySession = (payload: {
  session?: { leadDepartment: string; jurisdictionPath: string[] };
}): EventRouting =>
  routed({
    leadDepartment: payload.session?.leadDepartment,
    jurisdictionPath: payload.session?.jurisdictionPath,
  });

/** Training events: the programme's lead department, and the class's (or programme's) place and organizer. */
const byTraining = (payload: {
  routing?: {
    organizationKind: common.OrganizationKind;
    leadDepartment: string;
    jurisdictionPath: string[];
  };
}): EventRouting => routed({ ...payload.routing });

/** Events that only say where they happened. */
const byPlace = (payload: { jurisdictionPath: string[] }): EventRouting =>
  routed({ jurisdictionPath: payload.jurisdictionPath });

/** Events that say nothing about department or place: only unfiltered subscriptions receive them. */
const unrouted = (): EventRouting => ({ jurisdictionPath: [] });

export const WEBHOOK_CATALOGUE: readonly CatalogueEntry[] = [
  entry(participantEvents.participantRegistered, (p) =>
    routed({ jurisdictionPath: p.profile?.jurisdictionPath }),
  ),
  entry(participantEvents.participantUpdated, (p) =>
    routed({ jurisdictionPath: p.profile?.jurisdictionPath }),
  ),
  entry(organizationEvents.organizationRegistered, byOrganization),
  entry(organizationEvents.organizationReviewStarted, byOrganization),
  entry(organizationEvents.organizationRecognized, byOrganization),
  entry(organizationEvents.organizationRejected, byOrganization),
  entry(organizationEvents.organizationSuspended, byOrganization),
  entry(organizationEvents.membershipChanged, byOrganization),
  entry(enrollmentEvents.EnrollmentConfirmed, byEnrolledEvent),
  entry(enrollmentEvents.EnrollmentWaitlisted, byEnrolledEvent),
  entry(enrollmentEvents.WaitlistPromoted, byEnrolledEvent),
  entry(enrollmentEvents.EnrollmentCancelled, byEnrolledEvent),
  entry(enrollmentEvents.CheckedIn, unrouted),
  entry(enrollmentEvents.SessionCheckedIn, unrouted),
  entry(enrollmentEvents.AttendanceRecorded, (p) =>
    routed({ jurisdictionPath: p.attendedEvent?.jurisdictionPath }),
  ),
  entry(enrollmentEvents.CheckInInvalidated, unrouted),
  entry(enrollmentEvents.AttendanceWithdrawn, unrouted),
  entry(activityEvents.CampaignLaunched, (p) =>
    routed({ leadDepartment: p.ownerDepartment, jurisdictionPath: p.scopePath }),
  ),
  entry(activityEvents.ActivityPublished, byActivity),
  entry(activityEvents.ActivityRescheduled, byActivity),
  entry(activityEvents.ActivityCancelled, byActivity),
  entry(activityEvents.ActivityStarted, byActivity),
  entry(activityEvents.ActivityCompleted, byActivity),
  entry(activityEvents.ContestResultsPublished, (p) =>
    routed({ leadDepartment: p.leadDepartment, jurisdictionPath: p.jurisdictionPath }),
  ),
  entry(activityEvents.BookDonationRecorded, byPlace),
  entry(activityEvents.LibraryStandardReached, byPlace),
  entry(activityEvents.NetworkGapDetected, byPlace),
  entry(activityEvents.TrainingProgrammeLaunched, byTraining),
  entry(activityEvents.TrainingClassPublished, byTraining),
  entry(activityEvents.TrainingClassRescheduled, byTraining),
  entry(activityEvents.TrainingClassCancelled, byTraining),
  entry(activityEvents.TrainingSessionAttended, byTraining),
  entry(activityEvents.TrainingSkillsTestRecorded, byTraining),
  entry(activityEvents.TrainingCompleted, byTraining),
  entry(activityEvents.EnterpriseTrainingReported, byTraining),
  entry(lectureEvents.SessionScheduled, bySession),
  entry(lectureEvents.SessionCancelled, bySession),
  entry(lectureEvents.SessionRescheduled, bySession),
  entry(lectureEvents.SessionHeld, bySession),
  entry(lectureEvents.MaterialsPublished, bySession),
  entry(lectureEvents.FeedbackSubmitted, bySession),
  entry(lectureEvents.CoverageGapDetected, (p) =>
    routed({ leadDepartment: p.leadDepartment, jurisdictionPath: p.jurisdictionPath }),
  ),
  entry(lectureEvents.LessonCompleted, (p) =>
    routed({ leadDepartment: p.leadDepartment, jurisdictionPath: p.jurisdictionPath }),
  ),
  entry(creditEvents.CreditsAwarded, byPlace),
  entry(creditEvents.CreditsReversed, byPlace),
  entry(evaluationEvents.AssessmentComputed, byEvaluation),
  entry(evaluationEvents.AssessmentLocked, byEvaluation),
  entry(evaluationEvents.AwardGranted, (p) =>
    routed({
      organizationKind: p.organizationKind,
      leadDepartment: p.leadDepartment,
      jurisdictionPath: p.jurisdictionPath,
    }),
  ),
  entry(evaluationEvents.CasePublished, (p) =>
    routed({ organizationKind: p.organizationKind, jurisdictionPath: p.jurisdictionPath }),
  ),
  entry(notificationEvents.NoticesDelivered, unrouted),
  entry(notificationEvents.NoticesFailed, unrouted),
];

const byType = new Map(WEBHOOK_CATALOGUE.map((item) => [item.definition.type, item]));

export const catalogueEntryOf = (type: string): CatalogueEntry | undefined => byType.get(type);

/** The routing fields of an event of the catalogue (decoded payload). */
export function routingOf(type: string, payload: unknown): EventRouting {
  const item = byType.get(type);
  if (item === undefined) throw new TypeError(`${type} is not in the webhook catalogue`);
  return item.routing(payload);
}

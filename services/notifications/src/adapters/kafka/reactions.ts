/**
 * The other services' events in the terms of the reactions: field by field,
 * enum by enum, deciding nothing. A field the producer always sets but an
 * event lacks makes the event fail permanently (dead-lettered, not retried).
 */
import { PermanentEventError, type ConsumedEvent } from '@learning/events';
import type { lectures } from '@learning/proto';
import { activities, registration, scoring } from '@learning/proto';
import type {
  CancellationCause,
  CoverageGap,
  CreditSource,
  CreditsAward,
  EnrollmentFacts,
  EventSummary,
  AwardGrant,
  PersonAwardCategory,
  Rescheduling,
  TrainingCompletion,
} from '../../domain/reactions.js';

export const required = <T>(value: T | undefined | null | '', what: string): T => {
  if (value === undefined || value === null || value === '')
    throw new PermanentEventError(`the event lacks ${what}`);
  return value;
};

/** When the event happened: its own time field, else the envelope's. */
const occurredAt = (own: Date | undefined, event: { readonly time: string }): Date =>
  own ?? new Date(event.time);

/** What every enrollment event carries, whichever it is. */
interface EnrollmentPayload {
  readonly enrollmentId: string;
  readonly event?: registration.SeatedEventRef | undefined;
  readonly participantId: string;
  readonly eventSummary?: registration.SeatedEventSummary | undefined;
}

const summaryOf = (summary: registration.SeatedEventSummary | undefined): EventSummary | null =>
  summary === undefined
    ? null
    : {
        title: summary.title,
        startsAt: summary.startsAt ?? null,
        endsAt: summary.endsAt ?? null,
        venue: null,
        placeCode: summary.jurisdictionPath.at(-1) ?? null,
      };

export function enrollmentFactsOf(
  event: ConsumedEvent<EnrollmentPayload>,
  at: Date | undefined,
): EnrollmentFacts {
  const seated = required(event.data.event, 'the seated event');
  return {
    sourceEventId: event.id,
    enrollmentId: required(event.data.enrollmentId, 'the enrollment id'),
    eventKey: `${required(seated.owner, 'the event owner')}:${required(seated.eventId, 'the event id')}`,
    participantId: required(event.data.participantId, 'the participant'),
    summary: summaryOf(event.data.eventSummary),
    occurredAt: occurredAt(at, event),
  };
}

export const cancellationCauseOf = (
  reason: registration.CancellationReason,
  note: string,
): CancellationCause => {
  switch (reason) {
    case registration.CancellationReason.CANCELLATION_REASON_SELF:
      return { by: 'self' };
    case registration.CancellationReason.CANCELLATION_REASON_OFFICER:
      return { by: 'officer', note };
    case registration.CancellationReason.CANCELLATION_REASON_EVENT_CANCELLED:
      return { by: 'event_cancelled', note };
    case registration.CancellationReason.CANCELLATION_REASON_NO_LONGER_ELIGIBLE:
      return { by: 'no_longer_eligible' };
    default:
      return { by: 'unspecified' };
  }
};

/** A venue's name as an event carries it; empty (events from before names were carried) is none. */
const namedOrNull = (name: string): string | null => (name.trim() === '' ? null : name);

export const activityReschedulingOf = (
  event: ConsumedEvent<activities.ActivityRescheduled>,
): Rescheduling => ({
  sourceEventId: event.id,
  eventKey: `activities:${required(event.data.activityId, 'the activity id')}`,
  title: null,
  placeCode: event.data.jurisdictionPath.at(-1) ?? null,
  venue: namedOrNull(event.data.venueName),
  startsAt: required(event.data.startsAt, 'the new start'),
  endsAt: event.data.endsAt ?? null,
  previousStartsAt: event.data.previousStartsAt ?? null,
  occurredAt: occurredAt(event.data.rescheduledAt, event),
  sender: 'service:activities',
});

export const sessionReschedulingOf = (
  event: ConsumedEvent<lectures.SessionRescheduled>,
): Rescheduling => ({
  sourceEventId: event.id,
  eventKey: `lectures:${required(event.data.sessionId, 'the session id')}`,
  title:
    event.data.session?.title === undefined || event.data.session.title === ''
      ? null
      : event.data.session.title,
  placeCode: event.data.jurisdictionPath.at(-1) ?? null,
  venue: namedOrNull(event.data.session?.venueName ?? ''),
  startsAt: required(event.data.startsAt, 'the new start'),
  endsAt: event.data.endsAt ?? null,
  previousStartsAt: event.data.previousStartsAt ?? null,
  occurredAt: occurredAt(event.data.rescheduledAt, event),
  sender: 'service:lectures',
});

/** A class's reschedule names no title or venue: the reminders' title and the place's name stand in. */
export const trainingClassReschedulingOf = (
  event: ConsumedEvent<activities.TrainingClassRescheduled>,
): Rescheduling => ({
  sourceEventId: event.id,
  eventKey: `training:${required(event.data.classId, 'the class id')}`,
  title: null,
  placeCode: event.data.routing?.jurisdictionPath.at(-1) ?? null,
  venue: null,
  startsAt: required(event.data.startsAt, 'the new start'),
  endsAt: event.data.endsAt ?? null,
  previousStartsAt: event.data.previousStartsAt ?? null,
  occurredAt: occurredAt(event.data.rescheduledAt, event),
  sender: 'service:activities',
});

export const trainingCompletionOf = (
  event: ConsumedEvent<activities.TrainingCompleted>,
): TrainingCompletion => ({
  sourceEventId: event.id,
  participantId: required(event.data.participantId, 'the trainee'),
  programmeTitle: required(event.data.programmeTitle, 'the programme title'),
  certificateCode: required(event.data.certificateCode, 'the certificate code'),
  completedAt: occurredAt(event.data.completedAt, event),
});

const creditSources: Readonly<Record<number, CreditSource>> = {
  [scoring.CreditSource.CREDIT_SOURCE_ACTIVITY_ATTENDED]: 'activity_attended',
  [scoring.CreditSource.CREDIT_SOURCE_LECTURE_ATTENDED]: 'lecture_attended',
  [scoring.CreditSource.CREDIT_SOURCE_TRAINING_ATTENDED]: 'training_attended',
  [scoring.CreditSource.CREDIT_SOURCE_LESSON_COMPLETED]: 'lesson_completed',
  [scoring.CreditSource.CREDIT_SOURCE_CONTEST_PLACED]: 'contest_placed',
  [scoring.CreditSource.CREDIT_SOURCE_BOOK_DONATED]: 'book_donated',
  [scoring.CreditSource.CREDIT_SOURCE_ORGANIZATION_RECOGNIZED]: 'organization_recognized',
  [scoring.CreditSource.CREDIT_SOURCE_ACTIVITY_ORGANIZED]: 'activity_organized',
  [scoring.CreditSource.CREDIT_SOURCE_TRAINING_COMPLETED]: 'training_completed',
};

/** The award, when it credits a person; null for an organization's. */
export const creditsAwardOf = (event: ConsumedEvent<scoring.CreditEntry>): CreditsAward | null =>
  event.data.holderKind !== scoring.HolderKind.HOLDER_KIND_PERSON
    ? null
    : {
        sourceEventId: event.id,
        participantId: required(event.data.holderId, 'the holder'),
        amount: required(event.data.amount, 'the amount'),
        source: creditSources[event.data.source] ?? 'unspecified',
        occurredAt: occurredAt(event.data.occurredAt, event),
      };

const personAwards: Readonly<Record<number, PersonAwardCategory>> = {
  [scoring.AwardCategory.AWARD_CATEGORY_EXEMPLARY_INDIVIDUAL]: 'exemplary_individual',
  [scoring.AwardCategory.AWARD_CATEGORY_SELF_TAUGHT_ACHIEVER]: 'self_taught_achiever',
  [scoring.AwardCategory.AWARD_CATEGORY_INNOVATOR]: 'innovator',
};

/** The grant, when it awards a person; null for an organization's, which reaches departments and the media as a webhook. */
export const awardGrantOf = (event: ConsumedEvent<scoring.AwardGranted>): AwardGrant | null =>
  event.data.nomineeKind !== scoring.NomineeKind.NOMINEE_KIND_PERSON
    ? null
    : {
        sourceEventId: event.id,
        participantId: required(event.data.nomineeId, 'the nominee'),
        category: required(personAwards[event.data.category], 'a person award category'),
        year: required(event.data.year, 'the year'),
        grantedAt: occurredAt(event.data.grantedAt, event),
      };

const networkGaps: Readonly<Record<number, CoverageGap>> = {
  [activities.NetworkGapKind.NETWORK_GAP_KIND_TOWNSHIP_WITHOUT_SUPERMARKET]: {
    kind: 'township_without_supermarket',
  },
  [activities.NetworkGapKind.NETWORK_GAP_KIND_VILLAGE_WITHOUT_LIBRARY]: {
    kind: 'village_without_library',
  },
  [activities.NetworkGapKind.NETWORK_GAP_KIND_LIBRARY_UNDER_STANDARD]: {
    kind: 'library_under_standard',
  },
  [activities.NetworkGapKind.NETWORK_GAP_KIND_PAIRING_WITHOUT_DONATION]: {
    kind: 'pairing_without_donation',
  },
};

export interface GapReport {
  readonly gap: CoverageGap;
  readonly source: {
    readonly sourceEventId: string;
    readonly jurisdictionPath: readonly string[];
    readonly detectedAt: Date;
    readonly sender: string;
  };
}

export const networkGapOf = (event: ConsumedEvent<activities.NetworkGapDetected>): GapReport => ({
  gap: networkGaps[event.data.kind] ?? { kind: 'unspecified' },
  source: {
    sourceEventId: event.id,
    jurisdictionPath: event.data.jurisdictionPath,
    detectedAt: occurredAt(event.data.detectedAt, event),
    sender: 'service:activities',
  },
});

export const lectureGapOf = (event: ConsumedEvent<lectures.CoverageGapDetected>): GapReport => ({
  gap: { kind: 'no_lecture', months: event.data.months },
  source: {
    sourceEventId: event.id,
    jurisdictionPath: event.data.jurisdictionPath,
    detectedAt: occurredAt(event.data.detectedAt, event),
    sender: 'service:lectures',
  },
});

export const decisionSourceOf = (event: ConsumedEvent<registration.OrganizationDecided>) => ({
  sourceEventId: event.id,
  organizationId: required(event.data.organizationId, 'the organization id'),
  occurredAt: occurredAt(event.data.decidedAt, event),
});

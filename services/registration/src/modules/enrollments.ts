/** Enrollment in seated events: sign-up, waitlist, check-in, attendance, and the owners' changes. */
import { serviceTokenProvider } from '@learning/auth';
import { activityEvents, lectureEvents, participantEvents } from '@learning/contracts';
import { consumerGroups, PermanentEventError, subscribe } from '@learning/events';
import { tickingWorker } from '@learning/runtime';
import { GrpcSeatedEventSource } from '../adapters/grpc/seated-event-source.js';
import { registerEnrollmentService } from '../adapters/grpc/enrollment-service.js';
import { registerEnrollmentRoutes } from '../adapters/http/enrollments.js';
import {
  enrollmentModel,
  MongoAttendeeDirectory,
  MongoEnrollmentRepository,
  MongoParticipantDirectory,
} from '../adapters/mongo/enrollments.js';
import { membershipModel, MongoMembershipRepository } from '../adapters/mongo/memberships.js';
import { MongoOrganizationRepository, organizationModel } from '../adapters/mongo/organizations.js';
import { MongoSeatedEventLedgers, seatedEventModel } from '../adapters/mongo/seated-events.js';
import { confirmAttendance } from '../application/enrollments/attendance.js';
import { cancelById, cancelEnrollment } from '../application/enrollments/cancel.js';
import { checkInCodes } from '../application/enrollments/check-in-codes.js';
import { checkInUseCases } from '../application/enrollments/check-in.js';
import { eventSummaries } from '../application/enrollments/event-summaries.js';
import { EnrollmentEvents } from '../application/enrollments/events.js';
import { ownerChanges, type RescheduledTimes } from '../application/enrollments/owner-changes.js';
import { recheckAfterHomeMove } from '../application/enrollments/home-moves.js';
import { enrollmentReads } from '../application/enrollments/reads.js';
import { SeatFiller } from '../application/enrollments/seats.js';
import { signUp } from '../application/enrollments/sign-up.js';
import { withdrawAttendance } from '../application/enrollments/withdraw-attendance.js';
import type { Capacity } from '../domain/enrollment.js';
import type { Module } from '../platform.js';

/** How long an owner's answer is reused; a reschedule drops it at once. */
const EVENT_INFO_TTL_MS = 30_000;
const OWNER_DEADLINE_MS = 2_000;

/** The new times (and the previous ones, when told) and capacity, as eventRescheduled takes them, from either owner's reschedule message. */
function rescheduleOf(
  change: {
    startsAt?: Date | undefined;
    endsAt?: Date | undefined;
    previousStartsAt?: Date | undefined;
    previousEndsAt?: Date | undefined;
    rescheduledAt?: Date | undefined;
    capacity?: number | undefined;
    capacityUnlimited: boolean;
  },
  fallback: string,
): [times: RescheduledTimes, capacity: Capacity | null] {
  if (change.startsAt === undefined || change.endsAt === undefined)
    throw new PermanentEventError('a reschedule without its new times');
  const { previousStartsAt, previousEndsAt } = change;
  return [
    {
      startsAt: change.startsAt,
      endsAt: change.endsAt,
      at: change.rescheduledAt ?? new Date(fallback),
      ...(previousStartsAt === undefined || previousEndsAt === undefined
        ? {}
        : { previous: { startsAt: previousStartsAt, endsAt: previousEndsAt } }),
    },
    change.capacityUnlimited ? 'unlimited' : (change.capacity ?? null),
  ];
}

export const enrollmentsModule: Module = (platform) => {
  const { mongo, redis, logger, clock, config } = platform;
  const model = enrollmentModel(mongo);
  platform.publishOutboxOf(model);
  const enrollments = new MongoEnrollmentRepository(model, logger);
  const ledgers = new MongoSeatedEventLedgers(seatedEventModel(mongo), clock);
  const participants = new MongoParticipantDirectory(mongo);
  // Read only (the organizations module publishes the memberships' outbox).
  const memberships = new MongoMembershipRepository(membershipModel(mongo), logger);
  const attendees = new MongoAttendeeDirectory(mongo, memberships);
  const tokenProvider = serviceTokenProvider(config, config.SEATING_SERVICE_TOKEN);
  const source = new GrpcSeatedEventSource({
    addresses: {
      ...(config.SEATING_ACTIVITIES_GRPC_ADDRESS === undefined
        ? {}
        : { activities: config.SEATING_ACTIVITIES_GRPC_ADDRESS }),
      ...(config.SEATING_LECTURES_GRPC_ADDRESS === undefined
        ? {}
        : { lectures: config.SEATING_LECTURES_GRPC_ADDRESS }),
      ...(config.SEATING_TRAINING_GRPC_ADDRESS === undefined
        ? {}
        : { training: config.SEATING_TRAINING_GRPC_ADDRESS }),
    },
    redis,
    logger,
    cacheTtlMs: EVENT_INFO_TTL_MS,
    deadlineMs: OWNER_DEADLINE_MS,
    ...(tokenProvider === undefined ? {} : { tokenProvider }),
  });
  platform.onClose('seated event sources', async () => {
    source.close();
  });

  const events = new EnrollmentEvents(platform.audit);
  // Read only (the organizations module owns the organizations and their outbox).
  const summaries = eventSummaries({
    source,
    organizations: new MongoOrganizationRepository(organizationModel(mongo), logger),
    logger,
  });
  const codes = checkInCodes((text) => platform.pii.blindIndex('check-in-qr', text));
  const checkInWindow = {
    opensBeforeMinutes: config.CHECK_IN_OPENS_MINUTES_BEFORE,
    closesAfterMinutes: config.CHECK_IN_CLOSES_MINUTES_AFTER,
  };
  const filler = new SeatFiller({ enrollments, ledgers, events, summaries, clock, logger });
  const cancelDeps = { enrollments, ledgers, filler, events, summaries, clock };
  const reads = enrollmentReads({ enrollments, participants, memberships, source, codes });

  registerEnrollmentRoutes(platform.http, {
    signUp: signUp({
      enrollments,
      ledgers,
      participants,
      memberships,
      source,
      codes,
      filler,
      events,
      summaries,
      clock,
    }),
    cancel: cancelById(cancelDeps),
    reads,
    checkIns: checkInUseCases({
      enrollments,
      source,
      checkInWindow,
      codes,
      events,
      clock,
    }),
    confirmAttendance: confirmAttendance({ enrollments, source, attendees, events, clock }),
    withdrawAttendance: withdrawAttendance({ enrollments, source, events, clock }),
  });
  registerEnrollmentService(platform.grpc, reads);

  const changes = ownerChanges({
    enrollments,
    ledgers,
    source,
    filler,
    cancelEnrollment: cancelEnrollment(cancelDeps),
    events,
    checkInWindow,
    clock,
  });
  platform.consume(
    consumerGroups.registrationOwnerChanges,
    subscribe(activityEvents.ActivityCancelled, async (event) => {
      await changes.eventCancelled('activities', event.data.activityId, event.data.reason);
    }),
    subscribe(activityEvents.ActivityRescheduled, async (event) => {
      await changes.eventRescheduled(
        'activities',
        event.data.activityId,
        ...rescheduleOf(event.data, event.time),
      );
    }),
    subscribe(lectureEvents.SessionCancelled, async (event) => {
      await changes.eventCancelled('lectures', event.data.sessionId, event.data.reason);
    }),
    subscribe(lectureEvents.SessionRescheduled, async (event) => {
      await changes.eventRescheduled(
        'lectures',
        event.data.sessionId,
        ...rescheduleOf(event.data, event.time),
      );
    }),
    subscribe(activityEvents.TrainingClassCancelled, async (event) => {
      await changes.eventCancelled('training', event.data.classId, event.data.reason);
    }),
    subscribe(activityEvents.TrainingClassRescheduled, async (event) => {
      await changes.eventRescheduled(
        'training',
        event.data.classId,
        ...rescheduleOf(event.data, event.time),
      );
    }),
  );

  // A home that moved out of an event's area gives up the seat (decision 0011); a
  // members-only event is not rechecked: membership does not move with the home.
  const recheck = recheckAfterHomeMove({
    enrollments,
    participants,
    source,
    cancelEnrollment: cancelEnrollment(cancelDeps),
    clock,
  });
  platform.consume(
    consumerGroups.registrationHomeMoves,
    subscribe(participantEvents.participantUpdated, async (event) => {
      if (event.data.changedFields.includes('jurisdictionPath'))
        await recheck(event.data.participantId);
    }),
  );

  // Once per tick across replicas: every replica sweeping the same events only made them race.
  platform.runWorker(
    'enrollment seat sweep',
    tickingWorker({
      name: 'registration:seat-sweep',
      everyMs: config.SEAT_SWEEP_EVERY_MS,
      redis,
      logger,
      clock,
      run: () => changes.sweep(config.SEAT_SWEEP_QUIET_MS),
    }),
  );
};

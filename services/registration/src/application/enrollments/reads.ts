/** What people and services read about enrollments. */
import { type Principal, Scope } from '@learning/auth';
import type { Page } from '@learning/domain';
import { eventKeyOf, type Eligibility, type SeatedEventOwner } from '../../domain/enrollment.js';
import type { CurrentMemberships } from '../memberships/membership-repository.js';
import { runsEvent } from './access.js';
import { eligibilityFor } from './eligibility.js';
import { participantNotFound } from '../participants/errors.js';
import { seatedEventNotFound, tooManyEvents } from './errors.js';
import type {
  CheckInCodes,
  EnrollmentCounts,
  EnrollmentPageQuery,
  EnrollmentRecord,
  EnrollmentRepository,
  ParticipantDirectory,
  SeatedEventSource,
} from './ports.js';

/** The participant's own view: their code and QR payload, and their place in line. */
export interface OwnEnrollmentView {
  readonly enrollment: EnrollmentRecord;
  readonly waitlistPosition: number | null;
  readonly qrPayload: string;
}

export const MAX_COUNTED_EVENTS = 100;

export interface ReadDeps {
  readonly enrollments: EnrollmentRepository;
  readonly participants: ParticipantDirectory;
  readonly memberships: CurrentMemberships;
  readonly source: SeatedEventSource;
  readonly codes: CheckInCodes;
}

export function enrollmentReads(deps: ReadDeps) {
  const ownView = async (enrollment: EnrollmentRecord): Promise<OwnEnrollmentView> => ({
    enrollment,
    waitlistPosition:
      enrollment.status === 'waitlisted'
        ? (await deps.enrollments.waitlistedBefore(enrollment.eventKey, enrollment.sequence)) + 1
        : null,
    qrPayload: deps.codes.qrPayload(enrollment.id, enrollment.checkInCode),
  });

  return {
    ownView,

    async mine(principal: Principal, query: EnrollmentPageQuery): Promise<Page<OwnEnrollmentView>> {
      const participant = await deps.participants.findByAccount(principal.subject);
      if (participant === null) return { items: [], nextCursor: null };
      const page = await deps.enrollments.pageOfParticipant(participant.participantId, query);
      return { items: await Promise.all(page.items.map(ownView)), nextCursor: page.nextCursor };
    },

    /** Officers in scope of the event's place, or admins of its organizer; 404 for anyone else. */
    async roster(
      principal: Principal,
      owner: SeatedEventOwner,
      eventId: string,
      query: EnrollmentPageQuery,
    ): Promise<Page<EnrollmentRecord>> {
      const info = await deps.source.get(owner, eventId);
      if (!runsEvent(principal, info)) throw seatedEventNotFound();
      return deps.enrollments.pageOfEvent(
        Scope.system('roster of an event the caller runs'),
        eventKeyOf(owner, eventId),
        query,
      );
    },

    /** For services: the roster of any event. */
    async rosterForService(
      owner: SeatedEventOwner,
      eventId: string,
      query: EnrollmentPageQuery,
    ): Promise<Page<EnrollmentRecord>> {
      return deps.enrollments.pageOfEvent(
        Scope.system('roster for a service'),
        eventKeyOf(owner, eventId),
        query,
      );
    },

    async counts(
      events: readonly { owner: SeatedEventOwner; eventId: string }[],
    ): Promise<EnrollmentCounts[]> {
      if (events.length > MAX_COUNTED_EVENTS) throw tooManyEvents(MAX_COUNTED_EVENTS);
      return Promise.all(
        events.map((event) => deps.enrollments.counts(eventKeyOf(event.owner, event.eventId))),
      );
    },

    async eligibility(
      participantId: string,
      owner: SeatedEventOwner,
      eventId: string,
    ): Promise<Eligibility> {
      const participant = await deps.participants.findById(participantId);
      if (participant === null) throw participantNotFound();
      const info = await deps.source.get(owner, eventId);
      return eligibilityFor(deps.memberships, info, participant);
    },
  };
}

export type EnrollmentReads = ReturnType<typeof enrollmentReads>;

/**
 * A participant signs up for a seated event. Signing up twice returns the
 * enrollment already there; signing up again after cancelling rejoins at the
 * end of the waitlist.
 */
import type { Principal } from '@learning/auth';
import {
  assertSignUpOpen,
  directSeat,
  eventKeyOf,
  type Eligibility,
  type SeatedEventOwner,
} from '../../domain/enrollment.js';
import { domainCall } from '../errors.js';
import type { CurrentMemberships } from '../memberships/membership-repository.js';
import { eligibilityFor } from './eligibility.js';
import {
  enrollmentConflict,
  eventCancelled,
  notEligible,
  participantNotRegistered,
} from './errors.js';
import type { EnrollmentEventSummary, EventSummaries } from './event-summaries.js';
import type { EnrollmentEvents } from './events.js';
import type {
  CheckInCodes,
  EnrollmentRecord,
  EnrollmentRepository,
  NewEnrollment,
  ParticipantDirectory,
  SeatedEventInfo,
  SeatedEventLedgers,
  SeatedEventSource,
} from './ports.js';
import { applyChange, type SeatFiller } from './seats.js';
import { enrollmentIdOf } from './identity.js';
import { lookupScope } from './access.js';

export interface SignUpDeps {
  readonly enrollments: EnrollmentRepository;
  readonly ledgers: SeatedEventLedgers;
  readonly participants: ParticipantDirectory;
  /** Who belongs to which organization now: a members-only event's audience. */
  readonly memberships: CurrentMemberships;
  readonly source: SeatedEventSource;
  readonly codes: CheckInCodes;
  readonly filler: SeatFiller;
  readonly events: EnrollmentEvents;
  readonly summaries: EventSummaries;
  readonly clock: () => Date;
}

export interface SignUpInput {
  readonly owner: SeatedEventOwner;
  readonly eventId: string;
}

/** A new code clashing with another of the same event is a 1-in-10^11 event; a few tries suffice. */
const MAX_INSERT_TRIES = 5;

export function assertSignUpAllowed(
  info: SeatedEventInfo,
  eligibility: Eligibility,
  now: Date,
): void {
  if (info.status === 'cancelled') throw eventCancelled();
  domainCall(() => {
    assertSignUpOpen(info.window, now);
  });
  if (!eligibility.eligible) throw notEligible(eligibility.refusals);
}

export function signUp(deps: SignUpDeps) {
  const { enrollments, ledgers, codes, filler, events, clock } = deps;

  async function insertFresh(
    principal: Principal,
    base: Omit<NewEnrollment, 'status' | 'seat' | 'confirmedAt' | 'checkInCode'>,
    seat: number | null,
    confirmed: boolean,
    summary: EnrollmentEventSummary | null,
  ): Promise<EnrollmentRecord | 'exists' | 'seat'> {
    for (let tries = 0; tries < MAX_INSERT_TRIES; tries += 1) {
      const enrollment: NewEnrollment = {
        ...base,
        status: confirmed ? 'confirmed' : 'waitlisted',
        seat,
        confirmedAt: confirmed ? base.createdAt : null,
        checkInCode: codes.newCode(),
      };
      const record = { ...enrollment, version: 1 };
      const result = await enrollments.add(
        enrollment,
        events.signedUp(principal, null, record, summary),
      );
      if (result === 'enrollment') return 'exists';
      if (result === 'seat') return 'seat';
      if (result !== 'code') return result;
    }
    throw enrollmentConflict();
  }

  return async (
    principal: Principal,
    input: SignUpInput,
  ): Promise<{ enrollment: EnrollmentRecord; created: boolean }> => {
    const participant = await deps.participants.findByAccount(principal.subject);
    if (participant === null) throw participantNotRegistered();
    const eventKey = eventKeyOf(input.owner, input.eventId);
    const id = enrollmentIdOf(eventKey, participant.participantId);
    const existing = await enrollments.get(lookupScope(), id);
    if (existing !== null && existing.status !== 'cancelled')
      return { enrollment: existing, created: false };

    const info = await deps.source.get(input.owner, input.eventId);
    const now = clock();
    assertSignUpAllowed(info, await eligibilityFor(deps.memberships, info, participant), now);

    const summary = await deps.summaries(input.owner, input.eventId);
    const arrival = await ledgers.arrive(eventKey, info.capacity);
    if (arrival.cancelled) throw eventCancelled();

    if (existing !== null) {
      // Rejoining after a cancellation: a new arrival, at the end of the waitlist.
      const change = {
        status: 'waitlisted' as const,
        sequence: arrival.sequence,
        seat: null,
        confirmedAt: null,
        cancelledAt: null,
        cancellationReason: null,
        checkedInAt: null,
        attendedAt: null,
        attendanceBasis: null,
        attendanceWithdrawnAt: null,
        updatedAt: now,
      };
      const after = applyChange(existing, change);
      const rejoined = await enrollments.change(
        id,
        { status: 'cancelled' },
        change,
        events.signedUp(principal, existing, after, summary),
      );
      if (rejoined === null || rejoined === 'seat') {
        // Someone else rejoined first: this arrival number stays unused, and a promotion
        // waiting for it may go on.
        await ledgers.retire(eventKey, [arrival.sequence]);
        await filler.fill(eventKey);
        const current = await enrollments.get(lookupScope(), id);
        if (current === null) throw enrollmentConflict();
        return { enrollment: current, created: false };
      }
      // The old number is held by nobody now; promotions stop waiting for it.
      await ledgers.retire(eventKey, [existing.sequence]);
      await filler.fill(eventKey);
      return {
        enrollment: (await enrollments.get(lookupScope(), id)) ?? rejoined,
        created: true,
      };
    }

    const base = {
      id,
      eventKey,
      owner: input.owner,
      eventId: input.eventId,
      participantId: participant.participantId,
      accountSubject: principal.subject,
      sequence: arrival.sequence,
      jurisdictionPath: [...info.jurisdictionPath],
      organizerOrganizationId: info.organizerOrganizationId,
      checkedInAt: null,
      attendedAt: null,
      attendanceBasis: null,
      attendanceWithdrawnAt: null,
      cancelledAt: null,
      cancellationReason: null,
      rescheduled: null,
      createdAt: now,
      updatedAt: now,
    };

    const seat = directSeat(arrival.sequence, arrival.capacity, arrival.directSeats);
    let inserted: EnrollmentRecord | 'exists' | 'seat';
    if (arrival.capacity === 'unlimited')
      inserted = await insertFresh(principal, base, null, true, summary);
    else if (seat !== null) inserted = await insertFresh(principal, base, seat, true, summary);
    else inserted = 'seat';
    // No seat of its own (or it was taken by a promotion): the waitlist, in arrival order.
    if (inserted === 'seat') inserted = await insertFresh(principal, base, null, false, summary);
    if (inserted === 'seat') throw enrollmentConflict();
    if (inserted === 'exists') {
      // The same person signing up twice at once: the other request created it. The arrival
      // number (and a seat taken for this attempt) is left unused: say so, and let a promotion
      // waiting for the number, or the seat, go on.
      await ledgers.retire(eventKey, [arrival.sequence]);
      if (seat !== null) await ledgers.setVacancies(eventKey, 1);
      await filler.fill(eventKey);
      const current = await enrollments.get(lookupScope(), id);
      if (current === null) throw enrollmentConflict();
      return { enrollment: current, created: false };
    }
    if (inserted.status === 'waitlisted') {
      // Read after joining: either this sees a vacancy, or the filler that set it sees this sign-up.
      const ledger = await ledgers.get(eventKey);
      if (ledger !== null && ledger.vacancies > 0) {
        await filler.fill(eventKey);
        return {
          enrollment: (await enrollments.get(lookupScope(), id)) ?? inserted,
          created: true,
        };
      }
    }
    return { enrollment: inserted, created: true };
  };
}

export type SignUp = ReturnType<typeof signUp>;

/**
 * Cancelling an enrollment: the participant's own, or any of an event the
 * officer runs. A freed seat goes to the first in line at once; the freed
 * seat is marked in the same write, so a crash before it is handed on leaves
 * a mark the sweep finds.
 */
import type { Principal } from '@learning/auth';
import { cancel as cancelRule } from '../../domain/enrollment.js';
import { domainCall } from '../errors.js';
import { isOwnEnrollment, lookupScope, runsEvent } from './access.js';
import { enrollmentConflict, enrollmentNotFound } from './errors.js';
import type { EventSummaries } from './event-summaries.js';
import type { Actor, EnrollmentEvents } from './events.js';
import type {
  CancellationReason,
  EnrollmentChange,
  EnrollmentRecord,
  EnrollmentRepository,
  SeatedEventLedgers,
} from './ports.js';
import { applyChange, type SeatFiller } from './seats.js';

export interface CancelDeps {
  readonly enrollments: EnrollmentRepository;
  readonly ledgers: SeatedEventLedgers;
  readonly filler: SeatFiller;
  readonly events: EnrollmentEvents;
  readonly summaries: EventSummaries;
  readonly clock: () => Date;
}

const MAX_TRIES = 5;

/** Cancels one enrollment as `actor`; the record as it ends up. Repeating it changes nothing. */
export function cancelEnrollment(deps: CancelDeps) {
  return async (
    actor: Actor,
    enrollment: EnrollmentRecord,
    reason: CancellationReason,
    refill = true,
    /** Why, in words the person can read (an officer's note, the owner's reason); empty: none. */
    note = '',
  ): Promise<EnrollmentRecord> => {
    let current = enrollment;
    const summary = await deps.summaries(enrollment.owner, enrollment.eventId);
    for (let tries = 0; tries < MAX_TRIES; tries += 1) {
      const { changed, freesSeat } = domainCall(() => cancelRule(current));
      if (!changed) return current;
      const now = deps.clock();
      const change: EnrollmentChange = {
        status: 'cancelled',
        seat: null,
        cancelledAt: now,
        cancellationReason: reason,
        updatedAt: now,
      };
      const after = applyChange(current, change);
      const result = await deps.enrollments.change(
        current.id,
        { status: current.status, notCheckedIn: true },
        change,
        deps.events.cancelled(actor, current, after, reason, note, summary),
        freesSeat && refill ? { seatToRefill: true } : undefined,
      );
      if (result !== null && result !== 'seat') {
        if (freesSeat && refill) {
          await deps.filler.fill(current.eventKey);
          await deps.enrollments.clearSeatsToRefill(current.eventKey);
        }
        return result;
      }
      // Promoted, checked in or cancelled meanwhile: decide again on what it is now.
      const reloaded = await deps.enrollments.get(lookupScope(), current.id);
      if (reloaded === null) throw enrollmentNotFound();
      current = reloaded;
    }
    throw enrollmentConflict();
  };
}

export type CancelEnrollment = ReturnType<typeof cancelEnrollment>;

/**
 * The REST use case: the participant's own enrollment, or one of an event the
 * caller runs, whose `note` tells the person why.
 */
export function cancelById(deps: CancelDeps) {
  const cancelOne = cancelEnrollment(deps);
  return async (principal: Principal, id: string, note = ''): Promise<EnrollmentRecord> => {
    const enrollment = await deps.enrollments.get(lookupScope(), id);
    if (enrollment === null) throw enrollmentNotFound();
    if (isOwnEnrollment(principal, enrollment)) return cancelOne(principal, enrollment, 'self');
    if (runsEvent(principal, enrollment))
      return cancelOne(principal, enrollment, 'officer', true, note.trim());
    throw enrollmentNotFound();
  };
}

export type CancelById = ReturnType<typeof cancelById>;

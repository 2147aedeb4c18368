/**
 * What registration does when an owner cancels or moves an event. A cancelled
 * event cancels every enrollment, one write and one EnrollmentCancelled each,
 * so every person can be told; handling the same cancellation again finds
 * nothing left to cancel. A moved event keeps its enrollments, flagged with the
 * new times; a check-in the move leaves outside the event's new check-in
 * window is withdrawn, with attendance recorded from it, one write and one
 * CheckInInvalidated each (handling the move again finds nothing left to
 * withdraw); a changed capacity hands out the seats it adds, in order. A
 * reschedule that only changes the capacity (the owner says its times are the
 * previous ones) flags nobody: nobody's dates moved.
 */
import {
  eventKeyOf,
  withinCheckInWindow,
  type Capacity,
  type CheckInWindowRule,
  type EventTimes,
  type SeatedEventOwner,
} from '../../domain/enrollment.js';
import { isAppError } from '@learning/errors';
import { SEATED_EVENT_NOT_FOUND } from './errors.js';
import type { CancelEnrollment } from './cancel.js';
import type { EnrollmentEvents } from './events.js';
import type {
  EnrollmentChange,
  EnrollmentRepository,
  SeatedEventLedger,
  SeatedEventLedgers,
  SeatedEventSource,
} from './ports.js';
import { applyChange, type SeatFiller } from './seats.js';

export interface OwnerChangeDeps {
  readonly enrollments: EnrollmentRepository;
  readonly ledgers: SeatedEventLedgers;
  readonly source: SeatedEventSource;
  readonly filler: SeatFiller;
  readonly cancelEnrollment: CancelEnrollment;
  readonly events: EnrollmentEvents;
  readonly checkInWindow: CheckInWindowRule;
  readonly clock: () => Date;
}

const PAGE = 200;

export interface RescheduledTimes {
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly at: Date;
  /** The times before the change, when the owner says them (lectures do not). */
  readonly previous?: { readonly startsAt: Date; readonly endsAt: Date };
}

/** Unless the owner says the times are unchanged, they moved. */
const timesMoved = ({ startsAt, endsAt, previous }: RescheduledTimes): boolean =>
  previous === undefined ||
  previous.startsAt.getTime() !== startsAt.getTime() ||
  previous.endsAt.getTime() !== endsAt.getTime();

export function ownerChanges(deps: OwnerChangeDeps) {
  async function retireNeverStored(ledger: SeatedEventLedger): Promise<void> {
    const stored = await deps.enrollments.storedBefore(ledger.eventKey, ledger.arrivals + 1);
    if (stored + ledger.retired.length >= ledger.arrivals) return;
    const held = new Set([
      ...(await deps.enrollments.storedSequences(ledger.eventKey)),
      ...ledger.retired,
    ]);
    const missing: number[] = [];
    for (let sequence = 1; sequence <= ledger.arrivals; sequence += 1)
      if (!held.has(sequence)) missing.push(sequence);
    await deps.ledgers.retire(ledger.eventKey, missing);
  }

  /**
   * Withdraws the check-ins (and attendance from them) the event's times leave
   * outside the window. The times are the owner's current ones, not the
   * message's: a stale reschedule redelivered after a later one must not judge
   * check-ins by times no longer in force.
   */
  async function invalidateCheckIns(owner: SeatedEventOwner, eventId: string): Promise<void> {
    const eventKey = eventKeyOf(owner, eventId);
    let page = await deps.enrollments.checkedInOf(eventKey, null, PAGE);
    // Most moves happen before anyone checked in: then the owner need not be asked at all.
    if (page.length === 0) return;
    let times: EventTimes;
    try {
      times = await deps.source.get(owner, eventId);
    } catch (error) {
      // An event its owner no longer knows has no times to judge by; a cancellation follows.
      if (isAppError(error) && error.code === SEATED_EVENT_NOT_FOUND) return;
      throw error;
    }
    for (;;) {
      for (const enrollment of page) {
        const { checkedInAt } = enrollment;
        if (checkedInAt === null || withinCheckInWindow(checkedInAt, times, deps.checkInWindow))
          continue;
        const now = deps.clock();
        const change: EnrollmentChange = {
          checkedInAt: null,
          // Attendance an officer vouched for did not rest on the scan; it stays.
          ...(enrollment.attendanceBasis === 'check_in'
            ? { attendedAt: null, attendanceBasis: null, attendanceWithdrawnAt: now }
            : {}),
          updatedAt: now,
        };
        // Conditional on this very check-in: a replayed reschedule, or a new check-in since, changes nothing.
        await deps.enrollments.change(
          enrollment.id,
          { status: 'confirmed', checkedInAt },
          change,
          deps.events.checkInInvalidated(enrollment, applyChange(enrollment, change), times),
        );
      }
      if (page.length < PAGE) return;
      page = await deps.enrollments.checkedInOf(eventKey, page.at(-1)?.id ?? null, PAGE);
    }
  }

  return {
    /** `reason` is the owner's, carried to each person in their EnrollmentCancelled. */
    async eventCancelled(owner: SeatedEventOwner, eventId: string, reason = ''): Promise<number> {
      const eventKey = eventKeyOf(owner, eventId);
      // First, so no sign-up starts while the enrollments are being cancelled.
      await deps.ledgers.markCancelled(eventKey);
      await deps.source.forget(owner, eventId);
      let cancelled = 0;
      for (;;) {
        const page = await deps.enrollments.activeOf(eventKey, null, PAGE);
        for (const enrollment of page) {
          await deps.cancelEnrollment(
            { system: 'event-cancelled' },
            enrollment,
            'event_cancelled',
            false,
            reason,
          );
          cancelled += 1;
        }
        if (page.length < PAGE) return cancelled;
      }
    },

    async eventRescheduled(
      owner: SeatedEventOwner,
      eventId: string,
      times: RescheduledTimes,
      capacity: Capacity | null,
    ): Promise<void> {
      const eventKey = eventKeyOf(owner, eventId);
      await deps.source.forget(owner, eventId);
      if (timesMoved(times)) {
        await deps.enrollments.flagRescheduled(eventKey, times.startsAt, times.endsAt, times.at);
        await invalidateCheckIns(owner, eventId);
      }
      if (capacity === null) return;
      await deps.ledgers.changeCapacity(eventKey, capacity);
      await deps.filler.fill(eventKey);
    },

    /**
     * Hands on seats left free by a crash between two writes. On events quiet
     * for `quietMs`, arrival numbers taken but never stored (a sign-up that
     * died in between) are retired first, so promotions stop waiting for them.
     */
    async sweep(quietMs: number): Promise<void> {
      for (const eventKey of await deps.enrollments.eventsWithSeatsToRefill(PAGE)) {
        await deps.filler.fill(eventKey);
        await deps.enrollments.clearSeatsToRefill(eventKey);
      }
      for (const ledger of await deps.ledgers.unswept(quietMs, PAGE)) {
        if (!ledger.cancelled) {
          await retireNeverStored(ledger);
          await deps.filler.fill(ledger.eventKey);
        }
        await deps.ledgers.markSwept(ledger.eventKey, ledger.arrivals);
      }
    },
  };
}

export type OwnerChanges = ReturnType<typeof ownerChanges>;

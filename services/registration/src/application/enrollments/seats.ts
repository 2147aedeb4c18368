/**
 * Handing out seats without multi-document transactions. Each confirmed
 * enrollment holds a seat number in 1..capacity that storage keeps unique per
 * event, so no interleaving of writers can confirm more people than there are
 * seats; each promotion is a conditional update of the first waitlisted
 * enrollment (`status: waitlisted` in the filter), retried when another writer
 * got there first, and only once every earlier arrival is stored, so the
 * waitlist is served in arrival order.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@learning/logger';
import {
  earlierArrivalsSettled,
  freeSeatNumbers,
  seatMoves,
  type Capacity,
} from '../../domain/enrollment.js';
import type { EventSummaries } from './event-summaries.js';
import type { EnrollmentEvents } from './events.js';
import type {
  EnrollmentChange,
  EnrollmentRecord,
  EnrollmentRepository,
  SeatedEventLedgers,
} from './ports.js';

/** Rounds of "count the seats, promote into the free ones" before giving up to the next operation or the sweep. */
const MAX_FILL_ROUNDS = 20;
/**
 * An insert in flight lands within milliseconds: a round held up by one looks
 * again a few times before leaving the seat to the vacancy hint, since an
 * arrival that takes a seat of its own directly never reads the hint.
 */
const IN_FLIGHT_LOOKS = 5;
const IN_FLIGHT_WAIT_MS = 10;

export const applyChange = (
  before: EnrollmentRecord,
  change: EnrollmentChange,
): EnrollmentRecord => {
  const { addSessionCheckIn, ...fields } = change;
  return {
    ...before,
    ...fields,
    ...(addSessionCheckIn === undefined
      ? {}
      : { sessionCheckIns: [...(before.sessionCheckIns ?? []), addSessionCheckIn] }),
    version: before.version + 1,
  };
};

export interface SeatFillerDeps {
  readonly enrollments: EnrollmentRepository;
  readonly ledgers: SeatedEventLedgers;
  readonly events: EnrollmentEvents;
  readonly summaries: EventSummaries;
  readonly clock: () => Date;
  readonly logger: Logger;
}

interface Filling {
  readonly done: Promise<void>;
  /** The round that follows, shared by everyone who asked while this one ran. */
  next?: Promise<void>;
}

type PromotionOutcome = EnrollmentRecord | 'nobody_waiting' | 'seat_taken' | 'earlier_in_flight';

export class SeatFiller {
  private readonly filling = new Map<string, Filling>();

  constructor(private readonly deps: SeatFillerDeps) {}

  /**
   * Promotes the waitlist into the free seats under the capacity the ledger
   * holds now; resolves once a round that began after this call has finished.
   * While a round runs for the event, a caller waits for one more round after
   * it (one for all such callers): the running round may have read the seats
   * before the caller's change.
   */
  fill(eventKey: string): Promise<void> {
    const running = this.filling.get(eventKey);
    if (running === undefined) return this.startFilling(eventKey);
    const again = (): Promise<void> => this.fill(eventKey);
    running.next ??= running.done.then(again, again);
    return running.next;
  }

  private startFilling(eventKey: string): Promise<void> {
    const filling: Filling = {
      done: this.promoteIntoFreeSeats(eventKey).finally(() => {
        this.filling.delete(eventKey);
      }),
    };
    this.filling.set(eventKey, filling);
    return filling.done;
  }

  /**
   * Promotes waitlisted enrollments, first come first served, into the seats
   * free under the ledger's capacity (read each round, never a caller's older
   * view of it). When seats stay free with nobody waiting, or the first in line
   * must wait for an earlier arrival still being stored, the ledger's vacancy
   * hint says so and the waitlist is read once more: a sign-up that joined
   * meanwhile either read the hint (and fills) or is seen here.
   */
  private async promoteIntoFreeSeats(eventKey: string): Promise<void> {
    let looks = 0;
    for (let round = 0; round < MAX_FILL_ROUNDS; round += 1) {
      const ledger = await this.deps.ledgers.get(eventKey);
      if (ledger === null || ledger.cancelled) return;
      const seats = await this.freeSeats(eventKey, ledger.capacity);
      if (seats.length === 0) {
        await this.deps.ledgers.setVacancies(eventKey, 0);
        return;
      }
      let stopped = false;
      for (const seat of seats) {
        const outcome = await this.promoteFirst(eventKey, seat);
        if (outcome === 'nobody_waiting' || outcome === 'earlier_in_flight') {
          stopped = true;
          break;
        }
      }
      if (stopped) {
        const left = await this.freeSeats(eventKey, ledger.capacity);
        await this.deps.ledgers.setVacancies(eventKey, left.length);
        if (left.length === 0) return;
        const first = await this.deps.enrollments.firstWaitlisted(eventKey);
        if (first === null) return;
        if (!(await this.arrivedInTurn(first))) {
          if (looks >= IN_FLIGHT_LOOKS) return;
          looks += 1;
          await delay(IN_FLIGHT_WAIT_MS);
        }
      }
    }
    this.deps.logger.warn(
      { eventKey },
      'seat filling kept losing races; the next operation or the sweep resumes it',
    );
  }

  /**
   * The seats free for promotions. Holders of seats above the capacity (it was
   * lowered) move down into free seats first; until none is left above it,
   * nothing is promoted.
   */
  private async freeSeats(eventKey: string, capacity: Capacity): Promise<(number | null)[]> {
    if (capacity === 'unlimited') {
      // Every waitlisted person fits; seats are not numbered without a limit.
      const first = await this.deps.enrollments.firstWaitlisted(eventKey);
      return first === null ? [] : [null];
    }
    let held = await this.deps.enrollments.heldSeats(eventKey);
    const moves = seatMoves(capacity, held.seats);
    if (moves.length > 0) {
      for (const { from, to } of moves) await this.deps.enrollments.moveSeat(eventKey, from, to);
      held = await this.deps.enrollments.heldSeats(eventKey);
    }
    return freeSeatNumbers(capacity, held.confirmed, held.seats, capacity);
  }

  /** Whether every arrival before this one is stored or given up: nobody earlier is still on the way. */
  private async arrivedInTurn(next: EnrollmentRecord): Promise<boolean> {
    const [storedBefore, ledger] = await Promise.all([
      this.deps.enrollments.storedBefore(next.eventKey, next.sequence),
      this.deps.ledgers.get(next.eventKey),
    ]);
    return earlierArrivalsSettled(next.sequence, storedBefore, ledger?.retired ?? []);
  }

  /** The first in line takes `seat`; retried while others win the race for the same person. */
  private async promoteFirst(eventKey: string, seat: number | null): Promise<PromotionOutcome> {
    for (;;) {
      const next = await this.deps.enrollments.firstWaitlisted(eventKey);
      if (next === null) return 'nobody_waiting';
      if (!(await this.arrivedInTurn(next))) return 'earlier_in_flight';
      const now = this.deps.clock();
      const change: EnrollmentChange = {
        status: 'confirmed',
        seat,
        confirmedAt: now,
        updatedAt: now,
      };
      const after = applyChange(next, change);
      const summary = await this.deps.summaries(next.owner, next.eventId);
      const result = await this.deps.enrollments.change(
        next.id,
        { status: 'waitlisted' },
        change,
        this.deps.events.promoted(next, after, summary),
      );
      if (result === 'seat') return 'seat_taken';
      if (result !== null) return result;
      // Someone else promoted or cancelled that person first: look again.
    }
  }
}

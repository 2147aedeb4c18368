/**
 * Handing out seats without multi-document transactions. Each confirmed
 * enrollment holds a seat number that storage keeps unique per event, so no
 * interleaving of writers can confirm more people than there are seats; each
 * promotion is a conditional update of the first waitlisted enrollment
 * (`status: waitlisted` in the filter), retried when another writer got there
 * first, so the waitlist is served in arrival order.
 */
import type { Logger } from '@learning/logger';
import { freeSeatNumbers, type Capacity } from '../../domain/enrollment.js';
import type { EnrollmentEvents } from './events.js';
import type {
  EnrollmentChange,
  EnrollmentRecord,
  EnrollmentRepository,
  SeatedEventLedgers,
} from './ports.js';

/** Rounds of "count the seats, promote into the free ones" before giving up to the next operation or the sweep. */
const MAX_FILL_ROUNDS = 20;

export const applyChange = (
  before: EnrollmentRecord,
  change: EnrollmentChange,
): EnrollmentRecord => {
  return { ...before, ...change, version: before.version + 1 };
};

export interface SeatFillerDeps {
  readonly enrollments: EnrollmentRepository;
  readonly ledgers: SeatedEventLedgers;
  readonly events: EnrollmentEvents;
  readonly clock: () => Date;
  readonly logger: Logger;
}

interface Filling {
  readonly done: Promise<void>;
  /** The round that follows, shared by everyone who asked while this one ran. */
  next?: Promise<void>;
  /** The capacity the last caller asked for, which the next round uses. */
  nextCapacity: Capacity;
}

export class SeatFiller {
  private readonly filling = new Map<string, Filling>();

  constructor(private readonly deps: SeatFillerDeps) {}

  /**
   * Promotes the waitlist into the free seats; resolves once a round that
   * began after this call has finished. While a round runs for the event, a
   * caller waits for one more round after it (one for all such callers): the
   * running round may have read the seats before the caller's change.
   */
  fill(eventKey: string, capacity: Capacity): Promise<void> {
    const running = this.filling.get(eventKey);
    if (running === undefined) return this.startFilling(eventKey, capacity);
    running.nextCapacity = capacity;
    const again = (): Promise<void> => this.fill(eventKey, running.nextCapacity);
    running.next ??= running.done.then(again, again);
    return running.next;
  }

  private startFilling(eventKey: string, capacity: Capacity): Promise<void> {
    const filling: Filling = {
      done: this.promoteIntoFreeSeats(eventKey, capacity).finally(() => {
        this.filling.delete(eventKey);
      }),
      nextCapacity: capacity,
    };
    this.filling.set(eventKey, filling);
    return filling.done;
  }

  /**
   * Promotes waitlisted enrollments, first come first served, into the seats
   * free under `capacity`. When seats stay free with nobody waiting, the
   * ledger's vacancy hint says so; the waitlist is then read once more, so a
   * sign-up that joined meanwhile (and read the hint before it was set) is not
   * left waiting beside a free seat.
   */
  private async promoteIntoFreeSeats(eventKey: string, capacity: Capacity): Promise<void> {
    for (let round = 0; round < MAX_FILL_ROUNDS; round += 1) {
      const seats = await this.freeSeats(eventKey, capacity);
      if (seats.length === 0) {
        await this.deps.ledgers.setVacancies(eventKey, 0);
        return;
      }
      let waitlistEmpty = false;
      for (const seat of seats) {
        if ((await this.promoteFirst(eventKey, seat)) === 'nobody_waiting') {
          waitlistEmpty = true;
          break;
        }
      }
      if (waitlistEmpty) {
        const left = await this.freeSeats(eventKey, capacity);
        await this.deps.ledgers.setVacancies(eventKey, left.length);
        if (left.length === 0 || (await this.deps.enrollments.firstWaitlisted(eventKey)) === null)
          return;
      }
    }
    this.deps.logger.warn(
      { eventKey },
      'seat filling kept losing races; the next operation or the sweep resumes it',
    );
  }

  private async freeSeats(eventKey: string, capacity: Capacity): Promise<(number | null)[]> {
    if (capacity === 'unlimited') {
      // Every waitlisted person fits; seats are not numbered without a limit.
      const first = await this.deps.enrollments.firstWaitlisted(eventKey);
      return first === null ? [] : [null];
    }
    const { confirmed, seats } = await this.deps.enrollments.heldSeats(eventKey);
    return freeSeatNumbers(capacity, confirmed, seats, capacity);
  }

  /** The first in line takes `seat`; retried while others win the race for the same person. */
  private async promoteFirst(
    eventKey: string,
    seat: number | null,
  ): Promise<EnrollmentRecord | 'nobody_waiting' | 'seat_taken'> {
    for (;;) {
      const next = await this.deps.enrollments.firstWaitlisted(eventKey);
      if (next === null) return 'nobody_waiting';
      const now = this.deps.clock();
      const change: EnrollmentChange = {
        status: 'confirmed',
        seat,
        confirmedAt: now,
        updatedAt: now,
      };
      const after = applyChange(next, change);
      const result = await this.deps.enrollments.change(
        next.id,
        { status: 'waitlisted' },
        change,
        this.deps.events.promoted(next, after),
      );
      if (result === 'seat') return 'seat_taken';
      if (result !== null) return result;
      // Someone else promoted or cancelled that person first: look again.
    }
  }
}

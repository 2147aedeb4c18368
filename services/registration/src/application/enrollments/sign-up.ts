/**
 * A participant signs up for a seated event. Signing up twice returns the
 * enrollment already there; signing up again after cancelling rejoins at the
 * end of the waitlist.
 *
 * Sign-ups of one event arriving within a few milliseconds are committed
 * together (decision 0020): one read of the people, one of their enrollments,
 * one ledger increment handing the batch consecutive arrival numbers, one
 * unordered bulk insert of the enrollments with their outbox entries. Each
 * enrollment is still its own single-document write, so the seat tokens and
 * the sweep of decision 0006 keep every guarantee.
 */
import type { Principal } from '@learning/auth';
import DataLoader from 'dataloader';
import {
  assertSignUpOpen,
  directSeat,
  eventKeyOf,
  type Eligibility,
  type SeatedEventOwner,
} from '../../domain/enrollment.js';
import { domainCall } from '../errors.js';
import type { CurrentMemberships } from '../memberships/membership-repository.js';
import { eligibilitiesFor, eligibilityFor } from './eligibility.js';
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
  EligibilityFacts,
  EnrollmentRecord,
  EnrollmentRepository,
  InsertConflict,
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
  /** How long the first sign-up of a batch waits for others of the same event; default SIGN_UP_BATCH_WINDOW_MS. */
  readonly batchWindowMs?: number;
}

export interface SignUpInput {
  readonly owner: SeatedEventOwner;
  readonly eventId: string;
}

/** A new code clashing with another of the same event is a 1-in-10^11 event; a few tries suffice. */
const MAX_INSERT_TRIES = 5;
/**
 * Long enough to gather a surge's arrivals into batches of dozens, short
 * against the second a person waits for an answer.
 */
export const SIGN_UP_BATCH_WINDOW_MS = 5;
/** Bounds one bulk insert (and the memory of one batch); a fuller batch closes at once. */
export const MAX_SIGN_UP_BATCH = 500;
/**
 * Batches of one event committing at once on one replica: two, so one can
 * gather while the other commits, and one held up (a slow insert) does not
 * stop the event's sign-ups.
 */
const MAX_COMMITS_IN_FLIGHT = 2;

export interface SignUpResult {
  readonly enrollment: EnrollmentRecord;
  readonly created: boolean;
}

type EnrollmentBase = Omit<NewEnrollment, 'status' | 'seat' | 'confirmedAt' | 'checkInCode'>;

interface SignUpRequest {
  readonly principal: Principal;
  readonly input: SignUpInput;
}

/** One request waiting in a batch for its answer. */
interface Arrival extends SignUpRequest {
  readonly resolve: (result: SignUpResult) => void;
  readonly reject: (error: unknown) => void;
}

/** The arrivals of one person within a batch: the first signs up, the others get what it got. */
interface Candidate {
  readonly id: string;
  readonly participant: EligibilityFacts;
  /** Who signs up: the first of the arrivals. */
  readonly principal: Principal;
  readonly arrivals: Arrival[];
}

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
  const windowMs = deps.batchWindowMs ?? SIGN_UP_BATCH_WINDOW_MS;

  async function insertFresh(
    principal: Principal,
    base: EnrollmentBase,
    seat: number | null,
    confirmed: boolean,
    summary: EnrollmentEventSummary | null,
  ): Promise<EnrollmentRecord | 'exists' | 'seat'> {
    for (let tries = 0; tries < MAX_INSERT_TRIES; tries += 1) {
      const result = await enrollments.add(
        ...newEnrollmentOf(principal, base, seat, confirmed, summary),
      );
      if (result === 'enrollment') return 'exists';
      if (result === 'seat') return 'seat';
      if (result !== 'code') return result;
    }
    throw enrollmentConflict();
  }

  function newEnrollmentOf(
    principal: Principal,
    base: EnrollmentBase,
    seat: number | null,
    confirmed: boolean,
    summary: EnrollmentEventSummary | null,
  ): [NewEnrollment, ReturnType<EnrollmentEvents['signedUp']>] {
    const enrollment: NewEnrollment = {
      ...base,
      status: confirmed ? 'confirmed' : 'waitlisted',
      seat,
      confirmedAt: confirmed ? base.createdAt : null,
      checkInCode: codes.newCode(),
    };
    return [enrollment, events.signedUp(principal, null, { ...enrollment, version: 1 }, summary)];
  }

  /**
   * What a bulk insert refused is settled one by one, as a lone sign-up's
   * would be: a clashing code is drawn again, a seat a promotion took sends the
   * arrival to the waitlist, and the same person stored meanwhile (another
   * replica) leaves this arrival number, and any seat taken with it, unused.
   */
  async function settleRefused(
    principal: Principal,
    base: EnrollmentBase,
    seat: number | null,
    confirmed: boolean,
    conflict: InsertConflict,
    summary: EnrollmentEventSummary | null,
  ): Promise<SignUpResult> {
    let inserted: EnrollmentRecord | 'exists' | 'seat';
    if (conflict === 'code')
      inserted = await insertFresh(principal, base, seat, confirmed, summary);
    else inserted = conflict === 'enrollment' ? 'exists' : 'seat';
    // No seat of its own (it was taken by a promotion): the waitlist, in arrival order.
    if (inserted === 'seat') inserted = await insertFresh(principal, base, null, false, summary);
    if (inserted === 'seat') throw enrollmentConflict();
    if (inserted !== 'exists') return { enrollment: inserted, created: true };
    await ledgers.retire(base.eventKey, [base.sequence]);
    if (seat !== null) await ledgers.setVacancies(base.eventKey, 1);
    await filler.fill(base.eventKey);
    const current = await enrollments.get(lookupScope(), base.id);
    if (current === null) throw enrollmentConflict();
    return { enrollment: current, created: false };
  }

  /** Signing up again after cancelling: a new arrival, at the end of the waitlist. */
  async function rejoin(
    principal: Principal,
    input: SignUpInput,
    existing: EnrollmentRecord,
    participant: EligibilityFacts,
  ): Promise<SignUpResult> {
    const { eventKey, id } = existing;
    const info = await deps.source.get(input.owner, input.eventId);
    const now = clock();
    assertSignUpAllowed(info, await eligibilityFor(deps.memberships, info, participant), now);
    const summary = await deps.summaries(input.owner, input.eventId);
    const arrival = await ledgers.arrive(eventKey, info.capacity);
    if (arrival.cancelled) throw eventCancelled();
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

  /** The first arrival of a person gets the result; repeats within the batch get its enrollment, not created. */
  function deliver(candidate: Candidate, result: PromiseSettledResult<SignUpResult>): void {
    if (result.status === 'rejected') {
      for (const arrival of candidate.arrivals) arrival.reject(result.reason);
      return;
    }
    const [first, ...repeats] = candidate.arrivals;
    first?.resolve(result.value);
    for (const repeat of repeats)
      repeat.resolve({ enrollment: result.value.enrollment, created: false });
  }

  /** The people of the batch, each once, with their stored enrollment if any; the unknown are refused. */
  async function candidatesOf(
    eventKey: string,
    arrivals: readonly Arrival[],
  ): Promise<{ candidates: Candidate[]; existing: ReadonlyMap<string, EnrollmentRecord> }> {
    const people = await deps.participants.findByAccounts([
      ...new Set(arrivals.map((arrival) => arrival.principal.subject)),
    ]);
    const byId = new Map<string, Candidate>();
    for (const arrival of arrivals) {
      const participant = people.get(arrival.principal.subject);
      if (participant === undefined) {
        arrival.reject(participantNotRegistered());
        continue;
      }
      const id = enrollmentIdOf(eventKey, participant.participantId);
      const candidate = byId.get(id);
      if (candidate === undefined)
        byId.set(id, { id, participant, principal: arrival.principal, arrivals: [arrival] });
      else candidate.arrivals.push(arrival);
    }
    const stored = await enrollments.getMany(lookupScope(), [...byId.keys()]);
    return {
      candidates: [...byId.values()],
      existing: new Map(stored.map((enrollment) => [enrollment.id, enrollment])),
    };
  }

  /** Signs up the people of a batch who have no enrollment yet, in the order they arrived. */
  async function signUpNewcomers(
    eventKey: string,
    input: SignUpInput,
    newcomers: readonly Candidate[],
  ): Promise<void> {
    if (newcomers.length === 0) return;
    const info = await deps.source.get(input.owner, input.eventId);
    const now = clock();
    const eligibilities = await eligibilitiesFor(
      deps.memberships,
      info,
      newcomers.map((newcomer) => newcomer.participant),
    );
    const admitted: Candidate[] = [];
    newcomers.forEach((newcomer, index) => {
      const eligibility = eligibilities[index];
      try {
        if (eligibility === undefined) throw enrollmentConflict();
        assertSignUpAllowed(info, eligibility, now);
        admitted.push(newcomer);
      } catch (error) {
        for (const arrival of newcomer.arrivals) arrival.reject(error);
      }
    });
    if (admitted.length === 0) return;
    const summary = await deps.summaries(input.owner, input.eventId);
    // Consecutive numbers for the batch, in arrival order: the waitlist's order across batches and replicas.
    const arrival = await ledgers.arrive(eventKey, info.capacity, admitted.length);
    if (arrival.cancelled) throw eventCancelled();

    const planned = admitted.map((newcomer, index) => {
      const sequence = arrival.sequence + index;
      const { principal } = newcomer;
      const base: EnrollmentBase = {
        id: newcomer.id,
        eventKey,
        owner: input.owner,
        eventId: input.eventId,
        participantId: newcomer.participant.participantId,
        accountSubject: principal.subject,
        sequence,
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
      const seat = directSeat(sequence, arrival.capacity, arrival.directSeats);
      const confirmed = arrival.capacity === 'unlimited' || seat !== null;
      const [enrollment, signedUp] = newEnrollmentOf(principal, base, seat, confirmed, summary);
      return { newcomer, principal, base, seat, confirmed, enrollment, events: signedUp };
    });
    const outcomes = await enrollments.addMany(planned);
    const results = await Promise.allSettled(
      planned.map(async (plan, index): Promise<SignUpResult> => {
        const outcome = outcomes[index] ?? 'enrollment';
        if (typeof outcome !== 'string') return { enrollment: outcome, created: true };
        return settleRefused(
          plan.principal,
          plan.base,
          plan.seat,
          plan.confirmed,
          outcome,
          summary,
        );
      }),
    );

    const answers = await readVacancies(eventKey, results);
    planned.forEach(({ newcomer }, index) => {
      const result = answers[index];
      if (result !== undefined) deliver(newcomer, result);
    });
  }

  /**
   * Read after joining the waitlist: either the batch sees a vacancy a filler
   * left (and fills it, and reads its people again), or that filler saw them.
   */
  async function readVacancies(
    eventKey: string,
    results: PromiseSettledResult<SignUpResult>[],
  ): Promise<PromiseSettledResult<SignUpResult>[]> {
    const waiting = results.flatMap((result) =>
      result.status === 'fulfilled' &&
      result.value.created &&
      result.value.enrollment.status === 'waitlisted'
        ? [result.value.enrollment.id]
        : [],
    );
    if (waiting.length === 0) return results;
    const ledger = await ledgers.get(eventKey);
    if (ledger === null || ledger.vacancies <= 0) return results;
    await filler.fill(eventKey);
    const fresh = new Map(
      (await enrollments.getMany(lookupScope(), waiting)).map((e) => [e.id, e]),
    );
    return results.map((result) => {
      if (result.status !== 'fulfilled') return result;
      const now = fresh.get(result.value.enrollment.id);
      return now === undefined
        ? result
        : { ...result, value: { ...result.value, enrollment: now } };
    });
  }

  async function commit(eventKey: string, arrivals: readonly Arrival[]): Promise<void> {
    const [first] = arrivals;
    if (first === undefined) return;
    const { input } = first;
    let unanswered = arrivals;
    try {
      const { candidates, existing } = await candidatesOf(eventKey, arrivals);
      const newcomers: Candidate[] = [];
      for (const candidate of candidates) {
        const stored = existing.get(candidate.id);
        if (stored === undefined) newcomers.push(candidate);
        else if (stored.status !== 'cancelled')
          deliver(candidate, {
            status: 'fulfilled',
            value: { enrollment: stored, created: false },
          });
        else
          void rejoin(candidate.principal, input, stored, candidate.participant).then(
            (value) => {
              deliver(candidate, { status: 'fulfilled', value });
            },
            (reason: unknown) => {
              deliver(candidate, { status: 'rejected', reason });
            },
          );
      }
      unanswered = newcomers.flatMap((newcomer) => newcomer.arrivals);
      await signUpNewcomers(eventKey, input, newcomers);
    } catch (error) {
      // Arrivals already answered ignore this; the rest learn why their batch failed.
      for (const arrival of unanswered) arrival.reject(error);
    }
  }

  /** One event's arrivals, gathered into batches and committed a few at a time. */
  interface EventQueue {
    readonly loader: DataLoader<SignUpRequest, SignUpResult>;
    /** Requests not answered yet: the queue is dropped at 0. */
    unanswered: number;
  }
  const queues = new Map<string, EventQueue>();

  function queueOf(eventKey: string): EventQueue {
    const existing = queues.get(eventKey);
    if (existing !== undefined) return existing;
    let committing = 0;
    const ready: (() => void)[] = [];
    /**
     * Group commit: a batch closes after the window, and commits once fewer
     * than MAX_COMMITS_IN_FLIGHT of the event's batches are committing; until
     * then it keeps gathering, so slower storage means larger batches, not
     * more of them.
     */
    const admit = (commitNow: () => void): void => {
      if (committing < MAX_COMMITS_IN_FLIGHT) {
        committing += 1;
        commitNow();
      } else ready.push(commitNow);
    };
    const committed = (): void => {
      committing -= 1;
      const next = ready.shift();
      if (next !== undefined) admit(next);
    };
    const loader = new DataLoader<SignUpRequest, SignUpResult>(
      async (requests) => {
        try {
          return await commitBatch(eventKey, requests);
        } finally {
          committed();
        }
      },
      {
        cache: false,
        maxBatchSize: MAX_SIGN_UP_BATCH,
        batchScheduleFn: (commitNow) => setTimeout(admit, windowMs, commitNow),
      },
    );
    const queue: EventQueue = { loader, unanswered: 0 };
    queues.set(eventKey, queue);
    return queue;
  }

  /** Commits one event's batch; every request gets its own answer. */
  async function commitBatch(
    eventKey: string,
    requests: readonly SignUpRequest[],
  ): Promise<(SignUpResult | Error)[]> {
    const arrivals: Arrival[] = [];
    // Each answer is caught at once: a refusal while the batch goes on is never an unhandled rejection.
    const answers = requests.map((request) =>
      new Promise<SignUpResult>((resolve, reject) => {
        arrivals.push({ ...request, resolve, reject });
      }).catch((error: unknown) =>
        error instanceof Error ? error : new Error('sign-up failed', { cause: error }),
      ),
    );
    await commit(eventKey, arrivals);
    return Promise.all(answers);
  }

  return async (principal: Principal, input: SignUpInput): Promise<SignUpResult> => {
    const eventKey = eventKeyOf(input.owner, input.eventId);
    const queue = queueOf(eventKey);
    queue.unanswered += 1;
    try {
      return await queue.loader.load({ principal, input });
    } finally {
      queue.unanswered -= 1;
      if (queue.unanswered === 0) queues.delete(eventKey);
    }
  };
}

export type SignUp = ReturnType<typeof signUp>;

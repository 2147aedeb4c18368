/**
 * What the enrollment use cases need from the outside: the enrollments and the
 * per-event ledger in storage, the participants' eligibility facts, the
 * owners' event information, and the keyed signature of QR payloads.
 */
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';
import type { ContentCategory, Page } from '@learning/domain';
import type {
  Audience,
  Capacity,
  EnrollmentStatus,
  SeatedEventOwner,
  SignUpWindow,
} from '../../domain/enrollment.js';
import type { CalendarDate, Tier } from '../../domain/participants.js';
import type { SeatedSession, SessionCheckIn } from '../../domain/sessions.js';

export type CancellationReason = 'self' | 'officer' | 'event_cancelled' | 'no_longer_eligible';
export type AttendanceBasisName = 'check_in' | 'officer';

export interface EnrollmentRecord {
  readonly id: string;
  /** `<owner>:<eventId>` */
  readonly eventKey: string;
  readonly owner: SeatedEventOwner;
  readonly eventId: string;
  readonly participantId: string;
  /** The token subject of the participant's account, for "my enrollments". */
  readonly accountSubject: string;
  readonly status: EnrollmentStatus;
  /** Arrival order within the event: the waitlist is served in this order. */
  readonly sequence: number;
  /** The seat number held while confirmed (null when unlimited, waitlisted or cancelled). */
  readonly seat: number | null;
  readonly checkInCode: string;
  /** The event's place: officers of this subtree run it. */
  readonly jurisdictionPath: readonly string[];
  readonly organizerOrganizationId: string | null;
  readonly confirmedAt: Date | null;
  readonly checkedInAt: Date | null;
  /**
   * The sessions checked in at, each once, for an event that meets several
   * times; absent (none) on an enrollment never checked in at a session.
   */
  readonly sessionCheckIns?: readonly SessionCheckIn[];
  readonly attendedAt: Date | null;
  readonly attendanceBasis: AttendanceBasisName | null;
  /**
   * When the attendance last recorded was withdrawn (an officer's correction, a
   * check-in invalidated); null when none was, or attendance was recorded again
   * since. A withdrawn attendance is not recorded again from the check-in, only
   * on an officer's word.
   */
  readonly attendanceWithdrawnAt: Date | null;
  readonly cancelledAt: Date | null;
  readonly cancellationReason: CancellationReason | null;
  /** Set when the owner moved the event after this sign-up. */
  readonly rescheduled: {
    readonly startsAt: Date;
    readonly endsAt: Date;
    readonly at: Date;
  } | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** A sign-up: checked in at no session yet. */
export type NewEnrollment = Omit<EnrollmentRecord, 'version' | 'sessionCheckIns'>;

/** Why an insert did not happen: the enrollment, its seat or its check-in code is already someone's. */
export type InsertConflict = 'enrollment' | 'seat' | 'code';

export interface EnrollmentCounts {
  readonly confirmed: number;
  readonly waitlisted: number;
  readonly checkedIn: number;
  readonly attended: number;
}

export interface EnrollmentPageQuery {
  readonly pageSize: number;
  readonly pageToken?: string;
}

/** A conditional change: applied only if the enrollment is still in `expected` state. */
export interface Expectation {
  readonly status: EnrollmentStatus;
  /** Also require no check-in yet (cancel) or no attendance yet (attendance). */
  readonly notCheckedIn?: boolean;
  readonly notAttended?: boolean;
  /** Also require this very check-in (a check-in being withdrawn). */
  readonly checkedInAt?: Date;
  /** Also require this very attendance (an attendance being withdrawn). */
  readonly attendedAt?: Date;
  /** Also require no check-in yet at this session. */
  readonly sessionNotCheckedIn?: string;
}

export interface EnrollmentChange {
  readonly status?: EnrollmentStatus;
  /** null releases the seat. */
  readonly seat?: number | null;
  readonly sequence?: number;
  readonly checkInCode?: string;
  readonly confirmedAt?: Date | null;
  readonly checkedInAt?: Date | null;
  /** Appended to the enrollment's session check-ins. */
  readonly addSessionCheckIn?: SessionCheckIn;
  readonly attendedAt?: Date | null;
  readonly attendanceBasis?: AttendanceBasisName | null;
  readonly attendanceWithdrawnAt?: Date | null;
  readonly cancelledAt?: Date | null;
  readonly cancellationReason?: CancellationReason | null;
  readonly updatedAt: Date;
}

export interface EnrollmentRepository {
  get(scope: Scope, id: string): Promise<EnrollmentRecord | null>;
  getByCode(scope: Scope, eventKey: string, code: string): Promise<EnrollmentRecord | null>;
  /** The enrollments of these ids that exist, in no particular order: one read for a batch of sign-ups. */
  getMany(scope: Scope, ids: readonly string[]): Promise<EnrollmentRecord[]>;
  add(
    enrollment: NewEnrollment,
    events: readonly OutboxEntry[],
  ): Promise<EnrollmentRecord | InsertConflict>;
  /** Each enrollment with its events, stored or refused one by one in one write; outcomes in the order given. */
  addMany(
    items: readonly {
      readonly enrollment: NewEnrollment;
      readonly events: readonly OutboxEntry[];
    }[],
  ): Promise<(EnrollmentRecord | InsertConflict)[]>;
  /** The change with its events, if the enrollment is still as expected; null otherwise; 'seat' when the seat is taken. */
  change(
    id: string,
    expected: Expectation,
    change: EnrollmentChange,
    events: readonly OutboxEntry[],
    /** Marks a freed seat still to be handed on, in the same write; the sweep finds the marked. */
    marks?: { readonly seatToRefill: true },
  ): Promise<EnrollmentRecord | null | 'seat'>;
  /** The waitlisted enrollment that arrived first. */
  firstWaitlisted(eventKey: string): Promise<EnrollmentRecord | null>;
  /** How many waitlisted enrollments arrived before `sequence`. */
  waitlistedBefore(eventKey: string, sequence: number): Promise<number>;
  heldSeats(eventKey: string): Promise<{ readonly confirmed: number; readonly seats: Set<number> }>;
  /** Moves the holder of seat `from` to the free seat `to`; false if `from` is not held or `to` is. */
  moveSeat(eventKey: string, from: number, to: number): Promise<boolean>;
  /** How many enrollments of the event, in any state, hold an arrival number below `sequence`. */
  storedBefore(eventKey: string, sequence: number): Promise<number>;
  /** The arrival numbers the enrollments of the event hold (the sweep's look for numbers never stored). */
  storedSequences(eventKey: string): Promise<number[]>;
  counts(eventKey: string): Promise<EnrollmentCounts>;
  /** Confirmed or waitlisted enrollments of the event not checked in, in id order after `afterId`. */
  activeOf(eventKey: string, afterId: string | null, limit: number): Promise<EnrollmentRecord[]>;
  /** Confirmed, checked in, attendance not yet recorded nor withdrawn; in id order after `afterId`. */
  checkedInNotAttended(
    eventKey: string,
    afterId: string | null,
    limit: number,
  ): Promise<EnrollmentRecord[]>;
  /** The participant's confirmed or waitlisted enrollments not checked in, at most `limit`. */
  openOfParticipant(participantId: string, limit: number): Promise<EnrollmentRecord[]>;
  /** Confirmed and checked in (attendance recorded or not); in id order after `afterId`. */
  checkedInOf(eventKey: string, afterId: string | null, limit: number): Promise<EnrollmentRecord[]>;
  /** Flags every enrollment of the event with the new times; the count flagged. */
  flagRescheduled(eventKey: string, startsAt: Date, endsAt: Date, at: Date): Promise<number>;
  /** The event keys with a freed seat not yet handed on (left by a crash), at most `limit`. */
  eventsWithSeatsToRefill(limit: number): Promise<string[]>;
  /** Clears the marks of freed seats of the event that have been handed on. */
  clearSeatsToRefill(eventKey: string): Promise<void>;
  pageOfParticipant(
    participantId: string,
    query: EnrollmentPageQuery,
  ): Promise<Page<EnrollmentRecord>>;
  pageOfEvent(
    scope: Scope,
    eventKey: string,
    query: EnrollmentPageQuery,
  ): Promise<Page<EnrollmentRecord>>;
}

/** The per-event ledger: arrival numbers, the capacity last seen, and a hint of free seats. */
export interface SeatedEventLedger {
  readonly eventKey: string;
  readonly arrivals: number;
  /** Seats handed out by arrival number without queueing; 0 once the capacity has changed. */
  readonly directSeats: number;
  readonly capacity: Capacity;
  /** A hint that seats may be free with nobody waiting; the seats themselves are the truth. */
  readonly vacancies: number;
  readonly cancelled: boolean;
  /** Arrival numbers no enrollment will hold: given up, or left behind by a rejoin. */
  readonly retired: readonly number[];
}

export interface SeatedEventLedgers {
  /**
   * Takes the next `count` arrival numbers (creating the ledger), recording the
   * capacity in force; `sequence` is the first of them.
   */
  arrive(
    eventKey: string,
    capacity: Capacity,
    count?: number,
  ): Promise<SeatedEventLedger & { sequence: number }>;
  get(eventKey: string): Promise<SeatedEventLedger | null>;
  setVacancies(eventKey: string, vacancies: number): Promise<void>;
  /** Records arrival numbers that no enrollment will hold, so promotions stop waiting for them. */
  retire(eventKey: string, sequences: readonly number[]): Promise<void>;
  /** A changed capacity: recorded, and direct seating closed so the waitlist goes first. */
  changeCapacity(eventKey: string, capacity: Capacity): Promise<void>;
  markCancelled(eventKey: string): Promise<void>;
  /**
   * Ledgers with arrivals since the last sweep and none for `quietMs`: a crash
   * between taking an arrival number and storing the sign-up may have left a seat unused.
   */
  unswept(quietMs: number, limit: number): Promise<SeatedEventLedger[]>;
  /** Marks the ledger swept, unless someone arrived since `arrivals` was read. */
  markSwept(eventKey: string, arrivals: number): Promise<void>;
}

export interface EligibilityFacts {
  readonly participantId: string;
  readonly tier: Tier;
  readonly jurisdictionPath: readonly string[];
  readonly birthDate: CalendarDate | null;
}

export interface ParticipantDirectory {
  findByAccount(accountSubject: string): Promise<EligibilityFacts | null>;
  /** The facts of the participants with these accounts, by account; unknown accounts are absent. */
  findByAccounts(
    accountSubjects: readonly string[],
  ): Promise<ReadonlyMap<string, EligibilityFacts>>;
  findById(
    participantId: string,
  ): Promise<(EligibilityFacts & { accountSubject: string | null }) | null>;
}

/** The attendee as scoring is told of them: where and for whom they were when they attended. */
export interface AttendeeFacts {
  readonly tier: Tier;
  readonly jurisdictionPath: readonly string[];
  /** The learning organizations the person is a member of now (any role). */
  readonly organizationIds: readonly string[];
}

export interface AttendeeDirectory {
  /** Each participant's facts, read in bulk for a batch of attendances; unknown ids are absent. */
  attendees(participantIds: readonly string[]): Promise<ReadonlyMap<string, AttendeeFacts>>;
}

/** What the owner says about its event. */
export interface SeatedEventInfo {
  readonly owner: SeatedEventOwner;
  readonly eventId: string;
  readonly title: string;
  readonly capacity: Capacity;
  readonly window: SignUpWindow;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly audience: Omit<Audience, 'eventDate'> & {
    /** Members of these learning organizations alone may sign up; empty: not members-only. */
    readonly organizationIds: readonly string[];
  };
  readonly status: 'published' | 'under_way' | 'completed' | 'cancelled';
  readonly jurisdictionPath: readonly string[];
  readonly organizerOrganizationId: string | null;
  /** What it teaches; attendance carries these (and the two below) on to scoring. */
  readonly categories: readonly ContentCategory[];
  readonly campaignId: string | null;
  /** The minutes of learning an attendee is credited with, as the owner counts them; 0 when unknown. */
  readonly learningMinutes: number;
  /** The meetings of an event that meets several times, each checked in on its own; empty otherwise. */
  readonly sessions: readonly SeatedSession[];
}

export interface SeatedEventSource {
  /** The owner's answer (briefly cached); SEATED_EVENT_NOT_FOUND or UPSTREAM_UNAVAILABLE otherwise. */
  get(owner: SeatedEventOwner, eventId: string): Promise<SeatedEventInfo>;
  /** Drops the cached answer: the owner changed the event. */
  forget(owner: SeatedEventOwner, eventId: string): Promise<void>;
}

/** Issues check-in codes and signs and verifies QR payloads. */
export interface CheckInCodes {
  newCode(): string;
  qrPayload(enrollmentId: string, code: string): string;
  /** The enrollment id and code of a genuine payload; null for a forgery or garbage. */
  verify(payload: string): { enrollmentId: string; code: string } | null;
}

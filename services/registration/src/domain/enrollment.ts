/**
 * Enrollment in anything with seats: who may sign up, who gets a seat, who
 * moves up the waitlist, and the check-in / attendance rules. The store
 * applies these under its own atomicity; the rules only decide.
 */
import { DomainError } from '@learning/domain';
import { isWithin } from './jurisdictions.js';
import { ageOn, type CalendarDate, type Tier } from './participants.js';
import { isShortCode } from './short-codes.js';

export interface Candidate {
  readonly tier: Tier;
  /** Ancestor codes from the city down to the person's home jurisdiction. */
  readonly jurisdictionPath: readonly string[];
  readonly birthDate: CalendarDate | null;
}

/** Whole years, both ends included. */
export interface AgeBand {
  readonly min: number;
  readonly max: number;
}

/**
 * The audience as the owning service states it. Lists are explicit: an empty
 * `targetTiers` or `areaRootCodes` admits nobody, so a city-wide event names
 * the city's code rather than relying on "empty means everyone".
 */
export interface Audience {
  readonly targetTiers: readonly Tier[];
  readonly areaRootCodes: readonly string[];
  /** Applies to pupils only: the children's programmes are for an age range. */
  readonly pupilAgeBand: AgeBand | null;
  readonly eventDate: CalendarDate;
}

export type RefusalCode =
  'TIER_NOT_TARGETED' | 'OUTSIDE_AREA' | 'AGE_OUTSIDE_BAND' | 'BIRTH_DATE_UNKNOWN' | 'NOT_A_MEMBER';

export interface Refusal {
  readonly code: RefusalCode;
  readonly reason: string;
}

export type Eligibility =
  { readonly eligible: true } | { readonly eligible: false; readonly refusals: readonly Refusal[] };

/** Every reason a person may not sign up, so they learn them all at once. */
export function checkEligibility(candidate: Candidate, audience: Audience): Eligibility {
  const refusals: Refusal[] = [];
  if (!audience.targetTiers.includes(candidate.tier)) {
    refusals.push({ code: 'TIER_NOT_TARGETED', reason: 'This event is not open to your group.' });
  }
  if (!isWithin(candidate.jurisdictionPath, audience.areaRootCodes)) {
    refusals.push({ code: 'OUTSIDE_AREA', reason: 'This event is for residents of another area.' });
  }
  const band = audience.pupilAgeBand;
  if (candidate.tier === 'pupil' && band !== null) {
    if (candidate.birthDate === null) {
      refusals.push({
        code: 'BIRTH_DATE_UNKNOWN',
        reason: 'A birth date is needed to check the age range of this event.',
      });
    } else {
      const age = ageOn(candidate.birthDate, audience.eventDate);
      if (age < band.min || age > band.max) {
        refusals.push({
          code: 'AGE_OUTSIDE_BAND',
          reason: `This event is for pupils aged ${band.min} to ${band.max} on the day.`,
        });
      }
    }
  }
  return refusals.length === 0 ? { eligible: true } : { eligible: false, refusals };
}

/**
 * A members-only event (an enterprise's class for its staff) names the
 * learning organizations whose active members may sign up; an event naming
 * none is not members-only. A refusal to add to the others, so a person
 * learns every reason at once.
 */
export function membershipRefusal(
  memberOf: readonly string[],
  organizationIds: readonly string[],
): Refusal | null {
  if (organizationIds.length === 0 || organizationIds.some((id) => memberOf.includes(id)))
    return null;
  return {
    code: 'NOT_A_MEMBER',
    reason: 'This event is for members of its organizations only.',
  };
}

/** Every refusal of the audience and, for a members-only event, of its membership rule. */
export function withMembership(eligibility: Eligibility, refusal: Refusal | null): Eligibility {
  if (refusal === null) return eligibility;
  return {
    eligible: false,
    refusals: [...(eligibility.eligible ? [] : eligibility.refusals), refusal],
  };
}

/**
 * The area rule, checked again after a person's home moved: a seat taken while
 * living inside the event's area is not kept after moving out of it (else
 * moving in to sign up and moving back would dodge the rule). Only the area:
 * tier and age do not change with a move.
 */
export function movedOutOfArea(
  homePath: readonly string[],
  audience: Pick<Audience, 'areaRootCodes'>,
): boolean {
  return !isWithin(homePath, audience.areaRootCodes);
}

export type Capacity = number | 'unlimited';

export const ENROLLMENT_INVALID_CAPACITY = 'ENROLLMENT_INVALID_CAPACITY';
export const ENROLLMENT_NOT_CONFIRMED = 'ENROLLMENT_NOT_CONFIRMED';
export const ENROLLMENT_CANCEL_AFTER_CHECK_IN = 'ENROLLMENT_CANCEL_AFTER_CHECK_IN';
export const ENROLLMENT_NOT_CHECKED_IN = 'ENROLLMENT_NOT_CHECKED_IN';
export const ENROLLMENT_EVENT_NOT_ENDED = 'ENROLLMENT_EVENT_NOT_ENDED';
export const ENROLLMENT_NOT_ATTENDED = 'ENROLLMENT_NOT_ATTENDED';

function freeSeats(capacity: Capacity, confirmedCount: number): number {
  if (capacity === 'unlimited') return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(capacity) || capacity < 0) {
    throw new DomainError(
      'invalid_argument',
      ENROLLMENT_INVALID_CAPACITY,
      'Capacity is a whole number of seats, zero or more, or "unlimited".',
    );
  }
  // A capacity lowered below the confirmed count leaves no seat, never a negative one.
  return Math.max(0, capacity - confirmedCount);
}

export type SeatAllocation =
  { readonly status: 'confirmed' } | { readonly status: 'waitlisted'; readonly position: number };

/**
 * A new sign-up gets a seat only if one is free and nobody is waiting:
 * otherwise it joins the end of the waitlist (position counts from 1).
 */
export function allocateSeat(
  capacity: Capacity,
  confirmedCount: number,
  waitlistedCount: number,
): SeatAllocation {
  return freeSeats(capacity, confirmedCount) > 0 && waitlistedCount === 0
    ? { status: 'confirmed' }
    : { status: 'waitlisted', position: waitlistedCount + 1 };
}

export interface WaitlistEntry {
  readonly id: string;
  readonly waitlistedAt: Date;
}

/** Waitlist order: earliest first, ties broken by id so every replica agrees. */
export function compareWaitlist(a: WaitlistEntry, b: WaitlistEntry): number {
  const byTime = a.waitlistedAt.getTime() - b.waitlistedAt.getTime();
  if (byTime !== 0) return byTime;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** The waitlisted entries that take the free seats, in promotion order. */
export function promotions<T extends WaitlistEntry>(
  capacity: Capacity,
  confirmedCount: number,
  waitlist: readonly T[],
): T[] {
  const seats = freeSeats(capacity, confirmedCount);
  return waitlist.toSorted(compareWaitlist).slice(0, seats);
}

export type EnrollmentStatus = 'confirmed' | 'waitlisted' | 'cancelled';

export interface EnrollmentState {
  readonly status: EnrollmentStatus;
  readonly checkedInAt: Date | null;
  readonly attendedAt: Date | null;
}

/**
 * Cancelling frees a seat only if one was held; cancelling twice changes
 * nothing (a replayed cancellation event must be harmless). Someone already
 * checked in has used the seat and cannot give it back.
 */
export function cancel(enrollment: EnrollmentState): {
  readonly changed: boolean;
  readonly freesSeat: boolean;
} {
  if (enrollment.status === 'cancelled') return { changed: false, freesSeat: false };
  if (enrollment.checkedInAt !== null) {
    throw new DomainError(
      'failed_precondition',
      ENROLLMENT_CANCEL_AFTER_CHECK_IN,
      'An enrollment that has been checked in cannot be cancelled.',
    );
  }
  return { changed: true, freesSeat: enrollment.status === 'confirmed' };
}

export const requireConfirmed = (enrollment: EnrollmentState): void => {
  if (enrollment.status !== 'confirmed') {
    throw new DomainError(
      'failed_precondition',
      ENROLLMENT_NOT_CONFIRMED,
      `Only a confirmed seat counts; this enrollment is ${enrollment.status}.`,
    );
  }
};

export type CheckInResult =
  | { readonly outcome: 'checked_in'; readonly checkedInAt: Date }
  | { readonly outcome: 'already_checked_in'; readonly checkedInAt: Date };

/**
 * A scan records once: a second scan of the same code (a double tap, or an
 * offline batch uploaded again) reports the first check-in and changes nothing.
 * `scannedAt` is when the officer scanned, not when the upload arrived.
 */
export function checkIn(enrollment: EnrollmentState, scannedAt: Date): CheckInResult {
  requireConfirmed(enrollment);
  return enrollment.checkedInAt === null
    ? { outcome: 'checked_in', checkedInAt: scannedAt }
    : { outcome: 'already_checked_in', checkedInAt: enrollment.checkedInAt };
}

export type AttendanceBasis =
  | { readonly by: 'check_in' }
  /** An officer vouches for someone who was there but never scanned. */
  | { readonly by: 'officer'; readonly eventEndsAt: Date };

export type AttendanceResult =
  | { readonly outcome: 'recorded'; readonly attendedAt: Date }
  | { readonly outcome: 'already_recorded'; readonly attendedAt: Date };

/** Attendance counts after a check-in, or on an officer's word once the event has ended. */
export function recordAttendance(
  enrollment: EnrollmentState,
  basis: AttendanceBasis,
  now: Date,
): AttendanceResult {
  requireConfirmed(enrollment);
  if (enrollment.attendedAt !== null) {
    return { outcome: 'already_recorded', attendedAt: enrollment.attendedAt };
  }
  if (basis.by === 'check_in' && enrollment.checkedInAt === null) {
    throw new DomainError(
      'failed_precondition',
      ENROLLMENT_NOT_CHECKED_IN,
      'Attendance from check-in needs a check-in first.',
    );
  }
  if (basis.by === 'officer' && now.getTime() < basis.eventEndsAt.getTime()) {
    throw new DomainError(
      'failed_precondition',
      ENROLLMENT_EVENT_NOT_ENDED,
      'An officer can confirm attendance only after the event has ended.',
    );
  }
  return { outcome: 'recorded', attendedAt: now };
}

export type AttendanceWithdrawalResult =
  | { readonly outcome: 'withdrawn'; readonly attendedAt: Date; readonly withdrawnAt: Date }
  | { readonly outcome: 'already_withdrawn'; readonly withdrawnAt: Date };

/**
 * An attendance recorded in error is withdrawn once: withdrawing it again
 * reports the first withdrawal and changes nothing, until attendance is
 * recorded again. An enrollment with no attendance, ever, has none to withdraw.
 */
export function withdrawAttendance(
  enrollment: EnrollmentState & { readonly attendanceWithdrawnAt: Date | null },
  now: Date,
): AttendanceWithdrawalResult {
  if (enrollment.attendedAt !== null)
    return { outcome: 'withdrawn', attendedAt: enrollment.attendedAt, withdrawnAt: now };
  if (enrollment.attendanceWithdrawnAt !== null)
    return { outcome: 'already_withdrawn', withdrawnAt: enrollment.attendanceWithdrawnAt };
  throw new DomainError(
    'failed_precondition',
    ENROLLMENT_NOT_ATTENDED,
    'This enrollment has no recorded attendance to withdraw.',
  );
}

/** The services whose events have seats; an enrollment names its event as `<owner>:<eventId>`. */
export const SEATED_EVENT_OWNERS = ['activities', 'lectures', 'training'] as const;
export type SeatedEventOwner = (typeof SEATED_EVENT_OWNERS)[number];

export const eventKeyOf = (owner: SeatedEventOwner, eventId: string): string =>
  `${owner}:${eventId}`;

export const ENROLLMENT_WINDOW_CLOSED = 'ENROLLMENT_WINDOW_CLOSED';
export const ENROLLMENT_EVENT_CANCELLED = 'ENROLLMENT_EVENT_CANCELLED';
export const CHECK_IN_SCAN_IN_FUTURE = 'CHECK_IN_SCAN_IN_FUTURE';

export interface SignUpWindow {
  readonly opensAt: Date;
  readonly closesAt: Date;
}

/** Sign-up is open from `opensAt` (included) until `closesAt` (excluded). */
export function assertSignUpOpen(window: SignUpWindow, now: Date): void {
  const at = now.getTime();
  if (at < window.opensAt.getTime() || at >= window.closesAt.getTime()) {
    throw new DomainError(
      'failed_precondition',
      ENROLLMENT_WINDOW_CLOSED,
      `Sign-up is open from ${window.opensAt.toISOString()} until ${window.closesAt.toISOString()}.`,
    );
  }
}

/** Attendance is confirmed after the event, whatever it is based on. */
export function assertEventEnded(endsAt: Date, now: Date): void {
  if (now.getTime() < endsAt.getTime()) {
    throw new DomainError(
      'failed_precondition',
      ENROLLMENT_EVENT_NOT_ENDED,
      'Attendance can be confirmed only after the event has ended.',
    );
  }
}

/**
 * Seats are numbered 1..capacity and each confirmed enrollment holds one
 * number as a token that the store keeps unique: whatever the interleaving of
 * writers, two enrollments can never hold the same seat, so the confirmed
 * count cannot pass the capacity.
 */
export const seatTokenOf = (eventKey: string, seat: number): string => `${eventKey}#${seat}`;

/**
 * The seat an arrival takes without queueing: its own arrival number, while
 * arrivals still fit the seats that were open when sign-ups began
 * (`directSeats`, closed when the capacity later changes, after which every
 * seat is handed out through the waitlist in order). Null: join the waitlist.
 */
export function directSeat(
  sequence: number,
  capacity: Capacity,
  directSeats: number,
): number | null {
  if (capacity === 'unlimited') return null;
  return sequence >= 1 && sequence <= Math.min(capacity, directSeats) ? sequence : null;
}

/**
 * The seat numbers free for promotions: the lowest numbers in 1..capacity no
 * one holds, no more than the capacity leaves after the confirmed count.
 * Nothing is free while anyone holds a seat above the capacity (a capacity
 * lowered under the seats held): those holders move down first (`seatMoves`),
 * so that promotions only ever use numbers in 1..capacity and the storage's
 * one-holder-per-seat rule alone keeps the confirmed within the capacity,
 * whatever two promoters read.
 */
export function freeSeatNumbers(
  capacity: Capacity,
  confirmedCount: number,
  heldSeats: ReadonlySet<number>,
  wanted: number,
): number[] {
  if (capacity === 'unlimited') return [];
  if ([...heldSeats].some((seat) => seat > capacity)) return [];
  const room = Math.min(wanted, freeSeats(capacity, confirmedCount));
  const free: number[] = [];
  for (let seat = 1; seat <= capacity && free.length < room; seat += 1) {
    if (!heldSeats.has(seat)) free.push(seat);
  }
  return free;
}

/** Seats above the capacity paired with the lowest free seats within it: the highest moves first. */
export function seatMoves(
  capacity: Capacity,
  heldSeats: ReadonlySet<number>,
): { readonly from: number; readonly to: number }[] {
  if (capacity === 'unlimited') return [];
  const above = [...heldSeats].filter((seat) => seat > capacity).sort((a, b) => b - a);
  const moves: { from: number; to: number }[] = [];
  for (let seat = 1; seat <= capacity && moves.length < above.length; seat += 1) {
    const from = above[moves.length];
    if (!heldSeats.has(seat) && from !== undefined) moves.push({ from, to: seat });
  }
  return moves;
}

/**
 * Whether every arrival numbered before `sequence` is stored (as an enrollment
 * holding that number) or was given up (`retired`: a duplicate sign-up, a
 * rejoin's old number, a sign-up that died). Until then an earlier arrival's
 * insert may still be in flight, and promoting `sequence` would pass it over.
 */
export function earlierArrivalsSettled(
  sequence: number,
  storedBefore: number,
  retired: readonly number[],
): boolean {
  const retiredBefore = retired.filter((number) => number < sequence).length;
  return storedBefore + retiredBefore >= sequence - 1;
}

/**
 * The QR payload: `LSQ1.<enrollmentId>.<code>.<signature>`, where the
 * signature is a keyed MAC of the rest (computed by the caller). A payload
 * that does not parse, or whose signature does not match, is a forgery.
 */
export const QR_PREFIX = 'LSQ1';

export interface QrContent {
  readonly enrollmentId: string;
  readonly code: string;
}

export const qrSignedPart = (content: QrContent): string =>
  `${QR_PREFIX}.${content.enrollmentId}.${content.code}`;

export const qrPayloadOf = (content: QrContent, signature: string): string =>
  `${qrSignedPart(content)}.${signature}`;

/** Splits a payload; null when it is not shaped like one of ours. The signature is checked by the caller. */
export function parseQrPayload(
  payload: string,
): { readonly content: QrContent; readonly signature: string } | null {
  const parts = payload.split('.');
  if (parts.length !== 4 || parts[0] !== QR_PREFIX) return null;
  const [, enrollmentId = '', code = '', signature = ''] = parts;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(enrollmentId) || !isShortCode(code)) return null;
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(signature)) return null;
  return { content: { enrollmentId, code }, signature };
}

/** How far ahead of the service's clock a scan's time may be: device clocks drift. */
export const SCAN_CLOCK_SKEW_MS = 5 * 60 * 1000;

export function assertScanTime(scannedAt: Date, now: Date): void {
  if (scannedAt.getTime() > now.getTime() + SCAN_CLOCK_SKEW_MS) {
    throw new DomainError(
      'invalid_argument',
      CHECK_IN_SCAN_IN_FUTURE,
      'The scan time is in the future; check the scanning device’s clock.',
    );
  }
}

export const CHECK_IN_NOT_OPEN = 'CHECK_IN_NOT_OPEN';
export const CHECK_IN_CLOSED = 'CHECK_IN_CLOSED';

/** How long before the start check-in opens, and how long after the end it closes. */
export interface CheckInWindowRule {
  readonly opensBeforeMinutes: number;
  readonly closesAfterMinutes: number;
}

export interface EventTimes {
  readonly startsAt: Date;
  readonly endsAt: Date;
}

const MINUTE_MS = 60_000;

/** Check-in is open from `opensAt` until `closesAt`, both included. */
export function checkInWindowOf(
  times: EventTimes,
  rule: CheckInWindowRule,
): { readonly opensAt: Date; readonly closesAt: Date } {
  return {
    opensAt: new Date(times.startsAt.getTime() - rule.opensBeforeMinutes * MINUTE_MS),
    closesAt: new Date(times.endsAt.getTime() + rule.closesAfterMinutes * MINUTE_MS),
  };
}

/** Whether a check-in made at `checkedInAt` falls within the event's check-in window. */
export function withinCheckInWindow(
  checkedInAt: Date,
  times: EventTimes,
  rule: CheckInWindowRule,
): boolean {
  const { opensAt, closesAt } = checkInWindowOf(times, rule);
  const at = checkedInAt.getTime();
  return at >= opensAt.getTime() && at <= closesAt.getTime();
}

/**
 * A scan counts only near the event (or the session scanned for): nobody is
 * checked in days before it, or long after.
 */
export function assertCheckInOpen(
  scannedAt: Date,
  times: EventTimes,
  rule: CheckInWindowRule,
  what: 'event' | 'session' = 'event',
): void {
  const { opensAt, closesAt } = checkInWindowOf(times, rule);
  if (scannedAt.getTime() < opensAt.getTime()) {
    throw new DomainError(
      'failed_precondition',
      CHECK_IN_NOT_OPEN,
      `Check-in opens at ${opensAt.toISOString()}, ${rule.opensBeforeMinutes} minutes before the ${what} starts.`,
    );
  }
  if (scannedAt.getTime() > closesAt.getTime()) {
    throw new DomainError(
      'failed_precondition',
      CHECK_IN_CLOSED,
      `Check-in closed at ${closesAt.toISOString()}, ${rule.closesAfterMinutes} minutes after the ${what} ended.`,
    );
  }
}

export interface Scan {
  /** What the scan points at: the enrollment, once resolved. */
  readonly target: string;
  readonly scannedAt: Date;
}

/**
 * An offline batch may hold the same person scanned twice (a double tap, or
 * two officers' lists merged). Each target is applied once, at its earliest
 * scan; every other scan of it is reported as a repeat of that one.
 */
export function firstScans(scans: readonly Scan[]): {
  readonly first: Map<string, number>;
  readonly repeatOf: Map<number, number>;
} {
  const first = new Map<string, number>();
  scans.forEach((scan, index) => {
    const earlier = first.get(scan.target);
    const earlierScan = earlier === undefined ? undefined : scans[earlier];
    if (earlierScan === undefined || scan.scannedAt.getTime() < earlierScan.scannedAt.getTime())
      first.set(scan.target, index);
  });
  const repeatOf = new Map<number, number>();
  scans.forEach((scan, index) => {
    const chosen = first.get(scan.target);
    if (chosen !== undefined && chosen !== index) repeatOf.set(index, chosen);
  });
  return { first, repeatOf };
}

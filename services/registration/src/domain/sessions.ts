/**
 * Check-in at one session of an event that meets several times (a training
 * class, decision 0018): the scan names the session, counts only within that
 * session's check-in window, and is recorded once per (enrollment, session).
 * The enrollment's first session check-in also checks the enrollment in.
 */
import { DomainError } from '@learning/domain';
import { requireConfirmed, type EnrollmentState } from './enrollment.js';

export const CHECK_IN_SESSION_UNKNOWN = 'CHECK_IN_SESSION_UNKNOWN';
export const CHECK_IN_SESSION_REQUIRED = 'CHECK_IN_SESSION_REQUIRED';

/** One meeting of the event, as its owner lists it. */
export interface SeatedSession {
  readonly sessionId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** The minutes of learning an attendee of this session is credited with. */
  readonly learningMinutes: number;
}

/** A session an enrollment was checked in at, at the officer's scan time. */
export interface SessionCheckIn {
  readonly sessionId: string;
  readonly at: Date;
}

/**
 * A scan naming no session is for the event as a whole, which an event with
 * sessions refuses: its hours are counted by the session, and a check-in
 * without one would count for nothing the trainee could later show.
 */
export function assertNoSessionNeeded(sessions: readonly SeatedSession[]): void {
  if (sessions.length > 0) {
    throw new DomainError(
      'invalid_argument',
      CHECK_IN_SESSION_REQUIRED,
      'This event meets several times: name the session (`sessionId`) the scan is for.',
    );
  }
}

/** The session a scan names, which the event must list. */
export function sessionOf(sessions: readonly SeatedSession[], sessionId: string): SeatedSession {
  const session = sessions.find((candidate) => candidate.sessionId === sessionId);
  if (session === undefined) {
    throw new DomainError(
      'invalid_argument',
      CHECK_IN_SESSION_UNKNOWN,
      sessions.length === 0
        ? 'This event meets once: a scan for it names no session.'
        : 'This event has no such session.',
    );
  }
  return session;
}

export type SessionCheckInResult =
  | {
      readonly outcome: 'checked_in';
      readonly checkedInAt: Date;
      /** The enrollment's first check-in: it is checked in too, in the same write. */
      readonly checksInEnrollment: boolean;
    }
  | { readonly outcome: 'already_checked_in'; readonly checkedInAt: Date };

/**
 * A session records once per enrollment: scanning again for the same session
 * (a double tap, an offline batch uploaded again) reports the first check-in
 * and changes nothing; another session records on its own.
 */
export function checkInAtSession(
  enrollment: EnrollmentState & { readonly sessionCheckIns: readonly SessionCheckIn[] },
  sessionId: string,
  scannedAt: Date,
): SessionCheckInResult {
  requireConfirmed(enrollment);
  const earlier = enrollment.sessionCheckIns.find((entry) => entry.sessionId === sessionId);
  if (earlier !== undefined) return { outcome: 'already_checked_in', checkedInAt: earlier.at };
  return {
    outcome: 'checked_in',
    checkedInAt: scannedAt,
    checksInEnrollment: enrollment.checkedInAt === null,
  };
}

/**
 * The stable codes of the enrollment slice, each with its kind and meaning
 * (`enrollmentErrors`), and the errors behind them. The README's enrollment
 * error table is this catalogue's table; a unit test keeps the two the same.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  CHECK_IN_CLOSED,
  CHECK_IN_NOT_OPEN,
  CHECK_IN_SCAN_IN_FUTURE,
  ENROLLMENT_CANCEL_AFTER_CHECK_IN,
  ENROLLMENT_EVENT_CANCELLED,
  ENROLLMENT_EVENT_NOT_ENDED,
  ENROLLMENT_INVALID_CAPACITY,
  ENROLLMENT_NOT_ATTENDED,
  ENROLLMENT_NOT_CHECKED_IN,
  ENROLLMENT_NOT_CONFIRMED,
  ENROLLMENT_WINDOW_CLOSED,
  type Refusal,
} from '../../domain/enrollment.js';
import { CHECK_IN_SESSION_REQUIRED, CHECK_IN_SESSION_UNKNOWN } from '../../domain/sessions.js';

export const ENROLLMENT_NOT_FOUND = 'ENROLLMENT_NOT_FOUND';
export const ENROLLMENT_NOT_ELIGIBLE = 'ENROLLMENT_NOT_ELIGIBLE';
export const ENROLLMENT_CONFLICT = 'ENROLLMENT_CONFLICT';
export const PARTICIPANT_NOT_REGISTERED = 'PARTICIPANT_NOT_REGISTERED';
export const SEATED_EVENT_NOT_FOUND = 'SEATED_EVENT_NOT_FOUND';
export const SEATED_EVENT_INVALID = 'SEATED_EVENT_INVALID';
export const SEATED_EVENT_REF_INVALID = 'SEATED_EVENT_REF_INVALID';
export const PARTICIPANT_ID_REQUIRED = 'PARTICIPANT_ID_REQUIRED';
export const TOO_MANY_EVENTS = 'TOO_MANY_EVENTS';
export const CHECK_IN_CODE_UNKNOWN = 'CHECK_IN_CODE_UNKNOWN';
export const CHECK_IN_QR_INVALID = 'CHECK_IN_QR_INVALID';
export const CHECK_IN_TARGET_MISSING = 'CHECK_IN_TARGET_MISSING';
export const CHECK_IN_FAILED = 'CHECK_IN_FAILED';
export const ATTENDANCE_IDS_REQUIRED = 'ATTENDANCE_IDS_REQUIRED';

/** Besides these, the platform's codes (libs/errors): UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, … */
export const enrollmentErrors = defineErrorCodes({
  [CHECK_IN_QR_INVALID]: { kind: 'invalid_argument', when: 'a forged or damaged QR payload' },
  [CHECK_IN_TARGET_MISSING]: {
    kind: 'invalid_argument',
    when: 'a scan with neither `qr` nor `code`+`owner`+`eventId`',
  },
  [CHECK_IN_SCAN_IN_FUTURE]: {
    kind: 'invalid_argument',
    when: '`scannedAt` more than 5 min ahead of the service clock',
  },
  [CHECK_IN_SESSION_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a scan naming a `sessionId` its event does not list (or an event that meets once)',
  },
  [CHECK_IN_SESSION_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'a scan without `sessionId` for an event that meets several times (a training class)',
  },
  [ATTENDANCE_IDS_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'attendance `by: officer` without `enrollmentIds`',
  },
  [ENROLLMENT_INVALID_CAPACITY]: {
    kind: 'invalid_argument',
    when: 'the owner gave a capacity that is not a whole number of seats, zero or more',
  },
  [SEATED_EVENT_REF_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: an event not named by a known owner and an id of 1–64 letters, digits, `_` or `-`',
  },
  [PARTICIPANT_ID_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'gRPC: `CheckEligibility` without a participant id',
  },
  [TOO_MANY_EVENTS]: {
    kind: 'invalid_argument',
    when: 'gRPC: `GetEnrollmentCounts` for more than 100 events',
  },
  [ENROLLMENT_NOT_ELIGIBLE]: {
    kind: 'permission_denied',
    when:
      'the audience refuses; `details` list EVERY refusal (`field` = `TIER_NOT_TARGETED`, ' +
      '`OUTSIDE_AREA`, `AGE_OUTSIDE_BAND`, `BIRTH_DATE_UNKNOWN`, `NOT_A_MEMBER`, `message` = reason). 403 rather ' +
      'than 422: the platform’s error kinds have no 422, and "not allowed for you" is what it means',
  },
  [ENROLLMENT_NOT_FOUND]: { kind: 'not_found', when: 'unknown, or not the caller’s to see' },
  [SEATED_EVENT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'the owner does not know it; also events the caller does not run (roster, attendance)',
  },
  [CHECK_IN_CODE_UNKNOWN]: {
    kind: 'not_found',
    when: 'no such code in that event, or not an event the officer runs',
  },
  [PARTICIPANT_NOT_REGISTERED]: {
    kind: 'failed_precondition',
    when: 'the account has no participant record',
  },
  [ENROLLMENT_WINDOW_CLOSED]: {
    kind: 'failed_precondition',
    when: 'before the sign-up window opens or from its close',
  },
  [ENROLLMENT_EVENT_CANCELLED]: {
    kind: 'failed_precondition',
    when: 'the owner cancelled the event',
  },
  [ENROLLMENT_CANCEL_AFTER_CHECK_IN]: {
    kind: 'failed_precondition',
    when: 'cancelling a checked-in enrollment',
  },
  [ENROLLMENT_NOT_CONFIRMED]: {
    kind: 'failed_precondition',
    when: 'check-in / attendance of a waitlisted or cancelled enrollment',
  },
  [ENROLLMENT_NOT_ATTENDED]: {
    kind: 'failed_precondition',
    when: 'withdrawing the attendance of an enrollment whose attendance was never recorded',
  },
  [ENROLLMENT_NOT_CHECKED_IN]: {
    kind: 'failed_precondition',
    when: 'attendance `by: check_in` of an enrollment never checked in (a refusal in the answer)',
  },
  [ENROLLMENT_EVENT_NOT_ENDED]: {
    kind: 'failed_precondition',
    when: 'attendance before the event’s end',
  },
  [CHECK_IN_NOT_OPEN]: {
    kind: 'failed_precondition',
    when: 'a scan earlier than the check-in window: more than `CHECK_IN_OPENS_MINUTES_BEFORE` minutes before the start (of the session scanned for, when one is)',
  },
  [CHECK_IN_CLOSED]: {
    kind: 'failed_precondition',
    when: 'a scan later than the check-in window: more than `CHECK_IN_CLOSES_MINUTES_AFTER` minutes after the end (of the session scanned for, when one is)',
  },
  [ENROLLMENT_CONFLICT]: {
    kind: 'aborted',
    when: 'lost to concurrent changes 5 times running; retry',
  },
  [SEATED_EVENT_INVALID]: {
    kind: 'internal',
    when: 'the owner described the event without what sign-up needs',
  },
  [CHECK_IN_FAILED]: {
    kind: 'internal',
    when: 'a scan of a batch was left without a result (a refusal in the answer)',
  },
});

export const enrollmentNotFound = (): AppError =>
  enrollmentErrors.error(ENROLLMENT_NOT_FOUND, 'There is no such enrollment.');

export const seatedEventNotFound = (): AppError =>
  enrollmentErrors.error(SEATED_EVENT_NOT_FOUND, 'There is no such event to sign up for.');

/** The owner's answer lacks what sign-up needs: its fault, not the caller's. */
export const seatedEventInvalid = (): AppError =>
  enrollmentErrors.error(
    SEATED_EVENT_INVALID,
    'The owner of this event described it incompletely.',
  );

export const seatedEventRefInvalid = (): AppError =>
  enrollmentErrors.error(
    SEATED_EVENT_REF_INVALID,
    'Name the event by a known owner and a valid id.',
  );

export const participantIdRequired = (): AppError =>
  enrollmentErrors.error(PARTICIPANT_ID_REQUIRED, 'Name the participant.');

export const tooManyEvents = (limit: number): AppError =>
  enrollmentErrors.error(TOO_MANY_EVENTS, `At most ${limit} events per call.`);

export const participantNotRegistered = (): AppError =>
  enrollmentErrors.error(
    PARTICIPANT_NOT_REGISTERED,
    'Register as a participant before signing up.',
  );

export const eventCancelled = (): AppError =>
  enrollmentErrors.error(ENROLLMENT_EVENT_CANCELLED, 'This event has been cancelled.');

/** Every refusal at once, each as a detail: `field` is the refusal code. */
export const notEligible = (refusals: readonly Refusal[]): AppError =>
  enrollmentErrors.error(
    ENROLLMENT_NOT_ELIGIBLE,
    'You cannot sign up for this event; see details.',
    {
      details: refusals.map((refusal) => ({ field: refusal.code, message: refusal.reason })),
    },
  );

/** Lost to concurrent changes more often than is plausible: the caller may simply retry. */
export const enrollmentConflict = (): AppError =>
  enrollmentErrors.error(
    ENROLLMENT_CONFLICT,
    'The enrollment was changed at the same time; please try again.',
  );

export const checkInCodeUnknown = (): AppError =>
  enrollmentErrors.error(CHECK_IN_CODE_UNKNOWN, 'No enrollment of yours to check has this code.');

export const checkInQrInvalid = (): AppError =>
  enrollmentErrors.error(CHECK_IN_QR_INVALID, 'This QR code is not a genuine check-in code.');

export const checkInTargetMissing = (): AppError =>
  enrollmentErrors.error(
    CHECK_IN_TARGET_MISSING,
    'A scan has either `qr`, or `code` with the event’s `owner` and `eventId`.',
  );

/** A scan of a batch that no step answered: a bug, reported as such. */
export const checkInFailed = (): AppError =>
  enrollmentErrors.error(CHECK_IN_FAILED, 'A scan was left without a result.');

export const attendanceIdsRequired = (): AppError =>
  enrollmentErrors.error(
    ATTENDANCE_IDS_REQUIRED,
    'List the enrollments the officer vouches for in `enrollmentIds`.',
  );

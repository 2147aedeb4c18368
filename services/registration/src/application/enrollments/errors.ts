/** The codes the enrollment use cases add of their own. */
import { AppError } from '@learning/errors';
import type { Refusal } from '../../domain/enrollment.js';

export const ENROLLMENT_NOT_FOUND = 'ENROLLMENT_NOT_FOUND';
export const ENROLLMENT_NOT_ELIGIBLE = 'ENROLLMENT_NOT_ELIGIBLE';
export const ENROLLMENT_CONFLICT = 'ENROLLMENT_CONFLICT';
export const PARTICIPANT_NOT_REGISTERED = 'PARTICIPANT_NOT_REGISTERED';
export const SEATED_EVENT_NOT_FOUND = 'SEATED_EVENT_NOT_FOUND';
export const CHECK_IN_CODE_UNKNOWN = 'CHECK_IN_CODE_UNKNOWN';
export const CHECK_IN_QR_INVALID = 'CHECK_IN_QR_INVALID';
export const CHECK_IN_TARGET_MISSING = 'CHECK_IN_TARGET_MISSING';

export const enrollmentNotFound = (): AppError =>
  new AppError('not_found', ENROLLMENT_NOT_FOUND, 'There is no such enrollment.');

export const seatedEventNotFound = (): AppError =>
  new AppError('not_found', SEATED_EVENT_NOT_FOUND, 'There is no such event to sign up for.');

export const participantNotRegistered = (): AppError =>
  new AppError(
    'failed_precondition',
    PARTICIPANT_NOT_REGISTERED,
    'Register as a participant before signing up.',
  );

/** Every refusal at once, each as a detail: `field` is the refusal code. */
export const notEligible = (refusals: readonly Refusal[]): AppError =>
  new AppError(
    'permission_denied',
    ENROLLMENT_NOT_ELIGIBLE,
    'You cannot sign up for this event; see details.',
    { details: refusals.map((refusal) => ({ field: refusal.code, message: refusal.reason })) },
  );

/** Lost to concurrent changes more often than is plausible: the caller may simply retry. */
export const enrollmentConflict = (): AppError =>
  new AppError(
    'aborted',
    ENROLLMENT_CONFLICT,
    'The enrollment was changed at the same time; please try again.',
  );

export const checkInCodeUnknown = (): AppError =>
  new AppError(
    'not_found',
    CHECK_IN_CODE_UNKNOWN,
    'No enrollment of yours to check has this code.',
  );

export const checkInQrInvalid = (): AppError =>
  new AppError(
    'invalid_argument',
    CHECK_IN_QR_INVALID,
    'This QR code is not a genuine check-in code.',
  );

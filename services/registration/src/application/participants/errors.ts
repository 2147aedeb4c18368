/** The stable codes the participant use cases report, and the errors behind them. */
import { AppError } from '@learning/errors';

export const PARTICIPANT_NOT_FOUND = 'PARTICIPANT_NOT_FOUND';
export const PARTICIPANT_ALREADY_REGISTERED = 'PARTICIPANT_ALREADY_REGISTERED';
export const ACCOUNT_ALREADY_REGISTERED = 'ACCOUNT_ALREADY_REGISTERED';
export const VERSION_REQUIRED = 'VERSION_REQUIRED';
/** The same code the versioned write reports when it loses a race. */
export const VERSION_CONFLICT = 'VERSION_CONFLICT';
export const PARTICIPANT_IDS_INVALID = 'PARTICIPANT_IDS_INVALID';
export const AUDIENCE_FILTER_INVALID = 'AUDIENCE_FILTER_INVALID';
export const CONTACTS_FORBIDDEN = 'CONTACTS_FORBIDDEN';
export const PARTICIPANT_CLAIM_REQUIRED = 'PARTICIPANT_CLAIM_REQUIRED';
export const PARTICIPANT_ALREADY_CLAIMED = 'PARTICIPANT_ALREADY_CLAIMED';
export const PARTICIPANT_CLAIM_REFUSED = 'PARTICIPANT_CLAIM_REFUSED';

export const participantNotFound = (): AppError =>
  new AppError('not_found', PARTICIPANT_NOT_FOUND, 'The participant was not found.');

/** Says that the number is taken, never by whom or where. */
export const participantAlreadyRegistered = (): AppError =>
  new AppError(
    'conflict',
    PARTICIPANT_ALREADY_REGISTERED,
    'A participant with this ID number is already registered. If it is you, ask an officer for help.',
  );

/** The number waits for its person's claim: says how to claim it, nothing about the record. */
export const participantClaimRequired = (): AppError =>
  new AppError(
    'conflict',
    PARTICIPANT_CLAIM_REQUIRED,
    'A record with this ID number was registered for you without an account. Ask your township ' +
      'or community officer for a claim code, then claim the record with it.',
  );

export const participantAlreadyClaimed = (): AppError =>
  new AppError(
    'failed_precondition',
    PARTICIPANT_ALREADY_CLAIMED,
    'The participant already belongs to an account; there is nothing to claim.',
  );

/** One answer for every failed claim, so that trying codes or numbers reveals nothing. */
export const participantClaimRefused = (): AppError =>
  new AppError(
    'permission_denied',
    PARTICIPANT_CLAIM_REFUSED,
    'The ID number and claim code do not match a record waiting to be claimed. Check both, ' +
      'or ask your officer for a new code.',
  );

export const accountAlreadyRegistered = (): AppError =>
  new AppError(
    'conflict',
    ACCOUNT_ALREADY_REGISTERED,
    'Your account already has a participant record; correct it instead of registering again.',
  );

export const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    VERSION_CONFLICT,
    'The participant was changed by someone else; reload it and try again.',
  );

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

export const participantNotFound = (): AppError =>
  new AppError('not_found', PARTICIPANT_NOT_FOUND, 'The participant was not found.');

/** Says that the number is taken, never by whom or where. */
export const participantAlreadyRegistered = (): AppError =>
  new AppError(
    'conflict',
    PARTICIPANT_ALREADY_REGISTERED,
    'A participant with this ID number is already registered. If it is you, ask an officer for help.',
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

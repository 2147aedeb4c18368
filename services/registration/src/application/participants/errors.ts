/**
 * The stable codes of the participant slice, each with its kind and meaning
 * (`participantErrors`), and the errors behind them. The README's participant
 * error table is this catalogue's table; a unit test keeps the two the same.
 */
import { defineErrorCodes, platformErrors, type AppError } from '@learning/errors';
import {
  CLAIM_CODE_FORMAT,
  CONSENT_CONTRADICTORY,
  EMAIL_FORMAT,
  EMPLOYER_INVALID,
  ID_NUMBER_BIRTH_DATE,
  ID_NUMBER_CHECK_DIGIT,
  ID_NUMBER_FORMAT,
  PARTICIPANT_NAME_INVALID,
  PHONE_FORMAT,
  WECHAT_OPENID_FORMAT,
} from '../../domain/participants.js';

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
export const CORRECTION_REASON_REQUIRED = 'CORRECTION_REASON_REQUIRED';

/** Besides these, the platform's codes (libs/errors): VALIDATION_FAILED, VERSION_CONFLICT, … */
export const participantErrors = defineErrorCodes({
  [ID_NUMBER_FORMAT]: {
    kind: 'invalid_argument',
    when: 'not an 18-character resident ID number (registration, search)',
  },
  [ID_NUMBER_CHECK_DIGIT]: {
    kind: 'invalid_argument',
    when: 'the ID number’s check character is wrong',
  },
  [ID_NUMBER_BIRTH_DATE]: {
    kind: 'invalid_argument',
    when: 'the birth date in the ID number is not a date, or in the future',
  },
  [PHONE_FORMAT]: { kind: 'invalid_argument', when: 'not a mainland mobile number' },
  [EMAIL_FORMAT]: { kind: 'invalid_argument', when: 'not an e-mail address' },
  [WECHAT_OPENID_FORMAT]: {
    kind: 'invalid_argument',
    when: 'a WeChat openid not of 16 to 64 letters, digits, `_` or `-`',
  },
  [CONSENT_CONTRADICTORY]: {
    kind: 'invalid_argument',
    when: '`consent.notifications` sent with channels it contradicts',
  },
  [PARTICIPANT_NAME_INVALID]: {
    kind: 'invalid_argument',
    when: 'a name that is blank, too long, or holds control or invisible characters (imports)',
  },
  [EMPLOYER_INVALID]: { kind: 'invalid_argument', when: 'an employer name of the same faults' },
  [VERSION_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'a correction without `If-Match` or `version`, or a malformed `If-Match`',
  },
  [CLAIM_CODE_FORMAT]: {
    kind: 'invalid_argument',
    when: 'a claim code that is not 8 characters of the code alphabet',
  },
  [CORRECTION_REASON_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'an officer’s correction without a reason',
  },
  [PARTICIPANT_IDS_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: 0 or more than 500 ids, ids that are not lower-case UUIDs, or more than 100 account subjects or an empty one',
  },
  [AUDIENCE_FILTER_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: a page size outside 1..1000, an unknown enum, a code not of 12 digits, a bad event key',
  },
  [PARTICIPANT_CLAIM_REFUSED]: {
    kind: 'permission_denied',
    when: 'a claim with an unknown number, a wrong, expired or spent code, or a claimed record',
  },
  [CONTACTS_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'gRPC: a service that may not read contacts asked for them',
  },
  [PARTICIPANT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such participant in your scope; no record for your account',
  },
  [PARTICIPANT_ALREADY_REGISTERED]: {
    kind: 'conflict',
    when: 'the ID number is registered to another record',
  },
  [PARTICIPANT_CLAIM_REQUIRED]: {
    kind: 'conflict',
    when: 'self-registration of a number whose record waits to be claimed: ask for a claim code',
  },
  [PARTICIPANT_ALREADY_CLAIMED]: {
    kind: 'failed_precondition',
    when: 'a claim code for a record that already belongs to an account',
  },
  [ACCOUNT_ALREADY_REGISTERED]: {
    kind: 'conflict',
    when: 'your account has a record under another ID number (registering or claiming)',
  },
});

export const participantNotFound = (): AppError =>
  participantErrors.error(PARTICIPANT_NOT_FOUND, 'The participant was not found.');

/** Says that the number is taken, never by whom or where. */
export const participantAlreadyRegistered = (): AppError =>
  participantErrors.error(
    PARTICIPANT_ALREADY_REGISTERED,
    'A participant with this ID number is already registered. If it is you, ask an officer for help.',
  );

/** The number waits for its person's claim: says how to claim it, nothing about the record. */
export const participantClaimRequired = (): AppError =>
  participantErrors.error(
    PARTICIPANT_CLAIM_REQUIRED,
    'A record with this ID number was registered for you without an account. Ask your township ' +
      'or community officer for a claim code, then claim the record with it.',
  );

export const participantAlreadyClaimed = (): AppError =>
  participantErrors.error(
    PARTICIPANT_ALREADY_CLAIMED,
    'The participant already belongs to an account; there is nothing to claim.',
  );

/** One answer for every failed claim, so that trying codes or numbers reveals nothing. */
export const participantClaimRefused = (): AppError =>
  participantErrors.error(
    PARTICIPANT_CLAIM_REFUSED,
    'The ID number and claim code do not match a record waiting to be claimed. Check both, ' +
      'or ask your officer for a new code.',
  );

export const accountAlreadyRegistered = (): AppError =>
  participantErrors.error(
    ACCOUNT_ALREADY_REGISTERED,
    'Your account already has a participant record; correct it instead of registering again.',
  );

export const versionConflict = (): AppError =>
  platformErrors.error(
    VERSION_CONFLICT,
    'The participant was changed by someone else; reload it and try again.',
  );

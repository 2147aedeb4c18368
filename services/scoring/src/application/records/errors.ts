/**
 * The records slice's codes (`recordsErrors`; the README's records error
 * table is its table). Someone else's record is answered as not found, never
 * as forbidden, so asking cannot tell whether a person is registered.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import { RECORD_YEAR_INVALID } from '../../domain/records.js';

export const RECORD_NOT_FOUND = 'RECORD_NOT_FOUND';
export const RECORD_NOT_REGISTERED = 'RECORD_NOT_REGISTERED';
export const RECORD_ORGANIZATION_NOT_FOUND = 'RECORD_ORGANIZATION_NOT_FOUND';
export const RECORD_ORGANIZATION_FORBIDDEN = 'RECORD_ORGANIZATION_FORBIDDEN';
export const RECORD_ID_INVALID = 'RECORD_ID_INVALID';

/** Besides these, the platform's codes (libs/errors): CURSOR_INVALID, ROLE_REQUIRED, … */
export const recordsErrors = defineErrorCodes({
  [RECORD_YEAR_INVALID]: {
    kind: 'invalid_argument',
    when: 'a year before 2000, after next year, or not a whole number',
  },
  [RECORD_ID_INVALID]: {
    kind: 'invalid_argument',
    when: 'a participant or organization id that is not a lower-case UUID (gRPC)',
  },
  [RECORD_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such participant, or one whose record you may not see (the two are not told apart)',
  },
  [RECORD_NOT_REGISTERED]: {
    kind: 'not_found',
    when: 'your account is not a registered participant, so it has no record',
  },
  [RECORD_ORGANIZATION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'registration knows no such organization',
  },
  [RECORD_ORGANIZATION_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'an organization you neither administer nor oversee (office: city admins; area officers: in their area)',
  },
});

export const recordNotFound = (): AppError =>
  recordsErrors.error(RECORD_NOT_FOUND, 'No learning record was found for that participant.');

export const notRegistered = (): AppError =>
  recordsErrors.error(
    RECORD_NOT_REGISTERED,
    'Your account is not a registered participant yet, so it has no learning record.',
  );

export const organizationNotFound = (): AppError =>
  recordsErrors.error(RECORD_ORGANIZATION_NOT_FOUND, 'The organization was not found.');

export const organizationForbidden = (): AppError =>
  recordsErrors.error(
    RECORD_ORGANIZATION_FORBIDDEN,
    "Only the organization's admins, the officers of its area and the campaign office see its members' credits.",
  );

export const idInvalid = (what: 'participant' | 'organization'): AppError =>
  recordsErrors.error(RECORD_ID_INVALID, `A ${what} id is a lower-case UUID.`);

/**
 * The stable codes of the officer directory (`officerErrors`). The README's
 * officer error table is this catalogue's table; a unit test keeps the two the same.
 */
import type { AppError } from '@learning/errors';
import { defineErrorCodes } from '@learning/errors';
import { EMAIL_FORMAT, PHONE_FORMAT } from '@learning/domain';

export const OFFICER_ROLE_REQUIRED = 'OFFICER_ROLE_REQUIRED';
export const OFFICER_NOT_FOUND = 'OFFICER_NOT_FOUND';
export const OFFICER_DIRECTORY_FORBIDDEN = 'OFFICER_DIRECTORY_FORBIDDEN';
export const OFFICER_CRITERIA_INVALID = 'OFFICER_CRITERIA_INVALID';

export const officerErrors = defineErrorCodes({
  [PHONE_FORMAT]: {
    kind: 'invalid_argument',
    when: 'a duty phone that is not a mainland mobile number',
  },
  [EMAIL_FORMAT]: { kind: 'invalid_argument', when: 'a duty e-mail that is not an e-mail address' },
  [OFFICER_ROLE_REQUIRED]: {
    kind: 'permission_denied',
    when: 'the caller is not a city admin, department officer or area officer',
  },
  [OFFICER_NOT_FOUND]: { kind: 'not_found', when: 'the caller has no duty contact on record' },
  [OFFICER_DIRECTORY_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'FindOfficers called by a service other than notifications',
  },
  [OFFICER_CRITERIA_INVALID]: {
    kind: 'invalid_argument',
    when: 'FindOfficers with an unknown role, or a malformed jurisdiction or department code',
  },
});

export const officerRoleRequired = (): AppError =>
  officerErrors.error(
    OFFICER_ROLE_REQUIRED,
    'Only city admins, department officers and area officers keep a duty contact here.',
  );
export const officerNotFound = (): AppError =>
  officerErrors.error(OFFICER_NOT_FOUND, 'You have no duty contact on record.');
export const officerDirectoryForbidden = (): AppError =>
  officerErrors.error(
    OFFICER_DIRECTORY_FORBIDDEN,
    'Only the notifications service may read officers’ duty contacts.',
  );
export const officerCriteriaInvalid = (message: string): AppError =>
  officerErrors.error(OFFICER_CRITERIA_INVALID, message);

/**
 * The training programmes' codes, each with its kind and meaning
 * (`programmeErrors`; the README's training programme error table is its
 * table), and where the part turns refusals into AppErrors. Besides these:
 * the platform's (JURISDICTION_UNKNOWN, VERSION_CONFLICT, ROLE_REQUIRED, …)
 * and DEPARTMENT_UNKNOWN, shared by every slice.
 */
import {
  defineErrorCodes,
  JURISDICTION_UNKNOWN,
  platformErrors,
  type AppError,
} from '@learning/errors';
import {
  PROGRAMME_ALREADY_ENDED,
  PROGRAMME_CLOSED,
  PROGRAMME_NOT_DRAFT,
  PROGRAMME_NOT_LAUNCHED,
  PROGRAMME_REQUIRED_MINUTES_INVALID,
  PROGRAMME_YEAR_OUTSIDE,
  PROGRAMME_YEARS_INVALID,
} from '../../../domain/training-programmes.js';
import {
  PROGRAMME_QUOTA_BELOW_TRAINED,
  PROGRAMME_QUOTA_DUPLICATE,
  PROGRAMME_QUOTA_INVALID,
} from '../../../domain/training-quotas.js';

export const PROGRAMME_NOT_FOUND = 'PROGRAMME_NOT_FOUND';
export const PROGRAMME_MANAGE_FORBIDDEN = 'PROGRAMME_MANAGE_FORBIDDEN';
export const PROGRAMME_OWNER_INVALID = 'PROGRAMME_OWNER_INVALID';
export const PROGRAMME_ENTERPRISE_UNKNOWN = 'PROGRAMME_ENTERPRISE_UNKNOWN';
export const PROGRAMME_NOT_ENTERPRISE = 'PROGRAMME_NOT_ENTERPRISE';
export const PROGRAMME_ENTERPRISE_NOT_ACTIVE = 'PROGRAMME_ENTERPRISE_NOT_ACTIVE';
export const PROGRAMME_AREA_LEVEL_INVALID = 'PROGRAMME_AREA_LEVEL_INVALID';
export const PROGRAMME_CHANGE_EMPTY = 'PROGRAMME_CHANGE_EMPTY';
export const PROGRAMME_QUOTAS_OUTSIDE_PLAN = 'PROGRAMME_QUOTAS_OUTSIDE_PLAN';
export const PROGRAMME_QUOTA_NOT_TOWNSHIP = 'PROGRAMME_QUOTA_NOT_TOWNSHIP';
export const PROGRAMME_QUOTA_OUTSIDE_AREA = 'PROGRAMME_QUOTA_OUTSIDE_AREA';
export const PROGRAMME_VERSION_INVALID = 'PROGRAMME_VERSION_INVALID';

export const programmeErrors = defineErrorCodes({
  [PROGRAMME_YEARS_INVALID]: {
    kind: 'invalid_argument',
    when: 'years outside 2000–2100, the last before the first, or more than 10 of them',
  },
  [PROGRAMME_REQUIRED_MINUTES_INVALID]: {
    kind: 'invalid_argument',
    when: 'required minutes that are not a whole number from 1 to 60,000',
  },
  [PROGRAMME_OWNER_INVALID]: {
    kind: 'invalid_argument',
    when: 'neither or both of `leadDepartment` and `enterpriseId`',
  },
  [PROGRAMME_ENTERPRISE_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an enterprise registration does not know',
  },
  [PROGRAMME_NOT_ENTERPRISE]: {
    kind: 'invalid_argument',
    when: 'an organization that is not an enterprise',
  },
  [PROGRAMME_AREA_LEVEL_INVALID]: {
    kind: 'invalid_argument',
    when: 'an area that is not the city, a township or a street',
  },
  [PROGRAMME_CHANGE_EMPTY]: { kind: 'invalid_argument', when: 'a change that changes nothing' },
  [PROGRAMME_YEAR_OUTSIDE]: {
    kind: 'invalid_argument',
    when: 'a quota or report year the programme does not run in',
  },
  [PROGRAMME_QUOTA_INVALID]: {
    kind: 'invalid_argument',
    when: 'a quota that is not a whole number of people from 0 to 1,000,000, or over 1,000 townships',
  },
  [PROGRAMME_QUOTA_DUPLICATE]: {
    kind: 'invalid_argument',
    when: 'two quotas for one township in a year',
  },
  [PROGRAMME_QUOTA_NOT_TOWNSHIP]: {
    kind: 'invalid_argument',
    when: 'a quota for a place that is not a township or street',
  },
  [PROGRAMME_QUOTA_OUTSIDE_AREA]: {
    kind: 'invalid_argument',
    when: 'a quota for a township outside the programme’s area',
  },
  [PROGRAMME_VERSION_INVALID]: {
    kind: 'invalid_argument',
    when: 'an If-Match that is not the ETag of a version, such as "3"',
  },
  [PROGRAMME_MANAGE_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'not a city admin, an officer of the lead department, or the enterprise’s admin',
  },
  [PROGRAMME_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such programme, or one the caller may not see',
  },
  [PROGRAMME_ENTERPRISE_NOT_ACTIVE]: {
    kind: 'failed_precondition',
    when: 'an enterprise that is rejected or suspended',
  },
  [PROGRAMME_NOT_DRAFT]: { kind: 'failed_precondition', when: 'launching a programme not a draft' },
  [PROGRAMME_ALREADY_ENDED]: {
    kind: 'failed_precondition',
    when: 'launching a programme whose last year is over',
  },
  [PROGRAMME_NOT_LAUNCHED]: {
    kind: 'failed_precondition',
    when: 'closing a programme not launched',
  },
  [PROGRAMME_CLOSED]: {
    kind: 'failed_precondition',
    when: 'changing a closed programme or its quotas',
  },
  [PROGRAMME_QUOTAS_OUTSIDE_PLAN]: {
    kind: 'failed_precondition',
    when: 'a change of area or years that would leave quotas outside them',
  },
  [PROGRAMME_QUOTA_BELOW_TRAINED]: {
    kind: 'failed_precondition',
    when: 'a quota below the people already trained in that township and year; the message names each',
  },
});

export const programmeNotFound = (): AppError =>
  programmeErrors.error(PROGRAMME_NOT_FOUND, 'The training programme was not found.');

export const programmeManageForbidden = (): AppError =>
  programmeErrors.error(
    PROGRAMME_MANAGE_FORBIDDEN,
    'Only a city admin, an officer of the lead department or the enterprise’s admin manages this programme.',
  );

/** 400: the request names a place that is not in the tree, at `field` (a JSON pointer). */
export const programmeJurisdictionUnknown = (field: string): AppError =>
  platformErrors.error(JURISDICTION_UNKNOWN, 'There is no jurisdiction with that code.', {
    details: [{ field, message: 'is not a known jurisdiction' }],
  });

/**
 * The coverage slice's codes, each with its kind and meaning
 * (`coverageErrors`; the README's coverage error table is its table), and
 * where the slice turns its own refusals into AppErrors.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  COVERAGE_LIMIT_INVALID,
  COVERAGE_MONTHS_INVALID,
  COVERAGE_YEAR_INVALID,
} from '../../domain/coverage.js';

export const COVERAGE_JURISDICTION_NOT_FOUND = 'COVERAGE_JURISDICTION_NOT_FOUND';
export const COVERAGE_LEVEL_INVALID = 'COVERAGE_LEVEL_INVALID';
export const COVERAGE_READ_FORBIDDEN = 'COVERAGE_READ_FORBIDDEN';

/** Besides these, the platform's codes (libs/errors): ROLE_REQUIRED, SCOPE_EMPTY, VALIDATION_FAILED, … */
export const coverageErrors = defineErrorCodes({
  [COVERAGE_YEAR_INVALID]: { kind: 'invalid_argument', when: 'a year before 2000 or after 2100' },
  [COVERAGE_MONTHS_INVALID]: {
    kind: 'invalid_argument',
    when: 'a look-back that is not 1 to 120 whole months',
  },
  [COVERAGE_LIMIT_INVALID]: {
    kind: 'invalid_argument',
    when: 'asking for fewer than 1 or more than 100 suggestions',
  },
  [COVERAGE_LEVEL_INVALID]: {
    kind: 'invalid_argument',
    when: 'coverage of a village or community: it is counted per township or street',
  },
  [COVERAGE_READ_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'a department officer of a department that runs no lecture series',
  },
  [COVERAGE_JURISDICTION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'a jurisdiction that is unknown or outside your reach',
  },
});

/** 404: unknown and outside the reader's reach read alike, so the tree does not leak. */
export const coverageJurisdictionNotFound = (): AppError =>
  coverageErrors.error(COVERAGE_JURISDICTION_NOT_FOUND, 'The jurisdiction was not found.');

export const coverageLevelInvalid = (): AppError =>
  coverageErrors.error(
    COVERAGE_LEVEL_INVALID,
    'Coverage is counted per township or street: ask for one, or for the city.',
    { details: [{ field: '/jurisdictionCode', message: 'is a village or community' }] },
  );

export const coverageReadForbidden = (): AppError =>
  coverageErrors.error(
    COVERAGE_READ_FORBIDDEN,
    'Coverage is read by the office: city admins, the officers of the department that runs the lecture series, and area officers within their area.',
  );

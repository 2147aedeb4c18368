/**
 * The funding slice's codes, each with its kind and meaning (`fundingErrors`;
 * the README's funding error table is its table).
 */
import { CALENDAR_DATE_INVALID } from '@learning/domain';
import {
  defineErrorCodes,
  JURISDICTION_UNKNOWN,
  platformErrors,
  type AppError,
} from '@learning/errors';
import { FUNDING_AMOUNT_INVALID, FUNDING_CODE_INVALID } from '../../domain/funding.js';

export const FUNDING_LINE_EXISTS = 'FUNDING_LINE_EXISTS';
export const FUNDING_LINE_NOT_FOUND = 'FUNDING_LINE_NOT_FOUND';
export const FUNDING_LINE_BELOW_COMMITTED = 'FUNDING_LINE_BELOW_COMMITTED';
export const FUNDING_LINE_EXHAUSTED = 'FUNDING_LINE_EXHAUSTED';
export const FUNDING_OUT_OF_SCOPE = 'FUNDING_OUT_OF_SCOPE';
export const FUNDING_REVISION_INVALID = 'FUNDING_REVISION_INVALID';
export const FUNDING_REPORTS_NOT_PERMITTED = 'FUNDING_REPORTS_NOT_PERMITTED';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, VERSION_CONFLICT, CURSOR_INVALID, … */
export const fundingErrors = defineErrorCodes({
  [FUNDING_AMOUNT_INVALID]: {
    kind: 'invalid_argument',
    when: 'an amount that is not yuan as a plain decimal with at most two fraction digits, more than 0 and at most 10000000000',
  },
  [FUNDING_CODE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a line code that is not 1 to 40 lower-case letters, digits and hyphens',
  },
  [CALENDAR_DATE_INVALID]: { kind: 'invalid_argument', when: 'a date that is not YYYY-MM-DD' },
  [FUNDING_REVISION_INVALID]: {
    kind: 'invalid_argument',
    when: 'an If-Match that is not the ETag of a revision, such as "3"',
  },
  [FUNDING_OUT_OF_SCOPE]: {
    kind: 'permission_denied',
    when: 'an area officer recording or reading funding outside their area',
  },
  [FUNDING_REPORTS_NOT_PERMITTED]: {
    kind: 'permission_denied',
    when: 'enterprise reports asked by someone who is neither the office, an officer of the department leading enterprises nor an enterprise’s admin',
  },
  [FUNDING_LINE_NOT_FOUND]: { kind: 'not_found', when: 'no such funding line' },
  [FUNDING_LINE_EXISTS]: {
    kind: 'conflict',
    when: 'the year already has a line of that code',
  },
  [FUNDING_LINE_BELOW_COMMITTED]: {
    kind: 'failed_precondition',
    when: 'a line’s amount set below what is already committed against it',
  },
  [FUNDING_LINE_EXHAUSTED]: {
    kind: 'failed_precondition',
    when: 'a commitment larger than what remains of the line',
  },
});

export const lineNotFound = (): AppError =>
  fundingErrors.error(FUNDING_LINE_NOT_FOUND, 'The funding line was not found.');

export const lineExists = (): AppError =>
  fundingErrors.error(FUNDING_LINE_EXISTS, 'The year already has a funding line of that code.');

export const lineBelowCommitted = (committed: string): AppError =>
  fundingErrors.error(
    FUNDING_LINE_BELOW_COMMITTED,
    `${committed} yuan is already committed against the line; its amount cannot be less.`,
  );

export const lineExhausted = (): AppError =>
  fundingErrors.error(FUNDING_LINE_EXHAUSTED, 'Less than that remains of the funding line.');

/** The platform's code for a place not in the city's tree (no slice has one of its own). */
export const jurisdictionUnknown = (): AppError =>
  platformErrors.error(JURISDICTION_UNKNOWN, 'The city knows no such jurisdiction code.');

export const outOfScope = (): AppError =>
  fundingErrors.error(FUNDING_OUT_OF_SCOPE, 'That place is outside your area.');

export const revisionInvalid = (): AppError =>
  fundingErrors.error(
    FUNDING_REVISION_INVALID,
    'If-Match must be the ETag last read, such as "3".',
  );

export const reportsNotPermitted = (): AppError =>
  fundingErrors.error(
    FUNDING_REPORTS_NOT_PERMITTED,
    'Enterprise reports are read by the office, the officers of the department leading enterprises and each enterprise’s admins.',
  );

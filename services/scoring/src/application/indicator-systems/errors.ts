/**
 * The indicator systems slice's codes, each with its kind and meaning
 * (`indicatorSystemErrors`; the README's indicator systems error table is its table).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  INDICATOR_KEY_INVALID,
  INDICATOR_METHOD_INVALID,
  INDICATOR_METRIC_NOT_FOR_TARGET,
  INDICATOR_METRIC_UNKNOWN,
  INDICATOR_WEIGHT_INVALID,
  INDICATOR_WEIGHTS_NOT_FULL,
  INDICATORS_INVALID,
  PASS_MARK_INVALID,
} from '../../domain/evaluation.js';

export const INDICATOR_SYSTEM_NOT_FOUND = 'INDICATOR_SYSTEM_NOT_FOUND';
export const INDICATOR_SYSTEM_VERSION_NOT_FOUND = 'INDICATOR_SYSTEM_VERSION_NOT_FOUND';
export const INDICATOR_SYSTEM_EXISTS = 'INDICATOR_SYSTEM_EXISTS';
export const INDICATOR_SYSTEM_FROZEN = 'INDICATOR_SYSTEM_FROZEN';
export const INDICATOR_SYSTEM_YEAR_INVALID = 'INDICATOR_SYSTEM_YEAR_INVALID';
export const INDICATOR_SYSTEM_REVISION_INVALID = 'INDICATOR_SYSTEM_REVISION_INVALID';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, CURSOR_INVALID, … */
export const indicatorSystemErrors = defineErrorCodes({
  [INDICATORS_INVALID]: { kind: 'invalid_argument', when: 'no indicators, or more than 50' },
  [INDICATOR_KEY_INVALID]: {
    kind: 'invalid_argument',
    when: 'an indicator key used twice, or not 1–40 of a–z, 0–9, _ and -',
  },
  [INDICATOR_WEIGHT_INVALID]: {
    kind: 'invalid_argument',
    when: 'a weight of 0 or less, above 100, or with more than two decimals',
  },
  [INDICATOR_WEIGHTS_NOT_FULL]: {
    kind: 'invalid_argument',
    when: 'weights that do not sum to exactly 100 (the message says what they sum to)',
  },
  [INDICATOR_METRIC_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an indicator drawing on a figure that is not in GET /v1/indicator-metrics',
  },
  [INDICATOR_METRIC_NOT_FOR_TARGET]: {
    kind: 'invalid_argument',
    when: 'a figure kept for areas in an organization kind’s system, or the reverse',
  },
  [INDICATOR_METHOD_INVALID]: {
    kind: 'invalid_argument',
    when: 'a band not 0 ≤ from < to, a negative threshold, yes_no on a figure that is not yes/no, per_capita over a figure that is not people, a ratio of a figure to itself',
  },
  [PASS_MARK_INVALID]: {
    kind: 'invalid_argument',
    when: 'a pass mark below 0, above 100, or with more than two decimals',
  },
  [INDICATOR_SYSTEM_YEAR_INVALID]: {
    kind: 'invalid_argument',
    when: 'a year before 2000 or after next year',
  },
  [INDICATOR_SYSTEM_REVISION_INVALID]: {
    kind: 'invalid_argument',
    when: 'an If-Match that is not the ETag of a version, such as "3"',
  },
  [INDICATOR_SYSTEM_NOT_FOUND]: { kind: 'not_found', when: 'no such indicator system' },
  [INDICATOR_SYSTEM_VERSION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'the system never had the version asked for',
  },
  [INDICATOR_SYSTEM_EXISTS]: {
    kind: 'conflict',
    when: 'the year already has a system for the target (the message and details name it)',
  },
  [INDICATOR_SYSTEM_FROZEN]: {
    kind: 'failed_precondition',
    when: 'a change to a system under which an assessment is locked',
  },
});

export const systemNotFound = (): AppError =>
  indicatorSystemErrors.error(INDICATOR_SYSTEM_NOT_FOUND, 'The indicator system was not found.');

export const versionNotFound = (version: number): AppError =>
  indicatorSystemErrors.error(
    INDICATOR_SYSTEM_VERSION_NOT_FOUND,
    `The indicator system never had version ${String(version)}.`,
  );

export const systemFrozen = (): AppError =>
  indicatorSystemErrors.error(
    INDICATOR_SYSTEM_FROZEN,
    'An assessment under this indicator system is locked, so the system no longer changes; copy it to another year instead.',
  );

/** Names the system already set for the year and target, so the office can open it. */
export const systemExists = (existing: {
  readonly id: string;
  readonly name: string;
  readonly year: number;
  readonly target: string;
}): AppError =>
  indicatorSystemErrors.error(
    INDICATOR_SYSTEM_EXISTS,
    `${String(existing.year)} already has an indicator system for ${existing.target}: "${existing.name}" (${existing.id}).`,
    { details: [{ field: '/year', message: `taken by ${existing.id}` }] },
  );

export const yearInvalid = (nextYear: number): AppError =>
  indicatorSystemErrors.error(
    INDICATOR_SYSTEM_YEAR_INVALID,
    `The year is from 2000 to ${String(nextYear)}.`,
    { details: [{ field: '/year', message: `from 2000 to ${String(nextYear)}` }] },
  );

export const revisionInvalid = (): AppError =>
  indicatorSystemErrors.error(
    INDICATOR_SYSTEM_REVISION_INVALID,
    'If-Match must be the ETag last read, such as "3".',
  );

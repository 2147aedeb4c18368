/**
 * The cases slice's codes, each with its kind and meaning (`casesErrors`;
 * the README's cases error table is its table).
 */
import { CALENDAR_DATE_INVALID } from '@learning/domain';
import { defineErrorCodes, type AppError } from '@learning/errors';
import { CASE_CONSENT_MISSING } from '../../domain/awards.js';

export const CASE_NOT_FOUND = 'CASE_NOT_FOUND';
export const CASE_AWARD_NOT_FOUND = 'CASE_AWARD_NOT_FOUND';
export const CASE_EXISTS = 'CASE_EXISTS';
export const CASE_AWARD_NOT_PUBLISHED = 'CASE_AWARD_NOT_PUBLISHED';
export const CASE_NOT_PUBLISHABLE = 'CASE_NOT_PUBLISHABLE';
export const CASE_NOT_PUBLISHED = 'CASE_NOT_PUBLISHED';

/** Besides these, the platform's codes (libs/errors): VALIDATION_FAILED, ROLE_REQUIRED, CURSOR_INVALID, … */
export const casesErrors = defineErrorCodes({
  [CALENDAR_DATE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a consent recordedOn that is not YYYY-MM-DD',
  },
  [CASE_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such case (the public routes: no such published case)',
  },
  [CASE_AWARD_NOT_FOUND]: { kind: 'not_found', when: 'the awardId names no award' },
  [CASE_EXISTS]: { kind: 'conflict', when: 'the award already has its case' },
  [CASE_CONSENT_MISSING]: {
    kind: 'failed_precondition',
    when: 'publishing without a standing consent: the person’s own, or for an organization one of its admins’',
  },
  [CASE_AWARD_NOT_PUBLISHED]: {
    kind: 'failed_precondition',
    when: 'publishing the case of an award whose round is not published yet',
  },
  [CASE_NOT_PUBLISHABLE]: {
    kind: 'failed_precondition',
    when: 'publishing a case that is published, or whose consent was withdrawn',
  },
  [CASE_NOT_PUBLISHED]: {
    kind: 'failed_precondition',
    when: 'withdrawing a case that is not published',
  },
});

export const caseNotFound = (): AppError =>
  casesErrors.error(CASE_NOT_FOUND, 'The exemplary case was not found.');
export const caseAwardNotFound = (): AppError =>
  casesErrors.error(CASE_AWARD_NOT_FOUND, 'The award was not found.');
export const caseExists = (): AppError =>
  casesErrors.error(CASE_EXISTS, 'The award already has its exemplary case.');
export const caseAwardNotPublished = (): AppError =>
  casesErrors.error(CASE_AWARD_NOT_PUBLISHED, 'The award is not published yet.');
export const caseNotPublishable = (): AppError =>
  casesErrors.error(
    CASE_NOT_PUBLISHABLE,
    'Only a draft is published; a case whose consent was withdrawn stays unpublished.',
  );
export const caseNotPublished = (): AppError =>
  casesErrors.error(CASE_NOT_PUBLISHED, 'The case is not published.');

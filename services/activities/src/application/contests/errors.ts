/**
 * The contests slice's codes, each with its kind and meaning
 * (`contestErrors`; the README's contest error table is its table), and
 * where the slice turns its own refusals into AppErrors.
 */
import { defineErrorCodes, JURISDICTION_UNKNOWN, type AppError } from '@learning/errors';
import {
  CONTEST_AGE_BAND_INVALID,
  CONTEST_AGE_OUTSIDE_BAND,
  CONTEST_ATTACHMENT_TOO_LARGE,
  CONTEST_BIRTH_DATE_MISMATCH,
  CONTEST_BIRTH_DATE_REQUIRED,
  CONTEST_DUPLICATE_SCORECARD,
  CONTEST_ENTRY_WINDOW_CLOSED,
  CONTEST_ENTRY_WINDOW_INVALID,
  CONTEST_ENTRY_WINDOW_NOT_CLOSED,
  CONTEST_ENTRY_WINDOW_NOT_OPEN,
  CONTEST_ENTRY_WINDOW_PAST,
  CONTEST_JUDGE_CONFLICT,
  CONTEST_JUDGE_NOT_ASSIGNED,
  CONTEST_JUDGES_PER_ENTRY_INVALID,
  CONTEST_NO_ENTRIES,
  CONTEST_NOT_ENOUGH_JUDGES,
  CONTEST_RESULTS_ALREADY_PUBLISHED,
  CONTEST_RUBRIC_DUPLICATE_CRITERION,
  CONTEST_RUBRIC_EMPTY,
  CONTEST_RUBRIC_INVALID_MAX_POINTS,
  CONTEST_RUBRIC_INVALID_WEIGHT,
  CONTEST_SCORE_INCOMPLETE,
  CONTEST_SCORE_OUT_OF_RANGE,
  CONTEST_SCORE_UNKNOWN_CRITERION,
  CONTEST_SCORING_INCOMPLETE,
  CONTEST_SUBMISSION_EMPTY,
  CONTEST_TEXT_TOO_LONG,
} from '../../domain/contests.js';
import { invalidAt } from '../errors.js';

export const CONTEST_NOT_FOUND = 'CONTEST_NOT_FOUND';
export const CONTEST_ENTRY_NOT_FOUND = 'CONTEST_ENTRY_NOT_FOUND';
/** libs/mongo's name for a second entry of one participant (the unique key on the entry). */
export const CONTEST_ENTRY_ALREADY_EXISTS = 'CONTEST_ENTRY_ALREADY_EXISTS';
export const CONTEST_RESULTS_NOT_PUBLISHED = 'CONTEST_RESULTS_NOT_PUBLISHED';
export const CONTEST_ORGANIZER_FORBIDDEN = 'CONTEST_ORGANIZER_FORBIDDEN';
export const CONTEST_ATTACHMENT_UNKNOWN = 'CONTEST_ATTACHMENT_UNKNOWN';
export const CONTEST_ATTACHMENT_NOT_FOUND = 'CONTEST_ATTACHMENT_NOT_FOUND';
export const CONTEST_JUDGE_NOT_ON_PANEL = 'CONTEST_JUDGE_NOT_ON_PANEL';
export const CONTEST_JUDGE_HAS_SCORED = 'CONTEST_JUDGE_HAS_SCORED';
export const CONTEST_ORGANIZER_UNKNOWN = 'CONTEST_ORGANIZER_UNKNOWN';
export const CONTEST_ORGANIZER_NOT_ACTIVE = 'CONTEST_ORGANIZER_NOT_ACTIVE';
export const CONTEST_CAMPAIGN_UNKNOWN = 'CONTEST_CAMPAIGN_UNKNOWN';
export const CONTEST_CAMPAIGN_CLOSED = 'CONTEST_CAMPAIGN_CLOSED';
export const CONTEST_OUTSIDE_CAMPAIGN_SCOPE = 'CONTEST_OUTSIDE_CAMPAIGN_SCOPE';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, VERSION_CONFLICT, … */
export const contestErrors = defineErrorCodes({
  [CONTEST_ENTRY_WINDOW_INVALID]: {
    kind: 'invalid_argument',
    when: 'an entry window that does not close after it opens',
  },
  [CONTEST_ENTRY_WINDOW_PAST]: {
    kind: 'invalid_argument',
    when: 'a new contest whose entry window has closed already',
  },
  [CONTEST_AGE_BAND_INVALID]: {
    kind: 'invalid_argument',
    when: 'an age band that is not two whole ages, the lower first',
  },
  [CONTEST_RUBRIC_EMPTY]: { kind: 'invalid_argument', when: 'a rubric without criteria' },
  [CONTEST_RUBRIC_DUPLICATE_CRITERION]: {
    kind: 'invalid_argument',
    when: 'one criterion id twice in the rubric',
  },
  [CONTEST_RUBRIC_INVALID_WEIGHT]: {
    kind: 'invalid_argument',
    when: 'a criterion weight that is not a whole number, 1 or more',
  },
  [CONTEST_RUBRIC_INVALID_MAX_POINTS]: {
    kind: 'invalid_argument',
    when: 'a criterion maximum that is not a whole number, 1 or more',
  },
  [CONTEST_JUDGES_PER_ENTRY_INVALID]: {
    kind: 'invalid_argument',
    when: 'judges per entry not a whole number, 1 or more; or an entry given another number of judges',
  },
  [CONTEST_ORGANIZER_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an organizing organization registration does not know',
  },
  [CONTEST_CAMPAIGN_UNKNOWN]: { kind: 'invalid_argument', when: 'no campaign with that id' },
  [CONTEST_OUTSIDE_CAMPAIGN_SCOPE]: {
    kind: 'invalid_argument',
    when: 'the contest’s place is not under the campaign’s area',
  },
  [CONTEST_BIRTH_DATE_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'an entrant registration has no birth date for, who typed none',
  },
  [CONTEST_BIRTH_DATE_MISMATCH]: {
    kind: 'invalid_argument',
    when: 'a typed birth date that differs from the registered ID number’s',
  },
  [CONTEST_AGE_OUTSIDE_BAND]: {
    kind: 'invalid_argument',
    when: 'the entrant’s age on the reference day is outside the band',
  },
  [CONTEST_SUBMISSION_EMPTY]: {
    kind: 'invalid_argument',
    when: 'an entry with neither text nor a non-empty file',
  },
  [CONTEST_TEXT_TOO_LONG]: {
    kind: 'invalid_argument',
    when: 'an entry’s text over 20,000 characters',
  },
  [CONTEST_ATTACHMENT_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a `fileRef` that is not a file the entrant uploaded to this contest',
  },
  [CONTEST_JUDGE_NOT_ON_PANEL]: {
    kind: 'invalid_argument',
    when: 'assigning a judge who is not on the contest’s panel',
  },
  [CONTEST_SCORE_UNKNOWN_CRITERION]: {
    kind: 'invalid_argument',
    when: 'a score for a criterion the rubric lacks',
  },
  [CONTEST_SCORE_INCOMPLETE]: {
    kind: 'invalid_argument',
    when: 'a scorecard missing a criterion',
  },
  [CONTEST_SCORE_OUT_OF_RANGE]: {
    kind: 'invalid_argument',
    when: 'a score that is not whole points from 0 to the criterion’s maximum',
  },
  [CONTEST_ORGANIZER_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'running a contest for an organization or department not your own',
  },
  [CONTEST_JUDGE_NOT_ASSIGNED]: {
    kind: 'permission_denied',
    when: 'scoring an entry not assigned to you',
  },
  [CONTEST_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such contest, or one the caller may not see',
  },
  [CONTEST_ENTRY_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such entry in the contest, or one the caller may not see',
  },
  [CONTEST_ATTACHMENT_NOT_FOUND]: { kind: 'not_found', when: 'an entry without an attached file' },
  [CONTEST_RESULTS_NOT_PUBLISHED]: {
    kind: 'not_found',
    when: 'results asked for before they are published',
  },
  [CONTEST_ENTRY_ALREADY_EXISTS]: {
    kind: 'conflict',
    when: 'a second entry from one participant',
  },
  [CONTEST_DUPLICATE_SCORECARD]: {
    kind: 'conflict',
    when: 'a judge scoring an entry again: a scorecard is final',
  },
  [CONTEST_ORGANIZER_NOT_ACTIVE]: {
    kind: 'failed_precondition',
    when: 'an organizing organization that is rejected or suspended',
  },
  [CONTEST_CAMPAIGN_CLOSED]: {
    kind: 'failed_precondition',
    when: 'joining a campaign that is closed',
  },
  [CONTEST_ENTRY_WINDOW_NOT_OPEN]: {
    kind: 'failed_precondition',
    when: 'an entry or upload before the window opens',
  },
  [CONTEST_ENTRY_WINDOW_CLOSED]: {
    kind: 'failed_precondition',
    when: 'an entry, upload or early close after the window has closed',
  },
  [CONTEST_ENTRY_WINDOW_NOT_CLOSED]: {
    kind: 'failed_precondition',
    when: 'assigning, scoring or publishing before entries close',
  },
  [CONTEST_JUDGE_CONFLICT]: {
    kind: 'failed_precondition',
    when: 'a judge assigned to, or scoring, an entry of their own organization',
  },
  [CONTEST_JUDGE_HAS_SCORED]: {
    kind: 'failed_precondition',
    when: 'unassigning a judge who has scored the entry',
  },
  [CONTEST_NOT_ENOUGH_JUDGES]: {
    kind: 'failed_precondition',
    when: 'too few judges outside an entry’s organization to assign',
  },
  [CONTEST_SCORING_INCOMPLETE]: {
    kind: 'failed_precondition',
    when: 'publishing while an entry has no judge or awaits a scorecard',
  },
  [CONTEST_NO_ENTRIES]: {
    kind: 'failed_precondition',
    when: 'publishing a contest without entries',
  },
  [CONTEST_RESULTS_ALREADY_PUBLISHED]: {
    kind: 'failed_precondition',
    when: 'any change, entry or judging after results are published',
  },
  [CONTEST_ATTACHMENT_TOO_LARGE]: {
    kind: 'payload_too_large',
    when: 'a file over 10 MB, declared or streamed',
  },
});

export const contestNotFound = (): AppError =>
  contestErrors.error(CONTEST_NOT_FOUND, 'The contest was not found.');

export const entryNotFound = (): AppError =>
  contestErrors.error(CONTEST_ENTRY_NOT_FOUND, 'The contest entry was not found.');

export const jurisdictionUnknown = (field: string): AppError =>
  invalidAt(JURISDICTION_UNKNOWN, 'There is no jurisdiction with that code.', field);

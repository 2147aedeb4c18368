/**
 * The library slice's codes (lessons and progress), each with its kind and
 * meaning (`libraryErrors`; the README's library error table is its table).
 */
import { AppError, defineErrorCodes } from '@learning/errors';
import {
  LESSON_CONTENT_URL_INVALID,
  LESSON_LENGTH_INVALID,
  LESSON_REQUIRED_SHARE_INVALID,
  LESSON_TRANSITION_NOT_ALLOWED,
} from '../../domain/lessons.js';
import {
  PROGRESS_CLAIM_EXCEEDS_WALL_TIME,
  PROGRESS_HEARTBEAT_REPLAYED,
  PROGRESS_POSITION_INVALID,
  PROGRESS_SEQUENCE_INVALID,
} from '../../domain/progress.js';

export const LESSON_NOT_FOUND = 'LESSON_NOT_FOUND';
export const LESSON_FORBIDDEN = 'LESSON_FORBIDDEN';
export const LESSON_ALREADY_EXISTS = 'LESSON_ALREADY_EXISTS';
export const LESSON_DEPARTMENT_UNKNOWN = 'LESSON_DEPARTMENT_UNKNOWN';
export const LESSON_SESSION_UNKNOWN = 'LESSON_SESSION_UNKNOWN';
export const LESSON_SESSION_NO_RECORDING = 'LESSON_SESSION_NO_RECORDING';
export const LESSON_RECORDING_NOT_VIDEO = 'LESSON_RECORDING_NOT_VIDEO';
export const LESSON_RECORDING_FIXED = 'LESSON_RECORDING_FIXED';
export const LESSON_LENGTH_REQUIRED = 'LESSON_LENGTH_REQUIRED';
export const LESSON_CONTENT_URL_REQUIRED = 'LESSON_CONTENT_URL_REQUIRED';
export const LESSON_CHANGE_EMPTY = 'LESSON_CHANGE_EMPTY';
export const LESSON_SEARCH_EMPTY = 'LESSON_SEARCH_EMPTY';
export const LESSON_NOT_PUBLISHED = 'LESSON_NOT_PUBLISHED';
export const PROGRESS_NOT_FOUND = 'PROGRESS_NOT_FOUND';
export const PROGRESS_HEARTBEAT_CONCURRENT = 'PROGRESS_HEARTBEAT_CONCURRENT';
export const PROGRESS_LEARNER_NOT_REGISTERED = 'PROGRESS_LEARNER_NOT_REGISTERED';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, RATE_LIMITED, … */
export const libraryErrors = defineErrorCodes({
  [LESSON_LENGTH_INVALID]: {
    kind: 'invalid_argument',
    when: 'a length that is not whole seconds from 1 to twelve hours',
  },
  [LESSON_REQUIRED_SHARE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a required share below 0.5 or above 1',
  },
  [LESSON_CONTENT_URL_INVALID]: {
    kind: 'invalid_argument',
    when: 'a content URL (or a session’s recording URL) that is not https://',
  },
  [LESSON_CONTENT_URL_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'a lesson that is not a recording, without a content URL',
  },
  [LESSON_LENGTH_REQUIRED]: {
    kind: 'invalid_argument',
    when: 'no length, and no recording duration to copy',
  },
  [LESSON_DEPARTMENT_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a lead department registration does not list',
  },
  [LESSON_SESSION_UNKNOWN]: { kind: 'invalid_argument', when: 'no session with that id' },
  [LESSON_RECORDING_NOT_VIDEO]: {
    kind: 'invalid_argument',
    when: 'a recording of a session declared as a document',
  },
  [LESSON_RECORDING_FIXED]: {
    kind: 'invalid_argument',
    when: 'changing the URL or length of a recording (they are the session’s)',
  },
  [LESSON_CHANGE_EMPTY]: { kind: 'invalid_argument', when: 'an edit that changes nothing' },
  [LESSON_SEARCH_EMPTY]: {
    kind: 'invalid_argument',
    when: 'a search `q` with no letters, digits or characters to look for',
  },
  [PROGRESS_SEQUENCE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a heartbeat sequence that is not a whole number from 1',
  },
  [PROGRESS_POSITION_INVALID]: {
    kind: 'invalid_argument',
    when: 'a position below 0 or beyond the lesson’s length',
  },
  [PROGRESS_CLAIM_EXCEEDS_WALL_TIME]: {
    kind: 'invalid_argument',
    when: 'a position that moved more than twice the wall time since the last heartbeat (plus 2 s), not sent as a seek',
  },
  [LESSON_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'not a city admin, an officer of the lead department, or a manager of the recorded session’s forum',
  },
  [LESSON_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such lesson, or one not published (public routes and heartbeats)',
  },
  [PROGRESS_NOT_FOUND]: { kind: 'not_found', when: 'no heartbeat of yours for this lesson yet' },
  [LESSON_ALREADY_EXISTS]: {
    kind: 'conflict',
    when: 'the session’s recording is a lesson already',
  },
  [PROGRESS_HEARTBEAT_REPLAYED]: {
    kind: 'conflict',
    when: 'a heartbeat whose sequence is not after the last accepted one; nothing changes',
  },
  [LESSON_SESSION_NO_RECORDING]: {
    kind: 'failed_precondition',
    when: 'a recording of a session that has no recording',
  },
  [LESSON_TRANSITION_NOT_ALLOWED]: {
    kind: 'failed_precondition',
    when: 'publishing a published lesson, or withdrawing one that is not published',
  },
  [LESSON_NOT_PUBLISHED]: {
    kind: 'failed_precondition',
    when: 'a heartbeat for a withdrawn lesson',
  },
  [PROGRESS_LEARNER_NOT_REGISTERED]: {
    kind: 'failed_precondition',
    when: 'a first heartbeat from an account registration has no participant for',
  },
  [PROGRESS_HEARTBEAT_CONCURRENT]: {
    kind: 'aborted',
    when: 'another heartbeat for the same lesson was accepted at the same moment; send the next one',
  },
});

export const lessonNotFound = (): AppError =>
  libraryErrors.error(LESSON_NOT_FOUND, 'The lesson was not found.');

/** 400 at `field` (a JSON pointer into the request). */
export const invalidAt = (code: string, message: string, field: string): AppError =>
  new AppError('invalid_argument', code, message, { details: [{ field, message }] });

/**
 * The feedback slice's codes, each with its kind and meaning
 * (`feedbackErrors`; the README's feedback error table is its table), and
 * where the slice turns its own refusals into AppErrors.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  FEEDBACK_COMMENT_TOO_LONG,
  FEEDBACK_NOT_ATTENDEE,
  FEEDBACK_NOT_FLAGGED,
  FEEDBACK_RATING_INVALID,
  FEEDBACK_SESSION_CANCELLED,
  FEEDBACK_SESSION_NOT_STARTED,
} from '../../domain/feedback.js';

export const FEEDBACK_NOT_FOUND = 'FEEDBACK_NOT_FOUND';
export const FEEDBACK_SESSION_NOT_FOUND = 'FEEDBACK_SESSION_NOT_FOUND';
export const FEEDBACK_FORUM_NOT_FOUND = 'FEEDBACK_FORUM_NOT_FOUND';
export const FEEDBACK_EXPERT_NOT_FOUND = 'FEEDBACK_EXPERT_NOT_FOUND';
export const FEEDBACK_FORUM_FORBIDDEN = 'FEEDBACK_FORUM_FORBIDDEN';
/** libs/mongo's name for a second feedback of one attendee (the unique key). */
export const FEEDBACK_ALREADY_EXISTS = 'FEEDBACK_ALREADY_EXISTS';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, ROLE_REQUIRED, … */
export const feedbackErrors = defineErrorCodes({
  [FEEDBACK_RATING_INVALID]: {
    kind: 'invalid_argument',
    when: 'a rating that is not a whole number from 1 to 5',
  },
  [FEEDBACK_COMMENT_TOO_LONG]: {
    kind: 'invalid_argument',
    when: 'a comment over 500 characters once normalized to NFC',
  },
  [FEEDBACK_NOT_ATTENDEE]: {
    kind: 'permission_denied',
    when: 'rating a session registration did not record you as attending',
  },
  [FEEDBACK_FORUM_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'reading or reviewing the feedback of a forum you do not manage',
  },
  [FEEDBACK_NOT_FOUND]: { kind: 'not_found', when: 'no feedback with that id' },
  [FEEDBACK_SESSION_NOT_FOUND]: { kind: 'not_found', when: 'no session with that id' },
  [FEEDBACK_FORUM_NOT_FOUND]: { kind: 'not_found', when: 'no forum with that id' },
  [FEEDBACK_EXPERT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no expert with that id, or your account is not in the expert pool',
  },
  [FEEDBACK_ALREADY_EXISTS]: {
    kind: 'conflict',
    when: 'a second rating of one session by one attendee',
  },
  [FEEDBACK_SESSION_NOT_STARTED]: {
    kind: 'failed_precondition',
    when: 'rating a session before it starts',
  },
  [FEEDBACK_SESSION_CANCELLED]: {
    kind: 'failed_precondition',
    when: 'rating a cancelled session',
  },
  [FEEDBACK_NOT_FLAGGED]: {
    kind: 'failed_precondition',
    when: 'reviewing feedback whose comment was not flagged',
  },
});

export const feedbackNotFound = (): AppError =>
  feedbackErrors.error(FEEDBACK_NOT_FOUND, 'The feedback was not found.');

export const sessionNotFound = (): AppError =>
  feedbackErrors.error(FEEDBACK_SESSION_NOT_FOUND, 'The session was not found.');

export const forumNotFound = (): AppError =>
  feedbackErrors.error(FEEDBACK_FORUM_NOT_FOUND, 'The forum was not found.');

export const expertNotFound = (): AppError =>
  feedbackErrors.error(FEEDBACK_EXPERT_NOT_FOUND, 'The expert was not found.');

export const forumForbidden = (): AppError =>
  feedbackErrors.error(
    FEEDBACK_FORUM_FORBIDDEN,
    "Only the forum's managers and the campaign office see and review its feedback.",
  );

export const feedbackAlreadyGiven = (): AppError =>
  feedbackErrors.error(FEEDBACK_ALREADY_EXISTS, 'You have rated this session already.');

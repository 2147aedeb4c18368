/**
 * The leaderboards slice's codes, each with its kind and meaning
 * (`leaderboardErrors`; the README's leaderboards error table is its table).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';

export const LEADERBOARD_NOT_FOUND = 'LEADERBOARD_NOT_FOUND';
export const LEADERBOARD_PAGE_TOKEN_INVALID = 'LEADERBOARD_PAGE_TOKEN_INVALID';
export const LEADERBOARD_NOT_FOR_PERSONS = 'LEADERBOARD_NOT_FOR_PERSONS';
export const LEADERBOARD_PARTICIPANT_NOT_REGISTERED = 'LEADERBOARD_PARTICIPANT_NOT_REGISTERED';
export const LEADERBOARD_REBUILD_NOT_FOUND = 'LEADERBOARD_REBUILD_NOT_FOUND';

/** Besides these, the platform's codes (libs/errors): ROLE_REQUIRED, VALIDATION_FAILED, … */
export const leaderboardErrors = defineErrorCodes({
  [LEADERBOARD_NOT_FOUND]: {
    kind: 'not_found',
    when: 'a board no family or subject names (an unknown family, tier, kind, or a malformed code or id); a board nobody has credits on yet is an empty page',
  },
  [LEADERBOARD_PAGE_TOKEN_INVALID]: {
    kind: 'invalid_argument',
    when: 'a page token that is not the nextPageToken of a page of that board',
  },
  [LEADERBOARD_NOT_FOR_PERSONS]: {
    kind: 'invalid_argument',
    when: 'asking your own rank on a board of organizations',
  },
  [LEADERBOARD_PARTICIPANT_NOT_REGISTERED]: {
    kind: 'failed_precondition',
    when: 'asking your own rank with an account that is no registered participant',
  },
  [LEADERBOARD_REBUILD_NOT_FOUND]: {
    kind: 'not_found',
    when: 'a rebuild that is unknown, or finished more than a day ago',
  },
});

export const leaderboardNotFound = (): AppError =>
  leaderboardErrors.error(
    LEADERBOARD_NOT_FOUND,
    'There is no such leaderboard: its family or subject names no board that could exist.',
  );

export const pageTokenInvalid = (): AppError =>
  leaderboardErrors.error(
    LEADERBOARD_PAGE_TOKEN_INVALID,
    'The page token is not valid for this leaderboard; start again from the first page.',
    { details: [{ field: '/pageToken', message: 'is not a nextPageToken of this board' }] },
  );

export const notForPersons = (): AppError =>
  leaderboardErrors.error(
    LEADERBOARD_NOT_FOR_PERSONS,
    'That leaderboard ranks organizations: ask your rank on a board of persons (by area, organization or tier).',
    { details: [{ field: '/board', message: 'ranks organizations' }] },
  );

export const participantNotRegistered = (): AppError =>
  leaderboardErrors.error(
    LEADERBOARD_PARTICIPANT_NOT_REGISTERED,
    'Your account is not registered as a participant, so it has no rank: register first.',
  );

export const rebuildNotFound = (): AppError =>
  leaderboardErrors.error(
    LEADERBOARD_REBUILD_NOT_FOUND,
    'There is no such rebuild; its progress is kept for a day after it ends.',
  );

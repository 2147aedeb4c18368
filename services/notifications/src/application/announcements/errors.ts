/**
 * The announcements slice's codes (`announcementsErrors`; the README's
 * announcements table is its table). Someone else's announcement is answered
 * as not found, as records are elsewhere.
 */
import {
  defineErrorCodes,
  JURISDICTION_UNKNOWN,
  platformErrors,
  type AppError,
} from '@learning/errors';

export const ANNOUNCEMENT_NOT_FOUND = 'ANNOUNCEMENT_NOT_FOUND';
export const ANNOUNCEMENT_OUTSIDE_SCOPE = 'ANNOUNCEMENT_OUTSIDE_SCOPE';
export const ANNOUNCEMENT_FINISHED = 'ANNOUNCEMENT_FINISHED';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, ROLE_REQUIRED, VALIDATION_FAILED, … */
export const announcementsErrors = defineErrorCodes({
  [ANNOUNCEMENT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such announcement, or one another officer sent (the two are not told apart)',
  },
  [ANNOUNCEMENT_OUTSIDE_SCOPE]: {
    kind: 'permission_denied',
    when: 'an area officer addressing people outside their jurisdictions (or the whole city)',
  },
  [ANNOUNCEMENT_FINISHED]: {
    kind: 'conflict',
    when: 'cancelling an announcement that has already reached its whole audience',
  },
});

export const announcementNotFound = (): AppError =>
  announcementsErrors.error(ANNOUNCEMENT_NOT_FOUND, 'No such announcement was found.');

export const outsideScope = (codes: readonly string[]): AppError =>
  announcementsErrors.error(
    ANNOUNCEMENT_OUTSIDE_SCOPE,
    codes.length === 0
      ? 'An area officer addresses people of their own jurisdictions: name at least one of them.'
      : `These places are outside your jurisdictions: ${codes.join(', ')}.`,
  );

export const announcementFinished = (): AppError =>
  announcementsErrors.error(
    ANNOUNCEMENT_FINISHED,
    'This announcement has already reached its whole audience; there is nothing left to cancel.',
  );

export const jurisdictionUnknown = (codes: readonly string[]): AppError =>
  platformErrors.error(JURISDICTION_UNKNOWN, `No jurisdiction has the code ${codes.join(', ')}.`, {
    details: codes.map((code) => ({ field: '/criteria/jurisdictionCodes', message: code })),
  });

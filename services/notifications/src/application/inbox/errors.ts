/**
 * The inbox slice's codes (`inboxErrors`; the README's inbox error table is
 * its table). Another person's entry is answered as not found, so asking
 * never tells that it exists.
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import { recipientErrors } from '../me.js';

export const INBOX_ENTRY_NOT_FOUND = 'INBOX_ENTRY_NOT_FOUND';

/** Besides these, the platform's codes (libs/errors): CURSOR_INVALID, ROLE_REQUIRED, … */
export const inboxErrors = defineErrorCodes({
  [INBOX_ENTRY_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no entry with that id in your inbox (someone else’s entries are not told apart from missing ones)',
  },
}).with(recipientErrors);

export const entryNotFound = (): AppError =>
  inboxErrors.error(INBOX_ENTRY_NOT_FOUND, 'There is no such notice in your inbox.');

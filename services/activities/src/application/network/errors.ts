/**
 * The learning network's codes, each with its kind and meaning
 * (`networkErrors`; the README's network error table is its table), and
 * where the slice turns its own refusals into AppErrors.
 */
import {
  defineErrorCodes,
  JURISDICTION_UNKNOWN,
  platformErrors,
  type AppError,
} from '@learning/errors';
import {
  LIBRARY_DONATION_CATEGORIES_MISMATCH,
  LIBRARY_DONATION_COUNT_INVALID,
  LIBRARY_DONATION_IN_FUTURE,
  LIBRARY_HOLDINGS_INVALID,
  LIBRARY_NO_KEEPER,
  LIBRARY_PAIRING_MISMATCH,
  LIBRARY_RECEIPT_NOT_KEEPER,
  NETWORK_PLACE_LEVEL_INVALID,
} from '../../domain/library-standard.js';

export const NETWORK_JURISDICTION_NOT_FOUND = 'NETWORK_JURISDICTION_NOT_FOUND';
export const NETWORK_PLACE_NOT_FOUND = 'NETWORK_PLACE_NOT_FOUND';
export const NETWORK_PAIRING_NOT_FOUND = 'NETWORK_PAIRING_NOT_FOUND';
export const NETWORK_DONATION_NOT_FOUND = 'NETWORK_DONATION_NOT_FOUND';
/** libs/mongo's name for a second place in one jurisdiction (the unique key on the place). */
export const NETWORK_PLACE_ALREADY_EXISTS = 'NETWORK_PLACE_ALREADY_EXISTS';
/** libs/mongo's name for a second pairing of one enterprise and library. */
export const NETWORK_PAIRING_ALREADY_EXISTS = 'NETWORK_PAIRING_ALREADY_EXISTS';
export const NETWORK_NOT_A_LIBRARY = 'NETWORK_NOT_A_LIBRARY';
export const NETWORK_ENTERPRISE_UNKNOWN = 'NETWORK_ENTERPRISE_UNKNOWN';
export const NETWORK_PAIRING_NOT_ENTERPRISE = 'NETWORK_PAIRING_NOT_ENTERPRISE';
export const NETWORK_ENTERPRISE_NOT_ACTIVE = 'NETWORK_ENTERPRISE_NOT_ACTIVE';
export const NETWORK_DONATION_ALREADY_RECEIVED = 'NETWORK_DONATION_ALREADY_RECEIVED';
export const NETWORK_DONATION_FORBIDDEN = 'NETWORK_DONATION_FORBIDDEN';
export const NETWORK_CHANGE_EMPTY = 'NETWORK_CHANGE_EMPTY';
export const NETWORK_YEAR_INVALID = 'NETWORK_YEAR_INVALID';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, OUT_OF_SCOPE, … */
export const networkErrors = defineErrorCodes({
  [NETWORK_PLACE_LEVEL_INVALID]: {
    kind: 'invalid_argument',
    when: 'a knowledge supermarket not at a township or street, a farmhouse library not at a village or community',
  },
  [LIBRARY_HOLDINGS_INVALID]: {
    kind: 'invalid_argument',
    when: 'holdings that are not whole numbers of books, zero or more, per named category',
  },
  [NETWORK_CHANGE_EMPTY]: { kind: 'invalid_argument', when: 'a change that changes nothing' },
  [NETWORK_NOT_A_LIBRARY]: {
    kind: 'invalid_argument',
    when: 'a pairing with a place that is not a farmhouse library',
  },
  [NETWORK_ENTERPRISE_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an enterprise registration does not know',
  },
  [NETWORK_PAIRING_NOT_ENTERPRISE]: {
    kind: 'invalid_argument',
    when: 'a pairing with an organization that is not an enterprise',
  },
  [LIBRARY_DONATION_COUNT_INVALID]: {
    kind: 'invalid_argument',
    when: 'a donation that is not a whole number of books, 1 or more',
  },
  [LIBRARY_DONATION_CATEGORIES_MISMATCH]: {
    kind: 'invalid_argument',
    when: 'books by category that do not add up to the count donated',
  },
  [LIBRARY_DONATION_IN_FUTURE]: {
    kind: 'invalid_argument',
    when: 'a donation dated in the future',
  },
  [LIBRARY_PAIRING_MISMATCH]: {
    kind: 'invalid_argument',
    when: 'a donation received for another pairing or library',
  },
  [NETWORK_YEAR_INVALID]: { kind: 'invalid_argument', when: 'a coverage year out of range' },
  [NETWORK_DONATION_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'recording a donation as neither the enterprise’s admin nor an officer over the library',
  },
  [LIBRARY_RECEIPT_NOT_KEEPER]: {
    kind: 'permission_denied',
    when: 'receiving a donation as anyone but the library’s keeper',
  },
  [NETWORK_JURISDICTION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'coverage of a jurisdiction that is unknown or outside your reach',
  },
  [NETWORK_PLACE_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such place, or one the caller may not see',
  },
  [NETWORK_PAIRING_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such pairing, or one the caller may not see',
  },
  [NETWORK_DONATION_NOT_FOUND]: { kind: 'not_found', when: 'no such donation in the pairing' },
  [NETWORK_PLACE_ALREADY_EXISTS]: {
    kind: 'conflict',
    when: 'the jurisdiction has its place already',
  },
  [NETWORK_PAIRING_ALREADY_EXISTS]: {
    kind: 'conflict',
    when: 'the enterprise is paired with the library already',
  },
  [NETWORK_ENTERPRISE_NOT_ACTIVE]: {
    kind: 'failed_precondition',
    when: 'an enterprise that is rejected or suspended',
  },
  [LIBRARY_NO_KEEPER]: {
    kind: 'failed_precondition',
    when: 'receiving a donation at a library without a keeper',
  },
  [NETWORK_DONATION_ALREADY_RECEIVED]: {
    kind: 'aborted',
    when: 'receiving a donation that was received already',
  },
});

/** 400: the request names a jurisdiction the tree does not have, at `field`. */
export const jurisdictionUnknown = (field: string): AppError =>
  platformErrors.error(JURISDICTION_UNKNOWN, 'There is no jurisdiction with that code.', {
    details: [{ field, message: 'is not a known jurisdiction' }],
  });

/** 404: the jurisdiction asked about is unknown or outside the caller's reach. */
export const jurisdictionNotFound = (): AppError =>
  networkErrors.error(NETWORK_JURISDICTION_NOT_FOUND, 'The jurisdiction was not found.');

export const placeNotFound = (): AppError =>
  networkErrors.error(NETWORK_PLACE_NOT_FOUND, 'The network place was not found.');

export const pairingNotFound = (): AppError =>
  networkErrors.error(NETWORK_PAIRING_NOT_FOUND, 'The pairing was not found.');

export const donationNotFound = (): AppError =>
  networkErrors.error(NETWORK_DONATION_NOT_FOUND, 'The donation was not found.');

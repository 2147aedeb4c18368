/** The learning network's own refusals, and the one place its domain failures become AppErrors. */
import { AppError, JURISDICTION_UNKNOWN } from '@learning/errors';

export const NETWORK_JURISDICTION_NOT_FOUND = 'NETWORK_JURISDICTION_NOT_FOUND';
export const NETWORK_PLACE_NOT_FOUND = 'NETWORK_PLACE_NOT_FOUND';
export const NETWORK_PAIRING_NOT_FOUND = 'NETWORK_PAIRING_NOT_FOUND';
export const NETWORK_DONATION_NOT_FOUND = 'NETWORK_DONATION_NOT_FOUND';
export const NETWORK_NOT_A_LIBRARY = 'NETWORK_NOT_A_LIBRARY';
export const NETWORK_ENTERPRISE_UNKNOWN = 'NETWORK_ENTERPRISE_UNKNOWN';
export const NETWORK_PAIRING_NOT_ENTERPRISE = 'NETWORK_PAIRING_NOT_ENTERPRISE';
export const NETWORK_ENTERPRISE_NOT_ACTIVE = 'NETWORK_ENTERPRISE_NOT_ACTIVE';
export const NETWORK_DONATION_ALREADY_RECEIVED = 'NETWORK_DONATION_ALREADY_RECEIVED';
export const NETWORK_DONATION_FORBIDDEN = 'NETWORK_DONATION_FORBIDDEN';
export const NETWORK_CHANGE_EMPTY = 'NETWORK_CHANGE_EMPTY';
export const NETWORK_YEAR_INVALID = 'NETWORK_YEAR_INVALID';

/** 400: the request names a jurisdiction the tree does not have, at `field`. */
export const jurisdictionUnknown = (field: string): AppError =>
  new AppError(
    'invalid_argument',
    JURISDICTION_UNKNOWN,
    'There is no jurisdiction with that code.',
    {
      details: [{ field, message: 'is not a known jurisdiction' }],
    },
  );

/** 404: the jurisdiction asked about is unknown or outside the caller's reach. */
export const jurisdictionNotFound = (): AppError =>
  new AppError('not_found', NETWORK_JURISDICTION_NOT_FOUND, 'The jurisdiction was not found.');

export const placeNotFound = (): AppError =>
  new AppError('not_found', NETWORK_PLACE_NOT_FOUND, 'The network place was not found.');

export const pairingNotFound = (): AppError =>
  new AppError('not_found', NETWORK_PAIRING_NOT_FOUND, 'The pairing was not found.');

export const donationNotFound = (): AppError =>
  new AppError('not_found', NETWORK_DONATION_NOT_FOUND, 'The donation was not found.');

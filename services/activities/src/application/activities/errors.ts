/** The activities slice's own refusals, and the one place domain failures become AppErrors. */
import { AppError } from '@learning/errors';

export const ACTIVITY_NOT_FOUND = 'ACTIVITY_NOT_FOUND';
export const ACTIVITY_JURISDICTION_UNKNOWN = 'ACTIVITY_JURISDICTION_UNKNOWN';
export const ACTIVITY_VENUE_UNKNOWN = 'ACTIVITY_VENUE_UNKNOWN';
export const ACTIVITY_CAMPAIGN_UNKNOWN = 'ACTIVITY_CAMPAIGN_UNKNOWN';
export const ACTIVITY_CAMPAIGN_CLOSED = 'ACTIVITY_CAMPAIGN_CLOSED';
export const ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE = 'ACTIVITY_OUTSIDE_CAMPAIGN_SCOPE';
export const ACTIVITY_NOT_DRAFT = 'ACTIVITY_NOT_DRAFT';
export const ACTIVITY_CHANGE_EMPTY = 'ACTIVITY_CHANGE_EMPTY';
export const ACTIVITY_AUDIENCE_REQUIRED = 'ACTIVITY_AUDIENCE_REQUIRED';
export const ACTIVITY_SEARCH_EMPTY = 'ACTIVITY_SEARCH_EMPTY';
export const ACTIVITY_RANGE_INVALID = 'ACTIVITY_RANGE_INVALID';
export const ACTIVITY_ORGANIZER_UNKNOWN = 'ACTIVITY_ORGANIZER_UNKNOWN';
export const ACTIVITY_ORGANIZER_NOT_ACTIVE = 'ACTIVITY_ORGANIZER_NOT_ACTIVE';

export const activityNotFound = (): AppError =>
  new AppError('not_found', ACTIVITY_NOT_FOUND, 'The activity was not found.');

/** 400 at `field` (a JSON pointer into the request). */
export const invalidAt = (code: string, message: string, field: string): AppError =>
  new AppError('invalid_argument', code, message, { details: [{ field, message }] });

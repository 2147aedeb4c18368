/** The contests slice's own refusals, and the one place its domain failures become AppErrors. */
import { AppError, JURISDICTION_UNKNOWN } from '@learning/errors';
import { invalidAt } from '../errors.js';

export const CONTEST_NOT_FOUND = 'CONTEST_NOT_FOUND';
export const CONTEST_ENTRY_NOT_FOUND = 'CONTEST_ENTRY_NOT_FOUND';
export const CONTEST_RESULTS_NOT_PUBLISHED = 'CONTEST_RESULTS_NOT_PUBLISHED';
export const CONTEST_MANAGE_FORBIDDEN = 'CONTEST_MANAGE_FORBIDDEN';
export const CONTEST_ORGANIZER_FORBIDDEN = 'CONTEST_ORGANIZER_FORBIDDEN';
export const CONTEST_ATTACHMENT_UNKNOWN = 'CONTEST_ATTACHMENT_UNKNOWN';
export const CONTEST_JUDGE_NOT_ON_PANEL = 'CONTEST_JUDGE_NOT_ON_PANEL';
export const CONTEST_JUDGE_HAS_SCORED = 'CONTEST_JUDGE_HAS_SCORED';
export const CONTEST_JUDGES_ASSIGNED = 'CONTEST_JUDGES_ASSIGNED';
export const CONTEST_ORGANIZER_UNKNOWN = 'CONTEST_ORGANIZER_UNKNOWN';
export const CONTEST_ORGANIZER_NOT_ACTIVE = 'CONTEST_ORGANIZER_NOT_ACTIVE';
export const CONTEST_CAMPAIGN_UNKNOWN = 'CONTEST_CAMPAIGN_UNKNOWN';
export const CONTEST_CAMPAIGN_CLOSED = 'CONTEST_CAMPAIGN_CLOSED';
export const CONTEST_OUTSIDE_CAMPAIGN_SCOPE = 'CONTEST_OUTSIDE_CAMPAIGN_SCOPE';

export const contestNotFound = (): AppError =>
  new AppError('not_found', CONTEST_NOT_FOUND, 'The contest was not found.');

export const entryNotFound = (): AppError =>
  new AppError('not_found', CONTEST_ENTRY_NOT_FOUND, 'The contest entry was not found.');

export const jurisdictionUnknown = (field: string): AppError =>
  invalidAt(JURISDICTION_UNKNOWN, 'There is no jurisdiction with that code.', field);

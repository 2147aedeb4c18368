/**
 * The one place where domain failures become AppErrors, and the codes the
 * jurisdiction use cases add of their own: also those of every slice whose
 * request names a jurisdiction.
 */
import { AppError, JURISDICTION_UNKNOWN } from '@learning/errors';
import { appErrorOf } from '@learning/domain';
import { JurisdictionTreeError } from '../domain/jurisdictions.js';

export const JURISDICTION_NOT_FOUND = 'JURISDICTION_NOT_FOUND';
export const JURISDICTION_TREE_INVALID = 'JURISDICTION_TREE_INVALID';

export const jurisdictionNotFound = (): AppError =>
  new AppError('not_found', JURISDICTION_NOT_FOUND, 'There is no jurisdiction with that code.');

/** 400, not 404: the request is at fault, at `field` (a JSON pointer into its body). */
export const jurisdictionUnknown = (field: string): AppError =>
  new AppError(
    'invalid_argument',
    JURISDICTION_UNKNOWN,
    'There is no jurisdiction with that code.',
    { details: [{ field, message: 'is not a known jurisdiction' }] },
  );

/**
 * Runs domain code and turns its DomainError into an AppError. A refused
 * jurisdiction tree is reported as JURISDICTION_TREE_INVALID with the rule
 * broken and, when the builder names one, the list entry at fault
 * (`/items/<index>/<field>`); entries past `listLength` are stored nodes the
 * request did not send, so they are pointed to as the list as a whole.
 */
export function domainCall<T>(run: () => T, listLength = 0): T {
  try {
    return run();
  } catch (error) {
    throw toAppError(error, listLength);
  }
}

function toAppError(error: unknown, listLength: number): unknown {
  if (error instanceof JurisdictionTreeError) {
    const at = error.at;
    const field =
      at !== undefined && at.index < listLength ? `/items/${at.index}/${at.field}` : '/items';
    return new AppError(
      'invalid_argument',
      JURISDICTION_TREE_INVALID,
      'The jurisdiction tree is not valid; see details.',
      { details: [{ field, message: `${error.code}: ${error.message}` }], cause: error },
    );
  }
  return appErrorOf(error);
}

/**
 * The one place where domain failures become AppErrors, and the stable codes
 * of the jurisdiction slice, each with its kind and meaning
 * (`jurisdictionErrors`): also the platform's JURISDICTION_UNKNOWN for every
 * slice whose request names a jurisdiction. The README's jurisdiction error
 * table is this catalogue's table; a unit test keeps the two the same.
 */
import {
  defineErrorCodes,
  JURISDICTION_UNKNOWN,
  platformErrors,
  type AppError,
} from '@learning/errors';
import { appErrorOf } from '@learning/domain';
import {
  JURISDICTION_CYCLE,
  JURISDICTION_DUPLICATE_CODE,
  JURISDICTION_PARENT_LEVEL,
  JURISDICTION_ROOT,
  JURISDICTION_UNKNOWN_CODE,
  JURISDICTION_UNKNOWN_PARENT,
  JurisdictionTreeError,
} from '../domain/jurisdictions.js';

export const JURISDICTION_NOT_FOUND = 'JURISDICTION_NOT_FOUND';
export const JURISDICTION_TREE_INVALID = 'JURISDICTION_TREE_INVALID';
export const JURISDICTION_IMPORT_CONFLICT = 'JURISDICTION_IMPORT_CONFLICT';
export const JURISDICTION_QUERY_INVALID = 'JURISDICTION_QUERY_INVALID';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, CURSOR_INVALID, … */
export const jurisdictionErrors = defineErrorCodes({
  [JURISDICTION_TREE_INVALID]: {
    kind: 'invalid_argument',
    when:
      'an imported list that is not one tree; each detail names the entry (e.g. `/items/7/parentCode`) ' +
      `and the rule broken: \`${JURISDICTION_DUPLICATE_CODE}\`, \`${JURISDICTION_UNKNOWN_PARENT}\`, ` +
      `\`${JURISDICTION_CYCLE}\`, \`${JURISDICTION_ROOT}\`, \`${JURISDICTION_PARENT_LEVEL}\``,
  },
  [JURISDICTION_UNKNOWN_CODE]: {
    kind: 'invalid_argument',
    when: 'the path of a code the tree being imported does not hold was asked for',
  },
  [JURISDICTION_QUERY_INVALID]: {
    kind: 'invalid_argument',
    when: 'gRPC: more than 1,000 codes, or an unspecified or unknown level',
  },
  [JURISDICTION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no jurisdiction with that code (reads; the root of `StreamSubtree`)',
  },
  [JURISDICTION_IMPORT_CONFLICT]: {
    kind: 'aborted',
    when: 'another import changed the tree meanwhile; import it again',
  },
});

export const jurisdictionNotFound = (): AppError =>
  jurisdictionErrors.error(JURISDICTION_NOT_FOUND, 'There is no jurisdiction with that code.');

/** 400, not 404: the request is at fault, at `field` (a JSON pointer into its body). */
export const jurisdictionUnknown = (field: string): AppError =>
  platformErrors.error(JURISDICTION_UNKNOWN, 'There is no jurisdiction with that code.', {
    details: [{ field, message: 'is not a known jurisdiction' }],
  });

export const jurisdictionImportConflict = (): AppError =>
  jurisdictionErrors.error(
    JURISDICTION_IMPORT_CONFLICT,
    'The jurisdiction tree was changed by another import meanwhile; import it again.',
  );

/** A gRPC query the directory cannot answer, `field` naming what is wrong with it. */
export const jurisdictionQueryInvalid = (
  message: string,
  detail: { field: string; message: string },
): AppError => jurisdictionErrors.error(JURISDICTION_QUERY_INVALID, message, { details: [detail] });

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
    return jurisdictionErrors.error(
      JURISDICTION_TREE_INVALID,
      'The jurisdiction tree is not valid; see details.',
      { details: [{ field, message: `${error.code}: ${error.message}` }], cause: error },
    );
  }
  return appErrorOf(error);
}

/**
 * Optimistic concurrency over HTTP: a write names the revision it read as
 * `If-Match: "<revision>"` (the ETag the read gave), weak or strong.
 */
import type { AppError } from '@learning/errors';

const IF_MATCH = /^(?:W\/)?"(0|[1-9]\d{0,9})"$/;

/**
 * The revision `If-Match` names, or undefined when the header is absent; a
 * malformed header (or one naming several ETags) throws `refuse()`. Revision
 * 0 is accepted only with `allowZero` (a record whose first save is revision 1).
 */
export function revisionFromIfMatch(
  ifMatch: string | string[] | undefined,
  options: { readonly allowZero?: boolean; readonly refuse: () => AppError },
): number | undefined {
  if (ifMatch === undefined) return undefined;
  const match = typeof ifMatch === 'string' ? IF_MATCH.exec(ifMatch.trim()) : null;
  const revision = match?.[1] === undefined ? undefined : Number(match[1]);
  if (revision === undefined || (revision === 0 && options.allowZero !== true))
    throw options.refuse();
  return revision;
}

/**
 * Optimistic concurrency over HTTP: a write names the revision it read as
 * `If-Match: "<revision>"` (the ETag the read gave), weak or strong.
 */
import type { AppError } from '@learning/errors';

const IF_MATCH = /^(?:W\/)?"(0|[1-9]\d{0,9})"$/;

export interface IfMatchOptions {
  /** Revision 0 names a record never saved yet (its first save is revision 1). */
  readonly allowZero?: boolean;
  /** The service's own refusal of a malformed header, with its stable code. */
  readonly refuse: () => AppError;
}

/**
 * The revision `If-Match` names, or undefined when the header is absent; a
 * malformed header (or one naming several ETags) throws `refuse()`. Revision
 * 0 is accepted only with `allowZero` (a record whose first save is revision 1).
 */
export function revisionFromIfMatch(
  ifMatch: string | string[] | undefined,
  options: IfMatchOptions,
): number | undefined {
  if (ifMatch === undefined) return undefined;
  const match = typeof ifMatch === 'string' ? IF_MATCH.exec(ifMatch.trim()) : null;
  const revision = match?.[1] === undefined ? undefined : Number(match[1]);
  if (revision === undefined || (revision === 0 && options.allowZero !== true))
    throw options.refuse();
  return revision;
}

/**
 * The revision a write expects, as a use case takes it: If-Match when sent
 * (it wins, being what the client's cache read), else the one the body
 * names, else none (the write applies to the current revision).
 */
export function expectedRevision(
  ifMatch: string | string[] | undefined,
  bodyRevision: number | undefined,
  options: IfMatchOptions,
): { expectedRevision?: number } {
  const revision = revisionFromIfMatch(ifMatch, options) ?? bodyRevision;
  return revision === undefined ? {} : { expectedRevision: revision };
}

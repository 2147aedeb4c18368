/**
 * Opaque keyset-pagination cursors: the last item's sort value and _id,
 * serialised as Extended JSON (so Dates and ObjectIds come back as
 * themselves) and tagged with a hash of the query they belong to.
 *
 * The tag rejects edited, truncated and foreign cursors (another collection,
 * sort or filter) with a stable error. It is not a signature: someone who
 * recomputes it only chooses where their page starts, because the scope
 * filter is applied to every page regardless of the cursor.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@learning/errors';
import { mongo } from 'mongoose';

const { EJSON } = mongo.BSON;

/** Longer cursors are refused before any parsing work. */
const MAX_CURSOR_LENGTH = 2048;

export interface CursorPosition {
  /** The sort field's value on the last item of the page. */
  readonly value: unknown;
  /** The last item's _id, the tie-breaker. */
  readonly id: unknown;
}

function tagOf(context: string, payload: string): Buffer {
  return createHash('sha256').update(context).update('\n').update(payload).digest().subarray(0, 16);
}

export function encodeCursor(position: CursorPosition, context: string): string {
  const payload = EJSON.stringify({ v: position.value, i: position.id }, { relaxed: false });
  return `${Buffer.from(payload).toString('base64url')}.${tagOf(context, payload).toString('base64url')}`;
}

/** Node's decoder skips stray characters and ignores spare bits; only the canonical spelling is accepted. */
function strictBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length > 0 && bytes.toString('base64url') === text ? bytes : undefined;
}

const invalidCursor = (): AppError =>
  new AppError(
    'invalid_argument',
    'CURSOR_INVALID',
    'The page cursor is not valid for this query; start again from the first page.',
  );

/** Decodes a cursor made by `encodeCursor` with the same context; anything else is CURSOR_INVALID. */
export function decodeCursor(cursor: string, context: string): CursorPosition {
  if (cursor.length > MAX_CURSOR_LENGTH) throw invalidCursor();
  const [encodedPayload, encodedTag, ...rest] = cursor.split('.');
  if (encodedPayload === undefined || encodedTag === undefined || rest.length > 0)
    throw invalidCursor();
  const payloadBytes = strictBase64url(encodedPayload);
  const tag = strictBase64url(encodedTag);
  if (payloadBytes === undefined || tag === undefined) throw invalidCursor();
  const payload = payloadBytes.toString('utf8');
  const expected = tagOf(context, payload);
  if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) throw invalidCursor();
  let parsed: unknown;
  try {
    // Relaxed parsing yields plain numbers, as the query and schema casting expect.
    parsed = EJSON.parse(payload);
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || !('v' in parsed) || !('i' in parsed))
    throw invalidCursor();
  return { value: parsed.v, id: parsed.i };
}

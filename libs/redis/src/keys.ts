import { AppError } from '@learning/errors';

/** Every key this platform writes starts with this, so its keys never mix with anyone else's. */
export const KEY_PREFIX = 'ls';

/** Parts may come from requests (an Idempotency-Key header, a user id); bound them. */
export const MAX_KEY_PART_LENGTH = 256;

const forbidden = /[\s\p{Cc}]/u;

export const INVALID_KEY_CODE = 'INVALID_KEY';

/** Throws an `invalid_argument` AppError unless `part` is usable inside a key. Never echoes the part. */
export function assertKeyPart(part: string): void {
  if (part.length === 0 || part.length > MAX_KEY_PART_LENGTH || forbidden.test(part)) {
    throw new AppError(
      'invalid_argument',
      INVALID_KEY_CODE,
      `A key must be 1 to ${MAX_KEY_PART_LENGTH} characters long, without spaces or control characters.`,
    );
  }
}

/**
 * The one key-naming scheme: `ls:<part>:<part>...`, e.g.
 * `redisKey('ratelimit', 'login', userId)` -> `ls:ratelimit:login:<userId>`.
 */
export function redisKey(...parts: string[]): string {
  if (parts.length === 0) {
    throw new AppError('invalid_argument', INVALID_KEY_CODE, 'A key needs at least one part.');
  }
  for (const part of parts) assertKeyPart(part);
  return [KEY_PREFIX, ...parts].join(':');
}

import { randomUUID } from 'node:crypto';
import { assertPositiveInteger } from './assert.js';
import type { RedisClient } from './client.js';
import { redisKey } from './keys.js';

export type LockResult<T> = { acquired: true; value: T } | { acquired: false };

/** The reason a lock's signal carries when the work outlived the lock. */
export class LockExpiredError extends Error {
  override readonly name = 'LockExpiredError';
}

/** Deletes the lock only while it still holds our token: an expired lock may belong to someone else now. */
const RELEASE_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

/**
 * Runs `work` only if this caller gets the lock `ls:lock:<name>`, e.g. so that
 * one replica's scheduler runs per tick; the others get `{ acquired: false }`
 * at once. Not a fencing lock: if `work` outlives `ttlMs`, `signal` aborts
 * because the lock may already have passed to someone else, and `work` should
 * stop writing.
 */
export async function withLock<T>(
  client: RedisClient,
  name: string,
  ttlMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<LockResult<T>> {
  assertPositiveInteger('ttlMs', ttlMs);
  const key = redisKey('lock', name);
  const token = randomUUID();
  const reply = await client.set(key, token, {
    condition: 'NX',
    expiration: { type: 'PX', value: ttlMs },
  });
  if (reply === null) return { acquired: false };

  const controller = new AbortController();
  const expiry = setTimeout(() => {
    controller.abort(
      new LockExpiredError(
        `The lock "${name}" expired after ${ttlMs} ms while its work was still running.`,
      ),
    );
  }, ttlMs);
  try {
    return { acquired: true, value: await work(controller.signal) };
  } finally {
    clearTimeout(expiry);
    // A failed release is harmless: the lock expires by itself after ttlMs,
    // and the work's own result or error matters more to the caller.
    await client.eval(RELEASE_SCRIPT, { keys: [key], arguments: [token] }).catch(() => undefined);
  }
}

/**
 * True for the first caller to claim `ls:claim:<name>` within `ttlMs`, false
 * for every other; the claim is never released, it lapses. Replicas that each
 * claim the same tick (`<job>:<tick number>`) run that tick's work once between them.
 */
export async function claimOnce(
  client: RedisClient,
  name: string,
  ttlMs: number,
): Promise<boolean> {
  assertPositiveInteger('ttlMs', ttlMs);
  const reply = await client.set(redisKey('claim', name), '1', {
    condition: 'NX',
    expiration: { type: 'PX', value: ttlMs },
  });
  return reply !== null;
}

/**
 * One value loaded at most once per `ttlMs` (lru-cache's fetch): callers
 * within that time share it, and callers arriving while it loads share the
 * load. A failed load is not kept, so the next caller tries again.
 */
import { LRUCache } from 'lru-cache';

const KEY = 'value';

export function reusedFor<T extends object>(
  ttlMs: number,
  load: () => Promise<T>,
  now?: () => number,
): () => Promise<T> {
  const cache = new LRUCache<typeof KEY, T>({
    max: 1,
    ttl: ttlMs,
    // Every read looks at the clock: a value is never served past its time.
    ttlResolution: 0,
    fetchMethod: load,
    ...(now === undefined ? {} : { perf: { now } }),
  });
  return async () => {
    const value = await cache.fetch(KEY);
    // fetch resolves undefined only when the load is aborted, which nothing here does.
    if (value === undefined) throw new Error('the reused value was not loaded');
    return value;
  };
}

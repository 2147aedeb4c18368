import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { assertPositiveInteger } from './assert.js';
import type { RedisClient } from './client.js';
import { assertKeyPart, redisKey } from './keys.js';

export interface PageCacheOptions {
  /** Names the cache; keys live under `ls:cache:{<name>}:…`. */
  name: string;
  /** How long a page is served at most, even if no invalidation reaches it. */
  ttlMs: number;
  /**
   * Also keep pages in this process for this long, skipping Redis: another
   * replica's invalidation then reaches this one only after it. Off when absent.
   */
  localTtlMs?: number;
  /** The most pages kept in this process. Default 1000. */
  localMaxPages?: number;
}

/**
 * Reads the cache's generation and, in the same call, the page stored under
 * it: a page written before the last invalidation is never found again.
 */
const READ_SCRIPT = `
local generation = redis.call('GET', KEYS[1]) or '0'
return { generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2]) }`;

/**
 * Rendered pages (public listings) shared by every replica, dropped all at
 * once by `invalidate()` after a change that may show on any of them. An
 * invalidation bumps a generation number instead of deleting keys, so it is
 * one command however many pages are cached; old pages simply expire. The
 * keys share one hash tag, so a Redis Cluster keeps them in one slot. With
 * `localTtlMs`, a hot page is also kept in the process briefly, so most reads
 * of it reach neither Redis nor the database.
 */
export class PageCache {
  readonly #client: RedisClient;
  readonly #ttlMs: number;
  readonly #generationKey: string;
  readonly #pagePrefix: string;
  readonly #local: LRUCache<string, string> | undefined;

  constructor(client: RedisClient, options: PageCacheOptions) {
    assertKeyPart(options.name);
    assertPositiveInteger('ttlMs', options.ttlMs);
    this.#client = client;
    this.#ttlMs = options.ttlMs;
    this.#generationKey = redisKey('cache', `{${options.name}}`, 'generation');
    this.#pagePrefix = `${redisKey('cache', `{${options.name}}`, 'page')}:`;
    if (options.localTtlMs !== undefined) {
      assertPositiveInteger('localTtlMs', options.localTtlMs);
      this.#local = new LRUCache({
        max: options.localMaxPages ?? 1_000,
        ttl: options.localTtlMs,
      });
    }
  }

  /**
   * The page stored for `key` in the current generation, else `render()`'s,
   * stored for the next reader. A cache that is down only costs the render.
   */
  async through(
    key: string,
    render: () => Promise<string>,
  ): Promise<{ page: string; hit: boolean }> {
    const digest = createHash('sha256').update(key).digest('base64url');
    const kept = this.#local?.get(digest);
    if (kept !== undefined) return { page: kept, hit: true };
    let generation: string | undefined;
    try {
      const [current, page] = (await this.#client.eval(READ_SCRIPT, {
        keys: [this.#generationKey],
        arguments: [this.#pagePrefix, digest],
      })) as [string, string | null];
      if (page !== null) {
        this.#local?.set(digest, page);
        return { page, hit: true };
      }
      generation = current;
    } catch {
      generation = undefined;
    }
    const page = await render();
    this.#local?.set(digest, page);
    if (generation !== undefined) {
      try {
        await this.#client.set(`${this.#pagePrefix}${generation}:${digest}`, page, {
          expiration: { type: 'PX', value: this.#ttlMs },
        });
      } catch {
        // Not stored: the next reader renders it again.
      }
    }
    return { page, hit: false };
  }

  /** Every page cached so far is no longer served (by other replicas after their `localTtlMs`). */
  async invalidate(): Promise<void> {
    this.#local?.clear();
    await this.#client.incr(this.#generationKey);
  }
}

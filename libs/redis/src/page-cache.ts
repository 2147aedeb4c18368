import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { assertPositiveInteger } from './assert.js';
import type { RedisClient } from './client.js';
import { assertKeyPart, redisKey } from './keys.js';

export interface PageCacheOptions {
  /** Names the cache; keys live under `ls:cache:{<name>}:…`. */
  name: string;
  /** How long a page is served at most from Redis, even if no invalidation reaches it. */
  ttlMs: number;
  /**
   * How long a page kept in this process is served without asking Redis:
   * another replica's invalidation reaches this one only after it.
   */
  localTtlMs: number;
  /**
   * How long past `localTtlMs` a kept page may still be served while one
   * request fetches it again (stale-while-revalidate). Default `localTtlMs`.
   */
  localStaleMs?: number;
  /** The most pages kept in this process. Default 1000. */
  localMaxPages?: number;
}

/** A page as this process keeps it: whether it was rendered here or read from Redis. */
interface KeptPage {
  page: string;
  rendered: boolean;
}

type Render = () => Promise<string>;

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
 * keys share one hash tag, so a Redis Cluster keeps them in one slot.
 *
 * A hot page is also kept in the process for `localTtlMs`, so most reads of
 * it reach neither Redis nor the database. Requests for a page this process
 * is already fetching wait for that fetch instead of rendering it again, and
 * a page just past its local time is served while one request fetches it
 * anew: when a page expires under a portal's traffic, one render runs, not
 * one per request in flight (lru-cache's `fetch` does both).
 */
export class PageCache {
  readonly #client: RedisClient;
  readonly #ttlMs: number;
  readonly #localStaleMs: number;
  readonly #generationKey: string;
  readonly #pagePrefix: string;
  readonly #local: LRUCache<string, KeptPage, Render>;

  constructor(client: RedisClient, options: PageCacheOptions) {
    assertKeyPart(options.name);
    assertPositiveInteger('ttlMs', options.ttlMs);
    assertPositiveInteger('localTtlMs', options.localTtlMs);
    this.#localStaleMs = options.localStaleMs ?? options.localTtlMs;
    assertPositiveInteger('localStaleMs', this.#localStaleMs);
    this.#client = client;
    this.#ttlMs = options.ttlMs;
    this.#generationKey = redisKey('cache', `{${options.name}}`, 'generation');
    this.#pagePrefix = `${redisKey('cache', `{${options.name}}`, 'page')}:`;
    this.#local = new LRUCache<string, KeptPage, Render>({
      max: options.localMaxPages ?? 1_000,
      ttl: options.localTtlMs,
      allowStale: true,
      // An invalidation aborts the fetches under way: their requests still get
      // the page they waited for, but it is not kept (lru-cache drops it).
      ignoreFetchAbort: true,
      fetchMethod: (digest, _stale, { context: render }) => this.#readOrRender(digest, render),
    });
  }

  /**
   * The page kept for `key`, else the one stored in Redis for the current
   * generation, else `render()`'s, stored for the next reader. A cache that is
   * down only costs the render; a render that throws is not kept, and every
   * request that waited for it gets its error.
   */
  async through(key: string, render: Render): Promise<{ page: string; hit: boolean }> {
    const digest = createHash('sha256').update(key).digest('base64url');
    // Past its stale time a kept page is not served: the request waits for the fetch.
    const allowStale = this.#local.getRemainingTTL(digest) >= -this.#localStaleMs;
    const status: LRUCache.Status<string, KeptPage, Render> = {};
    const kept = await this.#local.fetch(digest, { context: render, allowStale, status });
    if (kept === undefined) throw new Error('the page cache fetched nothing');
    const servedKept = status.fetch === 'hit' || status.returnedStale === true;
    return { page: kept.page, hit: servedKept || !kept.rendered };
  }

  /** Every page cached so far is no longer served (by other replicas after their `localTtlMs`). */
  async invalidate(): Promise<void> {
    this.#local.clear();
    await this.#client.incr(this.#generationKey);
  }

  async #readOrRender(digest: string, render: Render): Promise<KeptPage> {
    let generation: string | undefined;
    try {
      const [current, page] = (await this.#client.eval(READ_SCRIPT, {
        keys: [this.#generationKey],
        arguments: [this.#pagePrefix, digest],
      })) as [string, string | null];
      if (page !== null) return { page, rendered: false };
      generation = current;
    } catch {
      generation = undefined;
    }
    const page = await render();
    if (generation !== undefined) {
      try {
        await this.#client.set(`${this.#pagePrefix}${generation}:${digest}`, page, {
          expiration: { type: 'PX', value: this.#ttlMs },
        });
      } catch {
        // Not stored: the next reader renders it again.
      }
    }
    return { page, rendered: true };
  }
}

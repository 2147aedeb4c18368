import type { Logger } from '@learning/logger';
import type { RedisClient } from './client.js';
import { PageCache } from './page-cache.js';

export interface PublicPageCacheOptions {
  /**
   * Names the cache. Services name it after the database the pages are
   * rendered from, so two deployments sharing a Redis (test runs) never serve
   * each other's.
   */
  name: string;
  /** How long a page is served at most, even if no invalidation reaches it. */
  ttlMs: number;
}

/**
 * How long a replica keeps a hot page in memory: another replica's change
 * shows there after at most this, and most reads of a hot page touch nothing.
 */
const LOCAL_TTL_MS = 1_000;

/**
 * A service's public pages (listings anyone may read), rendered once and
 * shared by every replica through a PageCache. Invalidating never fails the
 * change that asks for it: the change is written, and its pages expire
 * within the TTL.
 */
export class PublicPageCache {
  readonly #cache: PageCache;
  readonly #name: string;
  readonly #logger: Logger;

  constructor(redis: RedisClient, options: PublicPageCacheOptions, logger: Logger) {
    this.#cache = new PageCache(redis, {
      name: options.name,
      ttlMs: options.ttlMs,
      localTtlMs: LOCAL_TTL_MS,
      // While a page is rendered anew, the one kept is served for up to the
      // cache's own TTL more: a slow render never makes requests queue behind it.
      localStaleMs: options.ttlMs,
    });
    this.#name = options.name;
    this.#logger = logger;
  }

  /**
   * The page cached under `key`, else `render()`'s, rendered once however many
   * requests ask for it meanwhile; a cache that is down only costs the render.
   */
  through(key: string, render: () => Promise<string>): Promise<{ page: string; hit: boolean }> {
    return this.#cache.through(key, render);
  }

  async invalidate(): Promise<void> {
    try {
      await this.#cache.invalidate();
    } catch (error) {
      this.#logger.warn({ err: error, cache: this.#name }, 'public pages not invalidated');
    }
  }
}

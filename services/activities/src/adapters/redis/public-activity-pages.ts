/**
 * The public listing and public activity pages, rendered once and shared by
 * every replica through Redis (the shared PageCache). The cache is named
 * after the database the pages are rendered from, so the routes and the
 * scheduler drop the same pages and two deployments sharing a Redis (test
 * runs) never serve each other's.
 */
import type { Logger } from '@learning/logger';
import { PageCache, type RedisClient } from '@learning/redis';
import type { PublicPages } from '../../application/activities/public-pages.js';
import type { ActivitiesConfig } from '../../config.js';

/**
 * How long a replica keeps a hot page in memory: another replica's change
 * shows here after at most this, and most reads of a hot page touch nothing.
 */
const LOCAL_TTL_MS = 1_000;

export class PublicActivityPages implements PublicPages {
  readonly #cache: PageCache;
  readonly #logger: Logger;

  constructor(
    redis: RedisClient,
    config: Pick<ActivitiesConfig, 'MONGODB_DATABASE' | 'PUBLIC_CACHE_TTL_MS'>,
    logger: Logger,
  ) {
    this.#cache = new PageCache(redis, {
      name: `public-activities-${config.MONGODB_DATABASE}`,
      ttlMs: config.PUBLIC_CACHE_TTL_MS,
      localTtlMs: LOCAL_TTL_MS,
    });
    this.#logger = logger;
  }

  /** The page cached under `key`, else `render()`'s; a cache that is down only costs the render. */
  through(key: string, render: () => Promise<string>): Promise<{ page: string; hit: boolean }> {
    return this.#cache.through(key, render);
  }

  async invalidate(): Promise<void> {
    try {
      await this.#cache.invalidate();
    } catch (error) {
      // The change itself is written; its pages expire within the cache's TTL.
      this.#logger.warn({ err: error }, 'public activity pages not invalidated');
    }
  }
}

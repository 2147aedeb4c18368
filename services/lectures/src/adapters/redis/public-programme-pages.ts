/**
 * The public programme's pages, rendered once and shared by every replica
 * through Redis (the shared PageCache), named after the database they are
 * rendered from so two deployments sharing a Redis (test runs) never serve
 * each other's.
 */
import type { Logger } from '@learning/logger';
import { PageCache, type RedisClient } from '@learning/redis';
import type { ProgrammePages } from '../../application/programme/ports.js';
import type { LecturesConfig } from '../../config.js';

/**
 * How long a replica keeps a hot page in memory: an invalidation handled by
 * another replica shows here after at most this.
 */
const LOCAL_TTL_MS = 1_000;

export class PublicProgrammePages implements ProgrammePages {
  readonly #cache: PageCache;
  readonly #logger: Logger;

  constructor(
    redis: RedisClient,
    config: Pick<LecturesConfig, 'MONGODB_DATABASE' | 'PUBLIC_CACHE_TTL_MS'>,
    logger: Logger,
  ) {
    this.#cache = new PageCache(redis, {
      name: `public-programme-${config.MONGODB_DATABASE}`,
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
      this.#logger.warn({ err: error }, 'public programme pages not invalidated');
    }
  }
}

/**
 * The public library's pages, rendered once and shared by every replica
 * through Redis (the shared PageCache), as activities' public listing is.
 * Named after the database the pages are rendered from, so two deployments
 * sharing a Redis (test runs) never serve each other's.
 */
import type { Logger } from '@learning/logger';
import { PageCache, type RedisClient } from '@learning/redis';
import type { PublicLessonPages } from '../../application/library/ports.js';
import type { LecturesConfig } from '../../config.js';

/** How long a replica keeps a hot page in memory: another replica's change shows here after at most this. */
const LOCAL_TTL_MS = 1_000;

export class RedisPublicLessonPages implements PublicLessonPages {
  readonly #cache: PageCache;
  readonly #logger: Logger;

  constructor(
    redis: RedisClient,
    config: Pick<LecturesConfig, 'MONGODB_DATABASE' | 'PUBLIC_CACHE_TTL_MS'>,
    logger: Logger,
  ) {
    this.#cache = new PageCache(redis, {
      name: `public-lessons-${config.MONGODB_DATABASE}`,
      ttlMs: config.PUBLIC_CACHE_TTL_MS,
      localTtlMs: LOCAL_TTL_MS,
    });
    this.#logger = logger;
  }

  through(key: string, render: () => Promise<string>): Promise<{ page: string; hit: boolean }> {
    return this.#cache.through(key, render);
  }

  async invalidate(): Promise<void> {
    try {
      await this.#cache.invalidate();
    } catch (error) {
      // The change itself is written; its pages expire within the cache's TTL.
      this.#logger.warn({ err: error }, 'public lesson pages not invalidated');
    }
  }
}

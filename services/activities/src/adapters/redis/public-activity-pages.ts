/**
 * The public listing and public activity pages, shared by every replica
 * through Redis. One name for the routes and the scheduler, so both drop the
 * same pages; named after the database the pages are rendered from, so two
 * deployments sharing a Redis (test runs) never serve each other's.
 */
import type { Logger } from '@learning/logger';
import { PublicPageCache, type RedisClient } from '@learning/redis';
import type { ActivitiesConfig } from '../../config.js';

export const publicActivityPages = (
  redis: RedisClient,
  config: Pick<ActivitiesConfig, 'MONGODB_DATABASE' | 'PUBLIC_CACHE_TTL_MS'>,
  logger: Logger,
): PublicPageCache =>
  new PublicPageCache(
    redis,
    { name: `public-activities-${config.MONGODB_DATABASE}`, ttlMs: config.PUBLIC_CACHE_TTL_MS },
    logger,
  );

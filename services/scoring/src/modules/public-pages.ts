/** The public pages' shared caches, one per slice, so a slice and the privacy module clear the same one. */
import { PublicPageCache } from '@learning/redis';
import type { Platform } from '../platform.js';

export type PublicPagesName = 'awards' | 'cases' | 'leaderboards' | 'verifications';

export const publicPagesOf = (platform: Platform, slice: PublicPagesName): PublicPageCache =>
  new PublicPageCache(
    platform.redis,
    // Named after the database, so two deployments sharing a Redis never serve each other's pages.
    {
      name: `public-${slice}-${platform.config.MONGODB_DATABASE}`,
      ttlMs: platform.config.PUBLIC_CACHE_TTL_MS,
    },
    platform.logger,
  );

/** Notice templates: the renderer every slice sends through, and the office's templates routes. */
import type { Platform as RuntimePlatform } from '@learning/runtime';
import { MongoTemplateRenderer } from '../adapters/mongo/template-renderer.js';
import { MongoTemplateRepository } from '../adapters/mongo/template-store.js';
import { templateModel } from '../adapters/mongo/templates.js';
import type { CachedTemplateRenderer } from '../application/templates/ports.js';
import type { NotificationsConfig } from '../config.js';

/** The platform's renderer (built in `extend`, before any module, since every slice renders through it). */
export const templateRenderer = ({
  mongo,
  config,
  logger,
}: RuntimePlatform<NotificationsConfig>): CachedTemplateRenderer =>
  new MongoTemplateRenderer(
    new MongoTemplateRepository(templateModel(mongo)),
    { timeZone: config.CITY_TIME_ZONE, ttlMs: config.TEMPLATE_CACHE_TTL_MS },
    logger.child({ component: 'templates' }),
  );

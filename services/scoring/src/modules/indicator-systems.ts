/** The campaign office's indicator systems: what organizations and areas are assessed on each year, versioned, and the public list. */
import { publicMaxAgeSeconds } from '@learning/http';
import { PublicPageCache } from '@learning/redis';
import { registerIndicatorSystemsRoutes } from '../adapters/http/indicator-systems.js';
import { indicatorSystemModel } from '../adapters/mongo/evaluation-models.js';
import { MongoIndicatorSystemRepository } from '../adapters/mongo/indicator-systems.js';
import { copySystem } from '../application/indicator-systems/copy-system.js';
import { createSystem } from '../application/indicator-systems/create-system.js';
import { getSystem, listSystems } from '../application/indicator-systems/read-systems.js';
import { replaceSystem } from '../application/indicator-systems/replace-system.js';
import type { Module } from '../platform.js';

export const indicatorSystemsModule: Module = (platform) => {
  const { mongo, redis, config, logger, http, audit, clock } = platform;
  const model = indicatorSystemModel(mongo);
  // The system documents' outbox carries the audit records of the office's changes.
  platform.publishOutboxOf(model);
  const systems = new MongoIndicatorSystemRepository(model);
  // Named after the database, so two deployments sharing a Redis never serve each other's pages.
  const publicPages = new PublicPageCache(
    redis,
    {
      name: `public-indicator-systems-${config.MONGODB_DATABASE}`,
      ttlMs: config.PUBLIC_CACHE_TTL_MS,
    },
    logger,
  );
  const deps = { systems, publicPages, audit, clock };
  registerIndicatorSystemsRoutes(http, {
    createSystem: createSystem(deps),
    replaceSystem: replaceSystem(deps),
    copySystem: copySystem(deps),
    getSystem: getSystem(systems),
    listSystems: listSystems(systems),
    publicPages,
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
};

/** Notice templates: the renderer every slice sends through, and the office's templates routes. */
import type { Platform as RuntimePlatform } from '@learning/runtime';
import { registerTemplatesRoutes } from '../adapters/http/templates.js';
import { MongoTemplateRenderer } from '../adapters/mongo/template-renderer.js';
import { MongoTemplateRepository } from '../adapters/mongo/template-store.js';
import { templateModel } from '../adapters/mongo/templates.js';
import { getTemplate } from '../application/templates/get-template.js';
import { listTemplates } from '../application/templates/list-templates.js';
import type { CachedTemplateRenderer } from '../application/templates/ports.js';
import { previewTemplate } from '../application/templates/preview.js';
import { restoreVersion } from '../application/templates/restore-version.js';
import { saveTemplate } from '../application/templates/save-template.js';
import type { NotificationsConfig } from '../config.js';
import type { Module } from '../platform.js';

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

export const templatesModule: Module = (platform) => {
  const { mongo, config, http, audit, clock } = platform;
  const model = templateModel(mongo);
  // The template documents' outbox carries the audit records of the office's changes.
  platform.publishOutboxOf(model);
  const templates = new MongoTemplateRepository(model);
  const deps = {
    templates,
    forget: (key: Parameters<CachedTemplateRenderer['forget']>[0]) => {
      platform.templates.forget(key);
    },
    audit,
    clock,
    timeZone: config.CITY_TIME_ZONE,
  };
  registerTemplatesRoutes(http, {
    saveTemplate: saveTemplate(deps),
    restoreVersion: restoreVersion(deps),
    getTemplate: getTemplate(templates),
    listTemplates: listTemplates(templates),
    previewTemplate: previewTemplate(deps),
  });
};

/** Exemplary cases (§6.3): the awardees' stories, published on consent, in a public feed. */
import { publicMaxAgeSeconds } from '@learning/http';
import { PublicPageCache } from '@learning/redis';
import { registerCasesRoutes } from '../adapters/http/cases.js';
import { awardModel, caseModel } from '../adapters/mongo/awards-models.js';
import { MongoAwardReader, MongoCaseStore } from '../adapters/mongo/cases-store.js';
import { RegistrationOrganizationAdmins } from '../adapters/registration/organization-admins.js';
import {
  createCase,
  getCase,
  publicCase,
  publicCases,
  publishCase,
  withdrawCase,
  type CasesDeps,
} from '../application/cases/cases.js';
import type { Module } from '../platform.js';

export const casesModule: Module = (platform) => {
  const { mongo, redis, config, logger, http, audit, clock } = platform;
  const model = caseModel(mongo);
  // Cases carry CasePublished and the office's audit records.
  platform.publishOutboxOf(model);
  const cases = new MongoCaseStore(model);
  // Named after the database, so two deployments sharing a Redis never serve each other's pages.
  const publicPages = new PublicPageCache(
    redis,
    { name: `public-cases-${config.MONGODB_DATABASE}`, ttlMs: config.PUBLIC_CACHE_TTL_MS },
    logger,
  );
  const deps: CasesDeps = {
    cases,
    awards: new MongoAwardReader(awardModel(mongo)),
    admins: new RegistrationOrganizationAdmins(platform.organizations),
    publicPages,
    audit,
    clock,
  };
  registerCasesRoutes(http, {
    createCase: createCase(deps),
    getCase: getCase(cases),
    publishCase: publishCase(deps),
    withdrawCase: withdrawCase(deps),
    publicCases: publicCases(cases),
    publicCase: publicCase(cases),
    publicPages,
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
};

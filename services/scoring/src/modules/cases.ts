/** Exemplary cases (§6.3): the awardees' stories, published on consent, in a public feed. */
import { publicMaxAgeSeconds } from '@learning/http';
import type { PublicPageCache } from '@learning/redis';
import { registerCasesRoutes } from '../adapters/http/cases.js';
import { awardModel, caseModel } from '../adapters/mongo/awards-models.js';
import { MongoAwardReader, MongoCaseStore } from '../adapters/mongo/cases-store.js';
import { consentModel, MongoConsents } from '../adapters/mongo/consents.js';
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
import { publicPagesOf } from './public-pages.js';
import type { Module, Platform } from '../platform.js';

/** The cases slice as the routes and the consents use it. */
export function casesDepsOf(platform: Platform): CasesDeps & { publicPages: PublicPageCache } {
  const { mongo, audit, clock } = platform;
  const consents = new MongoConsents(consentModel(mongo));
  return {
    cases: new MongoCaseStore(caseModel(mongo)),
    awards: new MongoAwardReader(awardModel(mongo)),
    admins: new RegistrationOrganizationAdmins(platform.organizations),
    publicPages: publicPagesOf(platform, 'cases'),
    publicity: { withdrawn: (participantId) => consents.withdrawn(participantId, 'publicity') },
    audit,
    clock,
  };
}

export const casesModule: Module = (platform) => {
  const { mongo, config, http } = platform;
  // Cases carry CasePublished and the office's audit records.
  platform.publishOutboxOf(caseModel(mongo));
  const deps = casesDepsOf(platform);
  const { cases, publicPages } = deps;
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

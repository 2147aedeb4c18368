/** The scoring service: its modules on the shared runtime. */
import { serviceTokenProvider } from '@learning/auth';
import { consumerGroups, topics } from '@learning/events';
import { connectRegistration } from '@learning/registration-client';
import { buildServiceApp, type App, type AppDeps, type ServiceDefinition } from '@learning/runtime';
import packageJson from '../package.json' with { type: 'json' };
import { connectAreaSources } from './adapters/evaluation/area-clients.js';
import type { ScoringConfig } from './config.js';
import { assessmentsModule } from './modules/assessments.js';
import { awardsModule } from './modules/awards.js';
import { casesModule } from './modules/cases.js';
import { consentsModule } from './modules/consents.js';
import { creditsModule } from './modules/credits.js';
import { indicatorSystemsModule } from './modules/indicator-systems.js';
import { fundingModule } from './modules/funding.js';
import { evaluationInputsModule } from './modules/evaluation-inputs.js';
import { leaderboardsModule } from './modules/leaderboards.js';
import { personalDataModuleOfScoring } from './modules/personal-data.js';
import { rankingsModule } from './modules/rankings.js';
import { recordsModule } from './modules/records.js';
import { rulesModule } from './modules/rules.js';
import { verificationModule } from './modules/verification.js';
import type { Platform } from './platform.js';

export const scoringService: ServiceDefinition<ScoringConfig, Platform> = {
  name: 'scoring',
  version: packageJson.version,
  eventSource: '/learning/scoring',
  audit: { topic: topics.scoringAudit, group: consumerGroups.scoringAudit },
  openapi: {
    title: 'Scoring',
    description:
      'Learning credits the city can trust: credit rules, the append-only ledgers of persons and ' +
      'organizations, learning records with verification codes, leaderboards, and the annual ' +
      'awards with their exemplary cases.',
  },
  extend(platform) {
    const { config, redis, logger } = platform;
    const tokenProvider = serviceTokenProvider(config, config.REGISTRATION_SERVICE_TOKEN);
    const registration = connectRegistration({
      service: 'scoring',
      address: config.REGISTRATION_GRPC_ADDRESS,
      redis,
      logger,
      ...(tokenProvider === undefined ? {} : { tokenProvider }),
    });
    platform.onClose('registration client', async () => {
      registration.close();
    });
    const activitiesToken = serviceTokenProvider(config, config.ACTIVITIES_SERVICE_TOKEN);
    const lecturesToken = serviceTokenProvider(config, config.LECTURES_SERVICE_TOKEN);
    const areaSources = connectAreaSources({
      activitiesAddress: config.ACTIVITIES_GRPC_ADDRESS,
      lecturesAddress: config.LECTURES_GRPC_ADDRESS,
      logger,
      ...(activitiesToken === undefined ? {} : { activitiesToken }),
      ...(lecturesToken === undefined ? {} : { lecturesToken }),
    });
    platform.onClose('activities and lectures clients', async () => {
      areaSources.close();
    });
    return {
      ...platform,
      participants: registration.participants,
      organizations: registration.organizations,
      organizationDirectory: registration.organizationDirectory,
      jurisdictions: registration.jurisdictions,
      audience: registration.audience,
      areaGatherers: areaSources.gatherers,
    };
  },
  // One module per slice (src/modules/), each wiring its adapters onto the platform.
  modules: [
    rulesModule,
    creditsModule,
    recordsModule,
    verificationModule,
    leaderboardsModule,
    indicatorSystemsModule,
    assessmentsModule,
    fundingModule,
    rankingsModule,
    evaluationInputsModule,
    awardsModule,
    casesModule,
    consentsModule,
    personalDataModuleOfScoring,
  ],
};

export const buildApp = (config: ScoringConfig, deps?: AppDeps): App =>
  buildServiceApp(scoringService, config, deps);

/** The registration service: its modules on the shared runtime. */
import { consumerGroups, topics } from '@learning/events';
import { createPiiVault, piiKeysFrom } from '@learning/pii';
import { buildServiceApp, type App, type AppDeps, type ServiceDefinition } from '@learning/runtime';
import packageJson from '../package.json' with { type: 'json' };
import type { RegistrationConfig } from './config.js';
import { enrollmentsModule } from './modules/enrollments.js';
import { importsModule } from './modules/imports.js';
import { jurisdictionsModule } from './modules/jurisdictions.js';
import { officersModule } from './modules/officers.js';
import { organizationsModule } from './modules/organizations.js';
import { participantsModule } from './modules/participants.js';
import { personalDataDeclaration } from './modules/personal-data.js';
import { rightsModule } from './modules/rights.js';
import type { Platform } from './platform.js';

export const registrationService: ServiceDefinition<RegistrationConfig, Platform> = {
  name: 'registration',
  version: packageJson.version,
  eventSource: '/learning/registration',
  audit: { topic: topics.registrationAudit, group: consumerGroups.registrationAudit },
  openapi: {
    title: 'Registration',
    description: 'People, organizations and places of the city, and every sign-up.',
  },
  extend: (platform) => ({ ...platform, pii: createPiiVault(piiKeysFrom(platform.config)) }),
  modules: [
    jurisdictionsModule,
    participantsModule,
    organizationsModule,
    enrollmentsModule,
    importsModule,
    officersModule,
    personalDataDeclaration,
    rightsModule,
  ],
};

export const buildApp = (config: RegistrationConfig, deps?: AppDeps): App =>
  buildServiceApp(registrationService, config, deps);

/** The lectures service: its modules on the shared runtime. */
import { serviceTokenProvider } from '@learning/auth';
import { consumerGroups, topics } from '@learning/events';
import { piiKeysFrom } from '@learning/pii';
import { connectRegistration } from '@learning/registration-client';
import { buildServiceApp, type App, type AppDeps, type ServiceDefinition } from '@learning/runtime';
import packageJson from '../package.json' with { type: 'json' };
import { connectActivitiesDirectory } from './adapters/grpc/activities-directory.js';
import type { LecturesConfig } from './config.js';
import { attendanceModule } from './modules/attendance.js';
import { catalogueModule } from './modules/catalogue.js';
import { coverageModule } from './modules/coverage.js';
import { expertsModule } from './modules/experts.js';
import { feedbackModule } from './modules/feedback.js';
import { heldModule } from './modules/held.js';
import { libraryModule } from './modules/library.js';
import { personalInformationModule } from './modules/personal-data.js';
import { programmeModule } from './modules/programme.js';
import { sessionsModule } from './modules/sessions.js';
import type { Platform } from './platform.js';

/** How long a venue read from activities' catalogue is reused (decision 0015). */
const VENUE_CACHE_TTL_MS = 60_000;

export const lecturesService: ServiceDefinition<LecturesConfig, Platform> = {
  name: 'lectures',
  version: packageJson.version,
  eventSource: '/learning/lectures',
  audit: { topic: topics.lecturesAudit, group: consumerGroups.lecturesAudit },
  openapi: {
    title: 'Lectures',
    description:
      'The city lecture series (玉海大讲坛): forums, the expert pool, sessions in city and countryside, ' +
      'feedback, coverage, and the online learning library (学习网).',
  },
  extend(platform) {
    const { config, redis, logger } = platform;
    const tokenProvider = serviceTokenProvider(config, config.REGISTRATION_SERVICE_TOKEN);
    const registration = connectRegistration({
      service: 'lectures',
      address: config.REGISTRATION_GRPC_ADDRESS,
      redis,
      logger,
      ...(tokenProvider === undefined ? {} : { tokenProvider }),
    });
    platform.onClose('registration client', async () => {
      registration.close();
    });
    const activitiesToken = serviceTokenProvider(config, config.ACTIVITIES_SERVICE_TOKEN);
    const activities = connectActivitiesDirectory({
      address: config.ACTIVITIES_GRPC_ADDRESS,
      logger,
      venueTtlMs: VENUE_CACHE_TTL_MS,
      ...(activitiesToken === undefined ? {} : { tokenProvider: activitiesToken }),
    });
    platform.onClose('activities client', async () => {
      activities.close();
    });
    const { jurisdictions, departments, participants, enrollments } = registration;
    const { venues, campaigns } = activities;
    return {
      ...platform,
      jurisdictions,
      departments,
      participants,
      enrollments,
      venues,
      campaigns,
      piiKeys: piiKeysFrom(config),
    };
  },
  // One module per slice (src/modules/), each wiring its adapters onto the platform.
  modules: [
    catalogueModule,
    expertsModule,
    sessionsModule,
    programmeModule,
    attendanceModule,
    feedbackModule,
    heldModule,
    libraryModule,
    coverageModule,
    personalInformationModule,
  ],
};

export const buildApp = (config: LecturesConfig, deps?: AppDeps): App =>
  buildServiceApp(lecturesService, config, deps);

/** The activities service: its modules on the shared runtime. */
import { serviceTokenProvider } from '@learning/auth';
import { consumerGroups, topics } from '@learning/events';
import { connectRegistration } from '@learning/registration-client';
import { buildServiceApp, type App, type AppDeps, type ServiceDefinition } from '@learning/runtime';
import packageJson from '../package.json' with { type: 'json' };
import type { ActivitiesConfig } from './config.js';
import { activitiesModule } from './modules/activities.js';
import { campaignsModule } from './modules/campaigns.js';
import { contestsModule } from './modules/contests.js';
import { networkModule } from './modules/network.js';
import { personalDataModuleOfActivities } from './modules/personal-data.js';
import { schedulerModule } from './modules/scheduler.js';
import { trainingClassesModule } from './modules/training-classes.js';
import { trainingEnterpriseModule } from './modules/training-enterprise.js';
import { trainingProgrammesModule } from './modules/training-programmes.js';
import { trainingRecordsModule } from './modules/training-records.js';
import { TRAINING_OWNER } from './domain/training.js';
import type { Platform } from './platform.js';

export const activitiesService: ServiceDefinition<ActivitiesConfig, Platform> = {
  name: 'activities',
  version: packageJson.version,
  eventSource: '/learning/activities',
  audit: { topic: topics.activitiesAudit, group: consumerGroups.activitiesAudit },
  openapi: {
    title: 'Activities',
    description: 'Campaigns, activities, contests and the grassroots learning network of the city.',
  },
  extend(platform) {
    const { config, redis, logger } = platform;
    const tokenProvider = serviceTokenProvider(config, config.REGISTRATION_SERVICE_TOKEN);
    const registration = connectRegistration({
      service: 'activities',
      address: config.REGISTRATION_GRPC_ADDRESS,
      redis,
      logger,
      ...(tokenProvider === undefined ? {} : { tokenProvider }),
    });
    platform.onClose('registration client', async () => {
      registration.close();
    });
    const { jurisdictions, organizations, departments, participants, enrollments } = registration;
    return {
      ...platform,
      jurisdictions,
      organizations,
      departments,
      participants,
      enrollments,
      classEnrollments: registration.enrollmentsOf(TRAINING_OWNER),
    };
  },
  modules: [
    campaignsModule,
    activitiesModule,
    contestsModule,
    networkModule,
    schedulerModule,
    trainingProgrammesModule,
    trainingClassesModule,
    trainingRecordsModule,
    trainingEnterpriseModule,
    personalDataModuleOfActivities,
  ],
};

export const buildApp = (config: ActivitiesConfig, deps?: AppDeps): App =>
  buildServiceApp(activitiesService, config, deps);

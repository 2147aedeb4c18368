/** The notifications service: its modules on the shared runtime. */
import { serviceTokenProvider } from '@learning/auth';
import { consumerGroups, topics } from '@learning/events';
import { connectRegistration } from '@learning/registration-client';
import { buildServiceApp, type App, type AppDeps, type ServiceDefinition } from '@learning/runtime';
import packageJson from '../package.json' with { type: 'json' };
import { gatewaysFrom } from './adapters/gateways/index.js';
import type { NotificationsConfig } from './config.js';
import { dispatchModule, dispatchPlatformOf } from './modules/dispatch.js';
import { templateRenderer, templatesModule } from './modules/templates.js';
import type { Platform } from './platform.js';

export const notificationsService: ServiceDefinition<NotificationsConfig, Platform> = {
  name: 'notifications',
  version: packageJson.version,
  eventSource: '/learning/notifications',
  audit: { topic: topics.notificationsAudit, group: consumerGroups.notificationsAudit },
  openapi: {
    title: 'Notifications',
    description:
      'How citizens hear about what concerns them and departments receive the events they own: ' +
      'the in-app inbox, SMS, email and WeChat under each person’s preferences, announcements to ' +
      'an audience, and signed webhooks.',
  },
  extend(platform) {
    const { config, redis, logger, registry } = platform;
    const tokenProvider = serviceTokenProvider(config, config.REGISTRATION_SERVICE_TOKEN);
    const registration = connectRegistration({
      service: 'notifications',
      address: config.REGISTRATION_GRPC_ADDRESS,
      redis,
      logger,
      ...(tokenProvider === undefined ? {} : { tokenProvider }),
    });
    platform.onClose('registration client', async () => {
      registration.close();
    });
    const gateways = gatewaysFrom(config, {
      redis,
      registry,
      logger,
      onClose: (name, close) => {
        platform.onClose(name, close);
      },
    });
    const templates = templateRenderer(platform);
    const dispatch = dispatchPlatformOf({ ...platform, registration, templates, gateways });
    return {
      ...platform,
      registration,
      templates,
      gateways,
      preferences: dispatch.preferences,
      dispatcher: dispatch.dispatcher,
    };
  },
  // One module per slice (src/modules/), each wiring its adapters onto the platform.
  modules: [templatesModule, dispatchModule],
};

export const buildApp = (config: NotificationsConfig, deps?: AppDeps): App =>
  buildServiceApp(notificationsService, config, deps);

/** The notifications service: its modules on the shared runtime. */
import { serviceTokenProvider } from '@learning/auth';
import { consumerGroups, topics } from '@learning/events';
import { connectRegistration } from '@learning/registration-client';
import { buildServiceApp, type App, type AppDeps, type ServiceDefinition } from '@learning/runtime';
import packageJson from '../package.json' with { type: 'json' };
import { gatewaysFrom } from './adapters/gateways/index.js';
import { MongoBroadcastInbox } from './adapters/mongo/broadcast-inbox.js';
import { channelConsentsModel, MongoChannelConsents } from './adapters/mongo/channel-consents.js';
import { ConsentedContacts } from './adapters/registration/consented-contacts.js';
import { batchModel, broadcastModel } from './adapters/mongo/broadcasts.js';
import type { NotificationsConfig } from './config.js';
import { broadcastSeamsOf, broadcastsModule } from './modules/broadcasts.js';
import { consentsModule } from './modules/consents.js';
import { dispatchModule, dispatchPlatformOf } from './modules/dispatch.js';
import { personalDataModule } from './modules/personal-data.js';
import { reactionsModule } from './modules/reactions.js';
import { remindersModule } from './modules/reminders.js';
import { templateRenderer, templatesModule } from './modules/templates.js';
import { webhooksModule } from './modules/webhooks.js';
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
    const { config, redis, logger, registry, mongo } = platform;
    const tokenProvider = serviceTokenProvider(config, config.REGISTRATION_SERVICE_TOKEN);
    const directory = connectRegistration({
      service: 'notifications',
      address: config.REGISTRATION_GRPC_ADDRESS,
      redis,
      logger,
      ...(tokenProvider === undefined ? {} : { tokenProvider }),
    });
    platform.onClose('registration client', async () => {
      directory.close();
    });
    // Every send, personal or broadcast, reads addresses through the consents kept here (consents module).
    const registration = {
      ...directory,
      contacts: new ConsentedContacts(
        directory.contacts,
        new MongoChannelConsents(channelConsentsModel(mongo)),
      ),
    };
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
    const broadcastInbox = new MongoBroadcastInbox(batchModel(mongo), broadcastModel(mongo));
    return {
      ...platform,
      registration,
      templates,
      gateways,
      preferences: dispatch.preferences,
      dispatcher: dispatch.dispatcher,
      broadcastInbox,
    };
  },
  // One module per slice (src/modules/), each wiring its adapters onto the platform.
  modules: [
    templatesModule,
    dispatchModule,
    broadcastsModule(broadcastSeamsOf),
    reactionsModule,
    remindersModule,
    webhooksModule,
    consentsModule,
    personalDataModule,
  ],
};

export const buildApp = (config: NotificationsConfig, deps?: AppDeps): App =>
  buildServiceApp(notificationsService, config, deps);

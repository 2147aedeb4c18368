/**
 * The dispatch slice: people's preferences and the dispatcher every personal
 * notice goes through (built in `extend`, since the other slices' modules use
 * them), and as a module its scheduler and its routes (preferences, inbox,
 * delivery status).
 */
import type { Platform as RuntimePlatform } from '@learning/runtime';
import { tickingWorker } from '@learning/runtime';
import { createPiiVault, piiKeysFrom } from '@learning/pii';
import { registerDeliveryRoutes } from '../adapters/http/deliveries.js';
import { registerInboxRoutes } from '../adapters/http/inbox.js';
import { registerPreferenceRoutes } from '../adapters/http/preferences.js';
import { channelConsentsModel, MongoChannelConsents } from '../adapters/mongo/channel-consents.js';
import { deliveryModel } from '../adapters/mongo/deliveries.js';
import { deliveryReportModel, OutboxDeliveryReports } from '../adapters/mongo/delivery-reports.js';
import { MongoDeliveryLog, MongoDeliveryStore } from '../adapters/mongo/delivery-store.js';
import { inboxReadModel, MongoPersonalInbox, MongoReadMarks } from '../adapters/mongo/inbox.js';
import {
  MongoPreferenceReader,
  MongoPreferenceStore,
  preferencesModel,
} from '../adapters/mongo/preferences.js';
import { MongoWaitingDeliveries } from '../adapters/mongo/waiting-deliveries.js';
import { vaultSeal } from '../adapters/pii/address-seal.js';
import { deliveryReads } from '../application/deliveries/read-deliveries.js';
import { createDispatcher, type DispatchCore } from '../application/dispatch/dispatch.js';
import { dispatchScheduler } from '../application/dispatch/scheduler.js';
import { inboxUseCases } from '../application/inbox/inbox.js';
import { resolveMe } from '../application/me.js';
import type { PreferenceReader, TemplateRenderer } from '../application/ports.js';
import {
  notificationCategories,
  preferencesUseCases,
} from '../application/preferences/preferences.js';
import type { NotificationsConfig } from '../config.js';
import type { Module, Platform } from '../platform.js';

type DispatchBase = RuntimePlatform<NotificationsConfig> & {
  readonly templates: TemplateRenderer;
  readonly gateways: Platform['gateways'];
  readonly registration: Pick<Platform['registration'], 'contacts'>;
};

function dispatchCoreOf(platform: DispatchBase, preferences: PreferenceReader) {
  const { mongo, config, clock } = platform;
  const deliveries = new MongoDeliveryStore(deliveryModel(mongo));
  const seal = vaultSeal(createPiiVault(piiKeysFrom(config)));
  const dispatcher: DispatchCore = createDispatcher({
    preferences,
    contacts: platform.registration.contacts,
    templates: platform.templates,
    gateways: platform.gateways,
    deliveries,
    reports: new OutboxDeliveryReports(deliveryReportModel(mongo)),
    seal,
    clock,
    consents: new MongoChannelConsents(channelConsentsModel(mongo)),
    waiting: new MongoWaitingDeliveries(deliveryModel(mongo)),
  });
  return { dispatcher, deliveries, seal };
}

export function dispatchPlatformOf(platform: DispatchBase): {
  readonly preferences: PreferenceReader;
  readonly dispatcher: DispatchCore;
} {
  // The one relay of the personal deliveries' reports.
  platform.publishOutboxOf(deliveryReportModel(platform.mongo));
  const preferences = new MongoPreferenceReader(
    preferencesModel(platform.mongo),
    platform.config.CITY_TIME_ZONE,
  );
  return { preferences, dispatcher: dispatchCoreOf(platform, preferences).dispatcher };
}

export const dispatchModule: Module = (platform) => {
  const { mongo, redis, logger, config, clock, http } = platform;
  const { dispatcher, deliveries, seal } = dispatchCoreOf(platform, platform.preferences);
  const scheduler = dispatchScheduler({ deliveries, dispatcher, seal, clock });
  platform.runWorker(
    'dispatch scheduler',
    tickingWorker({
      name: `notifications:dispatch-scheduler:${config.MONGODB_DATABASE}`,
      everyMs: config.SCHEDULER_TICK_MS,
      redis,
      logger,
      clock,
      run: () => scheduler.tick(),
    }),
  );

  const me = resolveMe(platform.registration.participants);
  registerPreferenceRoutes(http, {
    preferences: preferencesUseCases({
      me,
      store: new MongoPreferenceStore(preferencesModel(mongo)),
      cityTimeZone: config.CITY_TIME_ZONE,
      clock,
    }),
    categories: notificationCategories,
  });
  registerInboxRoutes(
    http,
    inboxUseCases({
      me,
      personal: new MongoPersonalInbox(deliveryModel(mongo)),
      broadcasts: platform.broadcastInbox,
      preferences: platform.preferences,
      reads: new MongoReadMarks(inboxReadModel(mongo)),
      clock,
    }),
  );
  registerDeliveryRoutes(
    http,
    deliveryReads({ me, log: new MongoDeliveryLog(deliveryModel(mongo)) }),
  );
};

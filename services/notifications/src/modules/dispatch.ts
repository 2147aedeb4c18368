/**
 * The dispatch slice's pieces on the platform: people's preferences (read in
 * bulk by everyone who notifies) and the dispatcher every personal notice goes
 * through. Built in `extend`, since the other slices' modules use them.
 */
import type { Platform as RuntimePlatform } from '@learning/runtime';
import { createPiiVault, piiKeysFrom } from '@learning/pii';
import { deliveryModel } from '../adapters/mongo/deliveries.js';
import { deliveryReportModel, OutboxDeliveryReports } from '../adapters/mongo/delivery-reports.js';
import { MongoDeliveryStore } from '../adapters/mongo/delivery-store.js';
import { MongoPreferenceReader, preferencesModel } from '../adapters/mongo/preferences.js';
import { vaultSeal } from '../adapters/pii/address-seal.js';
import { createDispatcher, type DispatchCore } from '../application/dispatch/dispatch.js';
import type { ContactDirectory, ExternalChannel } from '../application/dispatch/ports.js';
import type { ChannelGateway, PreferenceReader, TemplateRenderer } from '../application/ports.js';
import type { NotificationsConfig } from '../config.js';

export interface DispatchPlatform {
  readonly preferences: PreferenceReader;
  readonly dispatcher: DispatchCore;
}

export function dispatchPlatformOf(
  platform: RuntimePlatform<NotificationsConfig>,
  channels: {
    readonly contacts: ContactDirectory;
    readonly templates: TemplateRenderer;
    readonly gateways: ReadonlyMap<ExternalChannel, ChannelGateway>;
  },
): DispatchPlatform {
  const { mongo, config, clock } = platform;
  const reportModel = deliveryReportModel(mongo);
  // The one relay of the personal deliveries' reports.
  platform.publishOutboxOf(reportModel);
  const preferences = new MongoPreferenceReader(preferencesModel(mongo), config.CITY_TIME_ZONE);
  const dispatcher = createDispatcher({
    preferences,
    contacts: channels.contacts,
    templates: channels.templates,
    gateways: channels.gateways,
    deliveries: new MongoDeliveryStore(deliveryModel(mongo)),
    reports: new OutboxDeliveryReports(reportModel),
    seal: vaultSeal(createPiiVault(piiKeysFrom(config))),
    clock,
  });
  return { preferences, dispatcher };
}

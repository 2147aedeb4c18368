/**
 * Consent per channel (consumer group `notifications.consents`): registration's
 * ParticipantConsentChanged for SMS, email and WeChat kept per person and
 * channel (`channel_consents`), so a withdrawal stops the channel at once:
 * registration's contacts are read through it (src/app.ts) and what was
 * already waiting on the channel is suppressed.
 */
import { participantEvents } from '@learning/contracts';
import { consumerGroups, subscribe } from '@learning/events';
import { ErasureLog } from '@learning/privacy';
import { consentChangeOf } from '../adapters/kafka/consents.js';
import { channelConsentsModel, MongoChannelConsents } from '../adapters/mongo/channel-consents.js';
import { deliveryModel } from '../adapters/mongo/deliveries.js';
import { MongoWaitingDeliveries } from '../adapters/mongo/waiting-deliveries.js';
import { consentChanged } from '../application/consents/consents.js';
import type { Module } from '../platform.js';

export const consentsModule: Module = (platform) => {
  const { mongo, clock, logger } = platform;
  const changed = consentChanged({
    consents: new MongoChannelConsents(channelConsentsModel(mongo)),
    waiting: new MongoWaitingDeliveries(deliveryModel(mongo)),
    erasures: ErasureLog.of(mongo),
    clock,
  });
  platform.consume(
    consumerGroups.notificationsConsents,
    subscribe(participantEvents.participantConsentChanged, async (event) => {
      const change = consentChangeOf(event);
      if (change === null) return;
      const outcome = await changed(change);
      logger.info(
        { eventId: event.id, channel: change.channel, given: change.given, outcome },
        'consent change handled',
      );
    }),
  );
};

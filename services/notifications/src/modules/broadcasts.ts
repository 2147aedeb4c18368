/**
 * Broadcasts: the office's announcements (REST), the fan-out of published
 * activities and scheduled lecture sessions (consumer group
 * `notifications.fanout`), the fan-out worker every replica runs, and the
 * relays of the broadcasts' audit records and the batches' reports.
 */
import { activityEvents, lectureEvents } from '@learning/contracts';
import { consumerGroups, subscribe } from '@learning/events';
import type { Audience, Contacts } from '@learning/registration-client';
import { registerAnnouncementRoutes } from '../adapters/http/announcements.js';
import { MongoBatchStore } from '../adapters/mongo/batch-store.js';
import { broadcastMetrics } from '../adapters/metrics/broadcasts.js';
import { MongoBroadcastStore } from '../adapters/mongo/broadcast-store.js';
import { batchModel, broadcastModel } from '../adapters/mongo/broadcasts.js';
import { RegistrationPlaceNames } from '../adapters/registration/places.js';
import { audienceSize } from '../application/announcements/audience-size.js';
import { cancelAnnouncement } from '../application/announcements/cancel-announcement.js';
import { createAnnouncement } from '../application/announcements/create-announcement.js';
import { getAnnouncement } from '../application/announcements/get-announcement.js';
import { listAnnouncements } from '../application/announcements/list-announcements.js';
import { broadcastWorker } from '../application/broadcasts/broadcast-worker.js';
import { fanOut } from '../application/broadcasts/fan-out.js';
import {
  fanOutActivityPublished,
  fanOutSessionScheduled,
} from '../application/broadcasts/published-events.js';
import type {
  ChannelGateway,
  Dispatcher,
  PreferenceReader,
  TemplateRenderer,
} from '../application/ports.js';
import type { DecideChannel, ExternalChannel } from '../domain/broadcasts.js';
import { kindSpecOf } from '../domain/notices.js';
import { decideChannel, defaultPreferences, type Preferences } from '../domain/preferences.js';
import type { Module, Platform } from '../platform.js';

/**
 * The seams from the platform: registration's audience and contacts, the
 * templates, the gateways, the person's preferences and the dispatch slice's
 * decision. Consent (registration's) and addresses (found when sending) are
 * checked by the broadcast itself, so the decision sees everyone reachable.
 */
export const broadcastSeamsOf = (platform: Platform): BroadcastSeams => ({
  audience: platform.registration.audience,
  contacts: platform.registration.contacts,
  templates: platform.templates,
  preferences: platform.preferences,
  decide: (preferences, notice, channel, now) =>
    decideChannel(
      preferences,
      { channel, category: kindSpecOf(notice.kind).category, urgent: notice.urgent },
      'reachable',
      now,
    ),
  defaultPreferences: defaultPreferences(platform.config.CITY_TIME_ZONE),
  gateways: platform.gateways,
  dispatcher: platform.dispatcher,
});

/** The other slices' seams a broadcast goes through, and registration's audience and contacts. */
export interface BroadcastSeams {
  readonly audience: Audience;
  readonly contacts: Contacts;
  readonly preferences: PreferenceReader;
  readonly decide: DecideChannel;
  readonly defaultPreferences: Preferences;
  readonly gateways: ReadonlyMap<ExternalChannel, ChannelGateway>;
  readonly templates: TemplateRenderer;
  readonly dispatcher: Dispatcher;
}

export const broadcastsModule =
  (seamsOf: (platform: Platform) => BroadcastSeams): Module =>
  (platform) => {
    const { mongo, http, clock, config, audit, logger } = platform;
    const seams = seamsOf(platform);
    const broadcastDocuments = broadcastModel(mongo);
    const batchDocuments = batchModel(mongo);
    platform.publishOutboxOf(broadcastDocuments);
    platform.publishOutboxOf(batchDocuments);
    const broadcasts = new MongoBroadcastStore(broadcastDocuments);
    broadcastMetrics(platform.registry, () => broadcasts.progress(clock()));

    const worker = broadcastWorker({
      broadcasts,
      fanOut: fanOut({
        ...seams,
        broadcasts,
        batches: new MongoBatchStore(batchDocuments),
        clock,
        batchSize: config.FANOUT_BATCH_SIZE,
        leaseMs: config.FANOUT_LEASE_MS,
      }),
      clock,
      leaseMs: config.FANOUT_LEASE_MS,
      pollMs: config.FANOUT_POLL_MS,
      logger,
    });
    platform.runWorker('broadcasts', worker);
    const queued = () => {
      worker.wake();
    };

    const { jurisdictions } = platform.registration;
    registerAnnouncementRoutes(http, {
      audienceSize: audienceSize({ jurisdictions, audience: seams.audience }),
      createAnnouncement: createAnnouncement({
        jurisdictions,
        audience: seams.audience,
        broadcasts,
        audit,
        clock,
        queued,
      }),
      listAnnouncements: listAnnouncements(broadcasts),
      getAnnouncement: getAnnouncement(broadcasts),
      cancelAnnouncement: cancelAnnouncement({ broadcasts, audit, clock }),
    });

    const published = {
      broadcasts,
      places: new RegistrationPlaceNames(jurisdictions),
      clock,
      queued,
    };
    platform.consume(
      consumerGroups.notificationsFanout,
      subscribe(activityEvents.ActivityPublished, fanOutActivityPublished(published)),
      subscribe(lectureEvents.SessionScheduled, fanOutSessionScheduled(published)),
    );
  };

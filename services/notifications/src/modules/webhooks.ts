/**
 * Webhooks: departments' and city systems' subscriptions to the platform's
 * events, queued per subscription by the `notifications.webhooks` consumer
 * group and sent, signed, by a worker on every replica.
 */
import { consumerGroups, subscribeRuns } from '@learning/events';
import type { Logger } from '@learning/logger';
import { createPiiVault, piiKeysFrom } from '@learning/pii';
import type { Worker } from '@learning/runtime';
import { registerWebhookRoutes } from '../adapters/http/webhooks.js';
import {
  MongoDeliveryStore,
  webhookDeadLetterModel,
  webhookDeliveryModel,
} from '../adapters/mongo/webhook-deliveries.js';
import {
  MongoSubscriptionStore,
  webhookSubscriptionModel,
} from '../adapters/mongo/webhook-subscriptions.js';
import { DispatchedOwnerAlerts } from '../adapters/webhooks/owner-alerts.js';
import { dnsResolver, HttpWebhookTransport } from '../adapters/webhooks/transport.js';
import { WEBHOOK_CATALOGUE } from '../application/webhooks/catalogue.js';
import { deliverDue, type DeliverySettings } from '../application/webhooks/deliver.js';
import { queueDeliveries } from '../application/webhooks/queue-deliveries.js';
import { deliveryUseCases } from '../application/webhooks/read-deliveries.js';
import { subscriptionUseCases } from '../application/webhooks/subscriptions.js';
import type { TargetPolicy } from '../domain/webhooks.js';
import type { Module } from '../platform.js';

/** Deliveries one replica sends at once. */
const CONCURRENCY = 32;
/** How long the worker rests when nothing was due. */
const IDLE_MS = 250;
/** A claim outlives the call's timeout by this much, so a slow call is not sent twice. */
const LEASE_MARGIN_MS = 30_000;

export const webhooksModule: Module = (platform) => {
  const { mongo, config, clock, http, logger } = platform;
  const policy = config.WEBHOOK_TARGET_POLICY as TargetPolicy;
  const subscriptionModel = webhookSubscriptionModel(mongo);
  const deadLetterModel = webhookDeadLetterModel(mongo);
  platform.publishOutboxOf(subscriptionModel);
  platform.publishOutboxOf(deadLetterModel);
  const subscriptions = new MongoSubscriptionStore(subscriptionModel);
  const deliveries = new MongoDeliveryStore(webhookDeliveryModel(mongo), deadLetterModel);
  const vault = createPiiVault(piiKeysFrom(config));
  const secrets = {
    seal: (secret: string) => vault.encrypt(secret),
    open: (sealed: string) => vault.decrypt(sealed),
  };
  const transport = new HttpWebhookTransport();
  platform.onClose('webhook transport', async () => {
    transport.close();
  });

  registerWebhookRoutes(http, {
    subscriptions: subscriptionUseCases({
      subscriptions,
      deliveries,
      jurisdictions: platform.registration.jurisdictions,
      resolver: dnsResolver,
      secrets,
      policy,
      eventSource: '/learning/notifications',
      clock,
    }),
    deliveries: deliveryUseCases({ subscriptions, deliveries, clock }),
    store: subscriptions,
  });

  const queue = queueDeliveries({
    subscriptions,
    deliveries,
    maxPayloadBytes: config.WEBHOOK_MAX_PAYLOAD_BYTES,
    clock,
  });
  platform.consume(
    consumerGroups.notificationsWebhooks,
    ...WEBHOOK_CATALOGUE.map((entry) =>
      subscribeRuns(entry.definition, (events) =>
        queue(
          events.map((event) => ({
            id: event.id,
            source: event.source,
            type: event.type,
            subject: event.subject,
            time: event.time,
            data: event.data,
            json: entry.definition.codec.toJSON(event.data),
          })),
        ),
      ),
    ),
  );

  const settings: DeliverySettings = {
    policy,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    firstRetryMs: config.WEBHOOK_FIRST_RETRY_MS,
    retryWindowMs: config.WEBHOOK_RETRY_WINDOW_MS,
    pauseAfter: config.WEBHOOK_PAUSE_AFTER,
    concurrency: CONCURRENCY,
    leaseMs: config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS,
  };
  const step = deliverDue({
    subscriptions,
    deliveries,
    resolver: dnsResolver,
    transport,
    secrets,
    alerts: new DispatchedOwnerAlerts(platform.dispatcher, platform.registration.officers),
    clock,
    random: Math.random,
    settings,
  });
  platform.runWorker('webhook deliveries', loopingWorker(step, logger));
};

/** Runs `step` again at once while it finds work, and rests `IDLE_MS` when it found none. */
function loopingWorker(step: () => Promise<number>, logger: Logger): Worker {
  const stopping = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const rest = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, IDLE_MS);
      stopping.signal.addEventListener('abort', done, { once: true });
    });
  async function loop(): Promise<void> {
    const stopped = () => stopping.signal.aborted;
    while (!stopped()) {
      try {
        if ((await step()) === 0) await rest();
      } catch (error) {
        if (!stopped()) logger.error({ err: error }, 'webhook delivery step failed');
        await rest();
      }
    }
  }
  return {
    start() {
      running = loop();
    },
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

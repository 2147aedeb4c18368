/**
 * The delivery worker's step: claims due deliveries, checks each target again
 * (its host may resolve elsewhere now), signs with every valid secret
 * (Standard Webhooks), posts, and records the outcome: delivered, retried
 * with backoff and full jitter, or dead-lettered once its window is over;
 * repeated final failures pause the subscription and tell its owner.
 */
import { Webhook } from 'standardwebhooks';
import { nextAttemptAt, type TargetPolicy } from '../../domain/webhooks.js';
import type {
  AttemptRecord,
  DeliveryStore,
  HostResolver,
  OwnerAlerts,
  SecretBox,
  StoredDelivery,
  StoredSubscription,
  SubscriptionStore,
  WebhookTransport,
} from './ports.js';
import { checkTarget } from './targets.js';

export interface DeliverySettings {
  readonly policy: TargetPolicy;
  readonly timeoutMs: number;
  readonly firstRetryMs: number;
  readonly retryWindowMs: number;
  readonly pauseAfter: number;
  /** Deliveries claimed and sent at once by one replica. */
  readonly concurrency: number;
  /** How long a claim lasts: past it, another replica may send the delivery again. */
  readonly leaseMs: number;
}

export interface DeliveryDeps {
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly resolver: HostResolver;
  readonly transport: WebhookTransport;
  readonly secrets: SecretBox;
  readonly alerts: OwnerAlerts;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly settings: DeliverySettings;
}

/** The `webhook-signature` value: one `v1,<base64>` per secret still valid, space-separated. */
export function signatureOf(
  secrets: readonly string[],
  messageId: string,
  at: Date,
  body: string,
): string {
  return secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' ');
}

const MAX_ERROR_LENGTH = 200;

/** Sends what is due; resolves to how many deliveries were attempted. */
export function deliverDue(deps: DeliveryDeps): () => Promise<number> {
  const { settings, clock } = deps;

  async function attempt(
    delivery: StoredDelivery,
    subscription: StoredSubscription,
  ): Promise<AttemptRecord> {
    const target = await checkTarget(subscription.url, settings.policy, deps.resolver);
    if (!target.ok)
      return failure(delivery, subscription, null, `${target.code}: ${target.reason}`, null);
    const now = clock();
    const secrets = subscription.secrets
      .filter((secret) => secret.expiresAt === null || secret.expiresAt > now)
      .map((secret) => deps.secrets.open(secret.sealed));
    const response = await deps.transport.post({
      url: subscription.url,
      address: target.address,
      headers: {
        'content-type': 'application/cloudevents+json',
        'webhook-id': delivery.eventId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signatureOf(secrets, delivery.eventId, now, delivery.body),
      },
      body: delivery.body,
      timeoutMs: settings.timeoutMs,
    });
    if ('status' in response && response.status >= 200 && response.status < 300) {
      return { outcome: 'delivered', status: response.status, latencyMs: response.latencyMs };
    }
    return 'status' in response
      ? failure(
          delivery,
          subscription,
          response.status,
          `HTTP ${response.status}`,
          response.latencyMs,
        )
      : failure(
          delivery,
          subscription,
          null,
          response.error.slice(0, MAX_ERROR_LENGTH),
          response.latencyMs,
        );
  }

  function failure(
    delivery: StoredDelivery,
    subscription: StoredSubscription,
    status: number | null,
    error: string,
    latencyMs: number | null,
  ): AttemptRecord {
    const now = clock();
    const next = nextAttemptAt(
      { retry: delivery.attempts + 1, firstAttemptAt: delivery.firstAttemptAt ?? now, now },
      { firstMs: settings.firstRetryMs, windowMs: settings.retryWindowMs },
      deps.random(),
    );
    return next === null
      ? { outcome: 'failed', status, error, latencyMs, owner: subscription.owner }
      : { outcome: 'retry', status, error, latencyMs, nextAttemptAt: next };
  }

  async function afterFinalFailure(subscription: StoredSubscription, error: string): Promise<void> {
    const at = clock();
    const paused = await deps.subscriptions.countFinalFailure(
      { subscriptionId: subscription.id, lastError: error, at },
      settings.pauseAfter,
    );
    if (!paused) return;
    await deps.deliveries.hold(subscription.id, true, at);
    await deps.alerts.subscriptionPaused(subscription, {
      failures: settings.pauseAfter,
      lastError: error,
      at,
    });
  }

  return async () => {
    const claimed = await deps.deliveries.claimDue(clock(), settings.concurrency, settings.leaseMs);
    const bySubscription = new Map<string, Promise<StoredSubscription | undefined>>();
    await Promise.all(
      claimed.map(async (delivery) => {
        let found = bySubscription.get(delivery.subscriptionId);
        if (found === undefined) {
          found = deps.subscriptions.get(delivery.subscriptionId);
          bySubscription.set(delivery.subscriptionId, found);
        }
        const subscription = await found;
        if (subscription === undefined) return;
        const record = await attempt(delivery, subscription);
        await deps.deliveries.record(delivery, record, clock());
        if (record.outcome === 'delivered' && subscription.consecutiveFailures > 0) {
          await deps.subscriptions.clearFailures(subscription.id);
        }
        if (record.outcome === 'failed') await afterFinalFailure(subscription, record.error);
      }),
    );
    return claimed.length;
  };
}

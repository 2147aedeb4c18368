/**
 * The subscription's life: created with a secret shown once, changed at a
 * revision, disabled, its secret rotated with an overlap, resumed after a
 * pause, and pinged.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '@learning/auth';
import type { Jurisdictions } from '@learning/registration-client';
import type { TargetPolicy, WebhookFilters } from '../../domain/webhooks.js';
import { ownerFor, scopedFilters, visible } from './access.js';
import { catalogueEntryOf } from './catalogue.js';
import {
  SUBSCRIPTION_EVENT_TYPE_UNKNOWN,
  SUBSCRIPTION_NOT_PAUSED,
  subscriptionDisabled,
  webhooksErrors,
} from './errors.js';
import type {
  DeliveryStore,
  HostResolver,
  SecretBox,
  StoredDelivery,
  StoredSecret,
  StoredSubscription,
  SubscriptionStore,
} from './ports.js';
import { requireTarget } from './targets.js';

export const PING_EVENT_TYPE = 'notifications.webhook.ping.v1';

export interface SubscriptionDeps {
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly jurisdictions: Pick<Jurisdictions, 'find'>;
  readonly resolver: HostResolver;
  readonly secrets: SecretBox;
  readonly policy: TargetPolicy;
  readonly eventSource: string;
  readonly clock: () => Date;
}

export interface SubscriptionInput {
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly filters: WebhookFilters;
}

/** A subscription with the secret just made: the only time it is shown. */
export interface WithSecret {
  readonly subscription: StoredSubscription;
  readonly secret: string;
}

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

function requireKnownTypes(types: readonly string[]): void {
  const unknown = types.filter((type) => catalogueEntryOf(type) === undefined);
  if (unknown.length > 0) {
    throw webhooksErrors.error(
      SUBSCRIPTION_EVENT_TYPE_UNKNOWN,
      `Unknown event types: ${unknown.join(', ')}; GET /v1/webhook-event-types lists them.`,
    );
  }
}

const usable = (subscription: StoredSubscription): StoredSubscription => {
  if (subscription.status === 'disabled') throw subscriptionDisabled();
  return subscription;
};

export function subscriptionUseCases(deps: SubscriptionDeps) {
  const { subscriptions, deliveries, clock } = deps;
  const read = async (principal: Principal, id: string) =>
    visible(principal, await subscriptions.get(id));

  return {
    async create(
      principal: Principal,
      input: SubscriptionInput & { readonly ownerDepartment?: string },
    ): Promise<WithSecret> {
      const owner = ownerFor(principal, input.ownerDepartment);
      requireKnownTypes(input.eventTypes);
      const filters = await scopedFilters(principal, input.filters, deps.jurisdictions);
      await requireTarget(input.url, deps.policy, deps.resolver);
      const now = clock();
      const secret = newSecret();
      const subscription: StoredSubscription = {
        id: randomUUID(),
        owner,
        createdBy: principal.subject,
        url: input.url,
        eventTypes: [...new Set(input.eventTypes)],
        filters,
        status: 'active',
        secrets: [{ sealed: deps.secrets.seal(secret), createdAt: now, expiresAt: null }],
        consecutiveFailures: 0,
        revision: 1,
        createdAt: now,
        updatedAt: now,
      };
      await subscriptions.insert(subscription);
      return { subscription, secret };
    },

    get: read,

    async update(
      principal: Principal,
      id: string,
      change: Partial<SubscriptionInput> & { readonly revision?: number },
    ): Promise<StoredSubscription> {
      const current = usable(await read(principal, id));
      if (change.eventTypes !== undefined) requireKnownTypes(change.eventTypes);
      const filters =
        change.filters === undefined
          ? undefined
          : await scopedFilters(principal, change.filters, deps.jurisdictions);
      if (change.url !== undefined) await requireTarget(change.url, deps.policy, deps.resolver);
      return subscriptions.update(
        id,
        change.revision ?? current.revision,
        {
          ...(change.url === undefined ? {} : { url: change.url }),
          ...(change.eventTypes === undefined
            ? {}
            : { eventTypes: [...new Set(change.eventTypes)] }),
          ...(filters === undefined ? {} : { filters }),
        },
        clock(),
      );
    },

    /** Disables it: nothing more is queued or sent; its delivery log stays readable. */
    async disable(principal: Principal, id: string): Promise<StoredSubscription> {
      const current = await read(principal, id);
      if (current.status === 'disabled') return current;
      const at = clock();
      const disabled = await subscriptions.update(id, current.revision, { status: 'disabled' }, at);
      await deliveries.hold(id, true, at);
      return disabled;
    },

    /**
     * A new secret, shown once; the current one stays valid `overlapMs`
     * (both sign meanwhile), older ones are dropped.
     */
    async rotateSecret(principal: Principal, id: string, overlapMs: number): Promise<WithSecret> {
      const current = usable(await read(principal, id));
      const now = clock();
      const retiring: StoredSecret[] = current.secrets
        .filter((secret) => secret.expiresAt === null || secret.expiresAt > now)
        .map((secret) => ({
          ...secret,
          expiresAt: new Date(
            Math.min(secret.expiresAt?.getTime() ?? Infinity, now.getTime() + overlapMs),
          ),
        }))
        .filter((secret) => secret.expiresAt > now);
      const secret = newSecret();
      const subscription = await subscriptions.update(
        id,
        current.revision,
        {
          secrets: [
            ...retiring,
            { sealed: deps.secrets.seal(secret), createdAt: now, expiresAt: null },
          ],
        },
        now,
      );
      return { subscription, secret };
    },

    async resume(principal: Principal, id: string): Promise<StoredSubscription> {
      const current = await read(principal, id);
      if (current.status !== 'paused') {
        throw webhooksErrors.error(
          SUBSCRIPTION_NOT_PAUSED,
          `The subscription is ${current.status}, not paused.`,
        );
      }
      const at = clock();
      const resumed = await subscriptions.update(
        id,
        current.revision,
        { status: 'active', consecutiveFailures: 0 },
        at,
      );
      await deliveries.hold(id, false, at);
      return resumed;
    },

    /** Queues a ping event to the subscription; the delivery log shows how it went. */
    async test(principal: Principal, id: string): Promise<StoredDelivery> {
      const subscription = usable(await read(principal, id));
      const now = clock();
      const eventId = randomUUID();
      const delivery: StoredDelivery = {
        id: `${subscription.id}:${eventId}`,
        subscriptionId: subscription.id,
        eventId,
        eventType: PING_EVENT_TYPE,
        eventKey: `ping:${eventId}`,
        body: cloudEventBody({
          id: eventId,
          source: deps.eventSource,
          type: PING_EVENT_TYPE,
          subject: subscription.id,
          time: now.toISOString(),
          data: { subscriptionId: subscription.id },
        }),
        status: subscription.status === 'active' ? 'pending' : 'held',
        attempts: 0,
        queuedAt: now,
        nextAttemptAt: now,
        firstAttemptAt: null,
        lastAttemptAt: null,
        lastStatus: null,
        lastError: null,
        latencyMs: null,
      };
      await deliveries.queue([delivery]);
      return delivery;
    },
  };
}

export type SubscriptionUseCases = ReturnType<typeof subscriptionUseCases>;

/** A CloudEvent in structured JSON mode, as webhooks receive it. */
export const cloudEventBody = (event: {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly data: unknown;
}): string =>
  JSON.stringify({
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    subject: event.subject,
    time: event.time,
    datacontenttype: 'application/json',
    data: event.data,
  });

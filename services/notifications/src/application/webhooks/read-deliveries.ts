/** The delivery log of a subscription, and sending a finished delivery again by hand. */
import type { Principal } from '@learning/auth';
import { visible } from './access.js';
import { deliveryNotFound, WEBHOOK_DELIVERY_PENDING, webhooksErrors } from './errors.js';
import type {
  DeliveryPage,
  DeliveryStore,
  StoredDelivery,
  SubscriptionStore,
  WebhookDeliveryStatus,
} from './ports.js';

export function deliveryUseCases(deps: {
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly clock: () => Date;
}) {
  return {
    async list(
      principal: Principal,
      subscriptionId: string,
      query: {
        readonly status?: WebhookDeliveryStatus;
        readonly pageSize: number;
        readonly pageToken?: string;
      },
    ): Promise<DeliveryPage> {
      visible(principal, await deps.subscriptions.get(subscriptionId));
      return deps.deliveries.list({ subscriptionId, ...query });
    },

    /** Queues a delivered or failed (dead-lettered) delivery again, with a fresh retry window. */
    async redeliver(
      principal: Principal,
      subscriptionId: string,
      deliveryId: string,
    ): Promise<StoredDelivery> {
      visible(principal, await deps.subscriptions.get(subscriptionId));
      const delivery = await deps.deliveries.get(subscriptionId, deliveryId);
      if (delivery === undefined) throw deliveryNotFound();
      if (!(await deps.deliveries.requeue(delivery.id, deps.clock()))) {
        throw webhooksErrors.error(
          WEBHOOK_DELIVERY_PENDING,
          'The delivery is still pending or held; it will be sent anyway.',
        );
      }
      return (await deps.deliveries.get(subscriptionId, deliveryId)) ?? delivery;
    },
  };
}

export type DeliveryUseCases = ReturnType<typeof deliveryUseCases>;

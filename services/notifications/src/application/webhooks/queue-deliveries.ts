/**
 * Turns events into deliveries: one per matching subscription and event,
 * keyed `<subscription>:<event id>`, so a redelivered event is queued once.
 * An event too large to send is recorded as failed, never called.
 */
import { matchesFilters } from '../../domain/webhooks.js';
import { catalogueEntryOf } from './catalogue.js';
import type {
  DeliveryStore,
  StoredDelivery,
  StoredSubscription,
  SubscriptionStore,
} from './ports.js';
import { cloudEventBody } from './subscriptions.js';

export const PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE';

/** An event as consumed, with its payload decoded and in its JSON form. */
export interface IncomingEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly data: unknown;
  readonly json: unknown;
}

export type QueueDeliveries = (events: readonly IncomingEvent[]) => Promise<void>;

export function queueDeliveries(deps: {
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly maxPayloadBytes: number;
  readonly clock: () => Date;
}): QueueDeliveries {
  return async (events) => {
    const receivers = new Map<string, Promise<StoredSubscription[]>>();
    const receiving = (type: string) => {
      let found = receivers.get(type);
      if (found === undefined) {
        found = deps.subscriptions.receiving(type);
        receivers.set(type, found);
      }
      return found;
    };
    const queued: StoredDelivery[] = [];
    const now = deps.clock();
    for (const event of events) {
      const entry = catalogueEntryOf(event.type);
      if (entry === undefined) continue;
      const routing = entry.routing(event.data);
      const matching = (await receiving(event.type)).filter((subscription) =>
        matchesFilters(subscription.filters, routing),
      );
      if (matching.length === 0) continue;
      const body = cloudEventBody({ ...event, data: event.json });
      const tooLarge = Buffer.byteLength(body) > deps.maxPayloadBytes;
      for (const subscription of matching) {
        queued.push({
          id: `${subscription.id}:${event.id}`,
          subscriptionId: subscription.id,
          eventId: event.id,
          eventType: event.type,
          eventKey: event.subject,
          body: tooLarge ? '' : body,
          status: tooLarge ? 'failed' : subscription.status === 'active' ? 'pending' : 'held',
          attempts: 0,
          queuedAt: now,
          nextAttemptAt: now,
          firstAttemptAt: null,
          lastAttemptAt: null,
          lastStatus: null,
          lastError: tooLarge ? PAYLOAD_TOO_LARGE : null,
          latencyMs: null,
        });
      }
    }
    if (queued.length > 0) await deps.deliveries.queue(queued);
  };
}

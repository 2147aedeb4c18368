/** What the webhooks slice needs from the outside: its stores, DNS, the HTTP call and the owner's alert. */
import type { SubscriptionStatus, WebhookFilters } from '../../domain/webhooks.js';

/** A signing secret as stored: sealed by the PII vault, valid until `expiresAt` (null: current). */
export interface StoredSecret {
  readonly sealed: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
}

export interface StoredSubscription {
  readonly id: string;
  /** `department:<code>`, `officer:<subject>`, `service:<name>` or `city`. */
  readonly owner: string;
  readonly createdBy: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly filters: WebhookFilters;
  readonly status: SubscriptionStatus;
  readonly secrets: readonly StoredSecret[];
  readonly consecutiveFailures: number;
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface SubscriptionPage {
  readonly items: readonly StoredSubscription[];
  readonly nextPageToken: string | null;
}

/** What a paused subscription publishes and who is told, written with the pause. */
export interface PauseRecord {
  readonly subscriptionId: string;
  readonly lastError: string;
  readonly at: Date;
}

export interface SubscriptionStore {
  insert(subscription: StoredSubscription): Promise<void>;
  get(id: string): Promise<StoredSubscription | undefined>;
  list(query: {
    readonly owner?: string;
    readonly pageSize: number;
    readonly pageToken?: string;
  }): Promise<SubscriptionPage>;
  /** The subscriptions that may receive `eventType` (active or paused). */
  receiving(eventType: string): Promise<StoredSubscription[]>;
  /** Writes `change` at `revision` (VERSION_CONFLICT otherwise); the stored subscription after it. */
  update(
    id: string,
    revision: number,
    change: Partial<
      Pick<StoredSubscription, 'url' | 'eventTypes' | 'filters' | 'status' | 'secrets'>
    > & { readonly consecutiveFailures?: number },
    at: Date,
  ): Promise<StoredSubscription>;
  /** Counts a final failure; pauses it (publishing SubscriptionPaused) at `pauseAfter`. True when this paused it. */
  countFinalFailure(pause: PauseRecord, pauseAfter: number): Promise<boolean>;
  /** A delivery succeeded: the run of final failures is over. */
  clearFailures(id: string): Promise<void>;
}

export const DELIVERY_STATUSES = ['pending', 'held', 'delivered', 'failed'] as const;
/** pending: due or waiting to retry; held: its subscription is paused or disabled; failed: dead-lettered or refused. */
export type WebhookDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface StoredDelivery {
  /** `<subscription id>:<event id>`. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The event's key (CloudEvents subject): deliveries of one key go out in order. */
  readonly eventKey: string;
  /** The CloudEvent, structured JSON, as sent. */
  readonly body: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly queuedAt: Date;
  readonly nextAttemptAt: Date;
  readonly firstAttemptAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly latencyMs: number | null;
}

export interface DeliveryPage {
  readonly items: readonly StoredDelivery[];
  readonly nextPageToken: string | null;
}

/** One attempt's outcome, as recorded. */
export type AttemptRecord =
  | { readonly outcome: 'delivered'; readonly status: number; readonly latencyMs: number }
  | {
      readonly outcome: 'retry';
      readonly status: number | null;
      readonly error: string;
      readonly latencyMs: number | null;
      readonly nextAttemptAt: Date;
    }
  | {
      readonly outcome: 'failed';
      readonly status: number | null;
      readonly error: string;
      readonly latencyMs: number | null;
      /** The owner, for the WebhookDeliveryFailed event of the dead letter. */
      readonly owner: string;
    };

export interface DeliveryStore {
  /** Queues each delivery unless one with its id exists: a redelivered event is queued once. */
  queue(deliveries: readonly StoredDelivery[]): Promise<void>;
  /**
   * Leases up to `limit` due pending deliveries of active subscriptions that
   * need not wait for an earlier one of the same subscription and key.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<StoredDelivery[]>;
  /** Records an attempt of a claimed delivery (and, when failed, its dead letter). */
  record(delivery: StoredDelivery, attempt: AttemptRecord, at: Date): Promise<void>;
  get(subscriptionId: string, deliveryId: string): Promise<StoredDelivery | undefined>;
  list(query: {
    readonly subscriptionId: string;
    readonly status?: WebhookDeliveryStatus;
    readonly pageSize: number;
    readonly pageToken?: string;
  }): Promise<DeliveryPage>;
  /** Queues a finished delivery again, with a fresh retry window; false when it is not finished. */
  requeue(deliveryId: string, at: Date): Promise<boolean>;
  /** Holds a paused or disabled subscription's pending deliveries, or releases them when it is active again. */
  hold(subscriptionId: string, held: boolean, at: Date): Promise<void>;
}

/** Resolves a host name to every address it has (A and AAAA). */
export interface HostResolver {
  resolve(host: string): Promise<string[]>;
}

export interface WebhookRequest {
  readonly url: string;
  /** The address checked before the call: the connection goes there, not wherever DNS says now. */
  readonly address: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

export type WebhookResponse =
  | { readonly status: number; readonly latencyMs: number }
  | { readonly error: string; readonly latencyMs: number };

export interface WebhookTransport {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}

/** Seals and opens signing secrets (the PII vault). */
export interface SecretBox {
  seal(secret: string): string;
  open(sealed: string): string;
}

/** Tells a subscription's owner it was paused (the dispatcher, to the owning officers). */
export interface OwnerAlerts {
  subscriptionPaused(
    subscription: StoredSubscription,
    pause: { readonly failures: number; readonly lastError: string; readonly at: Date },
  ): Promise<void>;
}

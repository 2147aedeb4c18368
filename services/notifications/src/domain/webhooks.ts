/**
 * Webhook rules: which events a subscription receives, which targets may be
 * called, when a failed delivery is tried again, and which delivery must wait
 * for an earlier one. No I/O: addresses come resolved, randomness is passed in.
 */
import ipaddr from 'ipaddr.js';

export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'disabled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Narrows what a subscription receives; an empty list does not narrow. */
export interface WebhookFilters {
  readonly organizationKinds: readonly string[];
  readonly leadDepartments: readonly string[];
  /** Roots of jurisdiction subtrees: an event anywhere below one of them matches. */
  readonly jurisdictionCodes: readonly string[];
}

/** What an event says about where it belongs, read from its payload (one function per event type). */
export interface EventRouting {
  readonly organizationKind?: string;
  readonly leadDepartment?: string;
  /** City root down to the event's node; empty when the event has no place. */
  readonly jurisdictionPath: readonly string[];
}

/**
 * Whether an event passes the filters. An event that does not say what a
 * filter asks about does not pass it: a department's subscription never
 * receives events it cannot tell are the department's.
 */
export function matchesFilters(filters: WebhookFilters, routing: EventRouting): boolean {
  const kindOk =
    filters.organizationKinds.length === 0 ||
    (routing.organizationKind !== undefined &&
      filters.organizationKinds.includes(routing.organizationKind));
  const departmentOk =
    filters.leadDepartments.length === 0 ||
    (routing.leadDepartment !== undefined &&
      filters.leadDepartments.includes(routing.leadDepartment));
  const placeOk =
    filters.jurisdictionCodes.length === 0 ||
    routing.jurisdictionPath.some((code) => filters.jurisdictionCodes.includes(code));
  return kindOk && departmentOk && placeOk;
}

/**
 * The delay before retry number `retry` (1 = the first retry): full jitter,
 * a uniform draw in [0, first · 2^(retry-1)), the ceiling capped at `maxMs`.
 * `random` is in [0, 1).
 */
export function retryDelayMs(
  retry: number,
  options: { readonly firstMs: number; readonly maxMs: number },
  random: number,
): number {
  const ceiling = Math.min(options.maxMs, options.firstMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random * ceiling);
}

/**
 * When a failed delivery is tried next, or null when its window (from its
 * first attempt) is over and it goes to the dead letters.
 */
export function nextAttemptAt(
  failure: { readonly retry: number; readonly firstAttemptAt: Date; readonly now: Date },
  options: { readonly firstMs: number; readonly windowMs: number },
  random: number,
): Date | null {
  const windowEnd = failure.firstAttemptAt.getTime() + options.windowMs;
  if (failure.now.getTime() >= windowEnd) return null;
  const delay = retryDelayMs(
    failure.retry,
    { firstMs: options.firstMs, maxMs: options.windowMs },
    random,
  );
  return new Date(Math.min(windowEnd, failure.now.getTime() + delay));
}

/** A queued delivery as the ordering rule sees it. */
export interface QueuedDelivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventKey: string;
  /** When it was queued: the order events of one key arrived in. */
  readonly queuedAt: Date;
  readonly finished: boolean;
}

const queuedBefore = (a: QueuedDelivery, b: QueuedDelivery): boolean =>
  a.queuedAt.getTime() < b.queuedAt.getTime() ||
  (a.queuedAt.getTime() === b.queuedAt.getTime() && a.id < b.id);

/**
 * Whether `delivery` must wait: an earlier delivery of the same subscription
 * and event key is not finished (delivered or dead-lettered).
 */
export const mustWait = (delivery: QueuedDelivery, others: readonly QueuedDelivery[]): boolean =>
  others.some(
    (other) =>
      other.id !== delivery.id &&
      !other.finished &&
      other.subscriptionId === delivery.subscriptionId &&
      other.eventKey === delivery.eventKey &&
      queuedBefore(other, delivery),
  );

/** Where webhooks may be sent: `production` only to public https targets. */
export type TargetPolicy = 'production' | 'allow-private';

/**
 * The ipaddr.js range of `address` when a production webhook may not reach
 * it (loopback, link-local, private, unique-local, CGNAT, multicast,
 * unspecified, reserved, translation and documentation ranges: every named
 * range), or undefined for a public unicast address. An IPv4-mapped IPv6
 * address is judged as the IPv4 address it maps.
 */
export function forbiddenRangeOf(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) {
    parsed = parsed.toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : range;
}

/** Why a URL may not be a webhook target before anything is resolved, or undefined. */
export function urlProblem(url: URL, policy: TargetPolicy): string | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http and https URLs';
  if (policy === 'production' && url.protocol !== 'https:') return 'only https URLs';
  if (url.username !== '' || url.password !== '') return 'credentials in the URL';
  if (url.hash !== '') return 'a fragment in the URL';
  return undefined;
}

/** Why resolved addresses may not be called under `policy` (every one must pass), or undefined. */
export function addressProblem(
  addresses: readonly string[],
  policy: TargetPolicy,
): string | undefined {
  if (addresses.length === 0) return 'the host does not resolve';
  if (policy === 'allow-private') return undefined;
  for (const address of addresses) {
    const range = forbiddenRangeOf(address);
    if (range !== undefined) return `the host resolves to a ${range} address`;
  }
  return undefined;
}

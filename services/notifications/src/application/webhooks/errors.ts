/** The webhooks slice's codes (`webhooksErrors`; the README's webhooks error table is its table). */
import { defineErrorCodes, type AppError } from '@learning/errors';

export const SUBSCRIPTION_URL_INVALID = 'SUBSCRIPTION_URL_INVALID';
export const SUBSCRIPTION_TARGET_FORBIDDEN = 'SUBSCRIPTION_TARGET_FORBIDDEN';
export const SUBSCRIPTION_EVENT_TYPE_UNKNOWN = 'SUBSCRIPTION_EVENT_TYPE_UNKNOWN';
export const SUBSCRIPTION_FILTER_OUT_OF_SCOPE = 'SUBSCRIPTION_FILTER_OUT_OF_SCOPE';
export const SUBSCRIPTION_NOT_FOUND = 'SUBSCRIPTION_NOT_FOUND';
export const SUBSCRIPTION_NOT_PAUSED = 'SUBSCRIPTION_NOT_PAUSED';
export const SUBSCRIPTION_DISABLED = 'SUBSCRIPTION_DISABLED';
export const WEBHOOK_DELIVERY_NOT_FOUND = 'WEBHOOK_DELIVERY_NOT_FOUND';
export const WEBHOOK_DELIVERY_PENDING = 'WEBHOOK_DELIVERY_PENDING';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, VALIDATION_FAILED, ROLE_REQUIRED, VERSION_CONFLICT, … */
export const webhooksErrors = defineErrorCodes({
  [SUBSCRIPTION_URL_INVALID]: {
    kind: 'invalid_argument',
    when: 'a URL that is not absolute http(s) (https only in production), or carries credentials or a fragment',
  },
  [SUBSCRIPTION_TARGET_FORBIDDEN]: {
    kind: 'invalid_argument',
    when: 'in production, a host that does not resolve, or resolves to a loopback, link-local, private, unique-local, CGNAT, multicast, unspecified or reserved address',
  },
  [SUBSCRIPTION_EVENT_TYPE_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an event type not in GET /v1/webhook-event-types',
  },
  [SUBSCRIPTION_FILTER_OUT_OF_SCOPE]: {
    kind: 'permission_denied',
    when: 'a filter beyond your scope: another department (department officers), a place outside your jurisdictions (area officers), or another owner than your department',
  },
  [SUBSCRIPTION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such subscription, or one you do not own (the two are not told apart)',
  },
  [SUBSCRIPTION_NOT_PAUSED]: {
    kind: 'failed_precondition',
    when: 'resuming a subscription that is not paused',
  },
  [SUBSCRIPTION_DISABLED]: {
    kind: 'failed_precondition',
    when: 'changing, testing or rotating the secret of a disabled (deleted) subscription',
  },
  [WEBHOOK_DELIVERY_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such delivery of this subscription',
  },
  [WEBHOOK_DELIVERY_PENDING]: {
    kind: 'failed_precondition',
    when: 'redelivering a delivery still pending or held: it will be sent anyway',
  },
});

export const subscriptionNotFound = (): AppError =>
  webhooksErrors.error(SUBSCRIPTION_NOT_FOUND, 'The webhook subscription was not found.');

export const subscriptionDisabled = (): AppError =>
  webhooksErrors.error(
    SUBSCRIPTION_DISABLED,
    'The webhook subscription was deleted; create a new one.',
  );

export const filterOutOfScope = (what: string): AppError =>
  webhooksErrors.error(
    SUBSCRIPTION_FILTER_OUT_OF_SCOPE,
    `The subscription's filters go beyond your scope: ${what}.`,
  );

export const deliveryNotFound = (): AppError =>
  webhooksErrors.error(WEBHOOK_DELIVERY_NOT_FOUND, 'The webhook delivery was not found.');

/**
 * What the notifications service publishes: per batch, the notices a channel
 * took or finally refused (never one event per person: a city-wide
 * announcement is a million notices), and the webhook deliveries that failed
 * for good or paused their subscription.
 */
import { defineEvent, topics } from '@learning/events';
import { notifications } from '@learning/proto';

export const NoticesDelivered = defineEvent(
  'notifications.notices.delivered.v1',
  topics.notificationsDeliveries,
  notifications.NoticesDelivered,
);

export const NoticesFailed = defineEvent(
  'notifications.notices.failed.v1',
  topics.notificationsDeliveries,
  notifications.NoticesFailed,
);

export const WebhookDeliveryFailed = defineEvent(
  'notifications.webhooks.delivery-failed.v1',
  topics.notificationsWebhooks,
  notifications.WebhookDeliveryFailed,
);

export const SubscriptionPaused = defineEvent(
  'notifications.subscriptions.paused.v1',
  topics.notificationsWebhooks,
  notifications.SubscriptionPaused,
);

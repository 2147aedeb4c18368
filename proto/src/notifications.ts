/** learning.notifications.v1: what the notifications service reports of its deliveries. */
export * from './gen/learning/notifications/v1/notification_events.js';

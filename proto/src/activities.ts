/** learning.activities.v1 */
export * from './gen/learning/activities/v1/activity_events.js';
export * from './gen/learning/activities/v1/activity_service.js';
export * from './gen/learning/activities/v1/campaign_events.js';
export * from './gen/learning/activities/v1/contest_events.js';
export * from './gen/learning/activities/v1/directory_service.js';
export * from './gen/learning/activities/v1/network_events.js';
export * from './gen/learning/activities/v1/training_events.js';
export * from './gen/learning/activities/v1/training_service.js';

/** learning.activities.v1 */
export * from './gen/learning/activities/v1/activity_events.js';

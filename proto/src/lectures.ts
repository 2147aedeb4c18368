/** learning.lectures.v1 */
export * from './gen/learning/lectures/v1/session_events.js';

export * from './schedule.js';
export * from './activity-lifecycle.js';
export * from './recurrence.js';
export * from './contests.js';
export * from './library-standard.js';
export * from './lecture-sessions.js';

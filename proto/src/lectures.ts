/** learning.lectures.v1 */
export * from './gen/learning/lectures/v1/session_events.js';
export * from './gen/learning/lectures/v1/feedback_events.js';
export * from './gen/learning/lectures/v1/coverage_events.js';
export * from './gen/learning/lectures/v1/library_events.js';
export * from './gen/learning/lectures/v1/lecture_service.js';
export * from './gen/learning/lectures/v1/expert_directory.js';
export * from './gen/learning/lectures/v1/lecture_coverage.js';

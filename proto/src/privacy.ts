/** learning.privacy.v1: personal-information rights every service answers for (export, erasure). */
export * from './gen/learning/privacy/v1/personal_data.js';
export * from './gen/learning/privacy/v1/erasure_events.js';

/** learning.scoring.v1: the credits ledger's and the annual evaluation's events and what other services ask them. */
export * from './gen/learning/scoring/v1/assessment_service.js';
export * from './gen/learning/scoring/v1/credit_events.js';
export * from './gen/learning/scoring/v1/evaluation_events.js';
export * from './gen/learning/scoring/v1/ledger_service.js';

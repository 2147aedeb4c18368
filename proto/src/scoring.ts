/** learning.scoring.v1: the credits ledger's events and what other services ask it. */
export * from './gen/learning/scoring/v1/credit_events.js';
export * from './gen/learning/scoring/v1/ledger_service.js';

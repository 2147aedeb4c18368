/**
 * What the scoring service publishes: every entry appended to its credits
 * ledgers, keyed by the holder, with the routing fields a department or an
 * area filters on (the holder's place, organizations and tier at the time).
 */
import { defineEvent, topics } from '@learning/events';
import { scoring } from '@learning/proto';

/** An entry with a positive amount: a first award, or a re-award after caps were applied again. */
export const CreditsAwarded = defineEvent(
  'scoring.credits.awarded.v1',
  topics.scoringCredits,
  scoring.CreditEntry,
);

/** An entry with a negative amount: the source was withdrawn, or a cap took back what it had let through. */
export const CreditsReversed = defineEvent(
  'scoring.credits.reversed.v1',
  topics.scoringCredits,
  scoring.CreditEntry,
);

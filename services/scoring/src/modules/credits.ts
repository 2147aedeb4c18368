/**
 * The credits ledger: facts from registration's, activities' (training
 * included) and lectures' events (consumer group `scoring.credits`), each
 * followed by an evaluation of its holder's year, and the one relay of the ledger's outbox
 * (CreditsAwarded / CreditsReversed).
 */
import {
  activityEvents,
  enrollmentEvents,
  lectureEvents,
  organizationEvents,
} from '@learning/contracts';
import { consumerGroups, subscribe } from '@learning/events';
import { ErasureLog } from '@learning/privacy';
import { CachedRuleBook } from '../adapters/mongo/cached-rule-book.js';
import { MongoFactStore } from '../adapters/mongo/fact-store.js';
import { factModel } from '../adapters/mongo/facts.js';
import { ledgerEntryModel } from '../adapters/mongo/ledger.js';
import { MongoLedgerStore } from '../adapters/mongo/ledger-store.js';
import { MongoRuleBook } from '../adapters/mongo/rule-book.js';
import { ruleModel } from '../adapters/mongo/rules.js';
import { creditsMetrics } from '../adapters/metrics/credits.js';
import { CachedHolderDirectory } from '../adapters/registration/holder-directory.js';
import { recordOrganizedActivity } from '../application/credits/activity-organized.js';
import {
  recordAttendance,
  withdrawAttendance,
  withdrawInvalidatedCheckIn,
} from '../application/credits/attendance.js';
import { recordBookDonation } from '../application/credits/book-donated.js';
import { recordContestResults } from '../application/credits/contest-placed.js';
import { evaluateHolderYear } from '../application/credits/evaluate-holder-year.js';
import { recordLessonCompleted } from '../application/credits/lesson-completed.js';
import { recordRecognition } from '../application/credits/organization-recognized.js';
import {
  recordTrainingCompleted,
  recordTrainingSessionAttended,
} from '../application/credits/training.js';
import type { SourceDeps } from '../application/credits/store-fact.js';
import type { Module } from '../platform.js';

export const creditsModule: Module = (platform) => {
  const { mongo, clock, registry } = platform;
  const ledgerModel = ledgerEntryModel(mongo);
  // The one relay of the ledger's outbox: no other slice appends entries.
  platform.publishOutboxOf(ledgerModel);

  const facts = new MongoFactStore(factModel(mongo), clock);
  const metrics = creditsMetrics(registry);
  const deps: SourceDeps = {
    facts,
    erased: ErasureLog.of(mongo),
    metrics,
    directory: new CachedHolderDirectory(platform.participants, platform.organizations),
    evaluate: evaluateHolderYear({
      facts,
      ledger: new MongoLedgerStore(ledgerModel, clock),
      rules: new CachedRuleBook(new MongoRuleBook(ruleModel(mongo)), clock),
      metrics,
    }),
  };

  platform.consume(
    consumerGroups.scoringCredits,
    subscribe(enrollmentEvents.AttendanceRecorded, recordAttendance(deps)),
    subscribe(enrollmentEvents.AttendanceWithdrawn, withdrawAttendance(deps)),
    subscribe(enrollmentEvents.CheckInInvalidated, withdrawInvalidatedCheckIn(deps)),
    subscribe(lectureEvents.LessonCompleted, recordLessonCompleted(deps)),
    subscribe(activityEvents.ContestResultsPublished, recordContestResults(deps)),
    subscribe(activityEvents.BookDonationRecorded, recordBookDonation(deps)),
    subscribe(activityEvents.ActivityCompleted, recordOrganizedActivity(deps)),
    subscribe(organizationEvents.organizationRecognized, recordRecognition(deps)),
    subscribe(activityEvents.TrainingSessionAttended, recordTrainingSessionAttended(deps)),
    subscribe(activityEvents.TrainingCompleted, recordTrainingCompleted(deps)),
  );
};

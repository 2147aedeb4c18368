/**
 * Keeps the evaluation following its data (decision 0019, 3): consumer group
 * `scoring.evaluation-inputs` reads the events that change a figure and marks
 * the affected subjects' current provisional assessments stale.
 *
 * - scoring's own credit entries: the person's organizations and home areas
 *   (member and resident figures), or the crediting organization itself;
 * - activities: an enterprise's training report, a book donation (the
 *   enterprise, and the areas of the library it went to), a library reaching
 *   the 200-book standard (its areas);
 * - lectures: a session scheduled, rescheduled, cancelled or held (its township);
 * - registration: a member joining or leaving (the organization), an
 *   organization registered or decided on (it and its areas' counts).
 */
import {
  activityEvents,
  creditEvents,
  lectureEvents,
  organizationEvents,
} from '@learning/contracts';
import { chinaYearOf } from '@learning/domain';
import { consumerGroups, subscribeRuns, type ConsumedEvent } from '@learning/events';
import { scoring, type lectures } from '@learning/proto';
import { assessmentModel } from '../adapters/mongo/evaluation-models.js';
import { MongoStaleAssessments } from '../adapters/mongo/stale-assessments.js';
import { markInputsChanged, type InputsChanged } from '../application/evaluation/stale-inputs.js';
import type { Module } from '../platform.js';

/** The city year of an instant an event carries; the event's own time when it carries none. */
const yearOf = (instant: Date | undefined, event: ConsumedEvent<unknown>): number =>
  chinaYearOf(instant ?? new Date(event.time));

export const evaluationInputsModule: Module = (platform) => {
  const { mongo, logger } = platform;
  const mark = markInputsChanged({
    assessments: new MongoStaleAssessments(assessmentModel(mongo)),
  });

  /** Marks what a run of one event type changed; logs only counts and the type. */
  const follow =
    <T>(changesOf: (event: ConsumedEvent<T>) => InputsChanged) =>
    async (events: readonly ConsumedEvent<T>[]): Promise<void> => {
      const marked = await mark(events.map(changesOf));
      if (marked > 0) logger.info({ type: events[0]?.type, marked }, 'assessments marked stale');
    };

  const session = (event: ConsumedEvent<{ session?: lectures.SessionSummary }>): InputsChanged => ({
    year: yearOf(event.data.session?.startsAt, event),
    organizationIds: [],
    areaCodes: [
      ...(event.data.session?.jurisdictionPath ?? []),
      event.data.session?.townshipCode ?? '',
    ],
  });

  const decided = follow<{
    organizationId: string;
    routing?: { jurisdictionPath: string[] };
    decidedAt?: Date;
  }>((event) => ({
    year: yearOf(event.data.decidedAt, event),
    organizationIds: [event.data.organizationId],
    areaCodes: event.data.routing?.jurisdictionPath ?? [],
  }));

  const credited = follow<scoring.CreditEntry>((event) =>
    event.data.holderKind === scoring.HolderKind.HOLDER_KIND_ORGANIZATION
      ? // An organization's own entry: its own figures only.
        { year: event.data.year, organizationIds: [event.data.holderId], areaCodes: [] }
      : {
          // A person's entry: their organizations' member figures and their home areas' resident figures.
          year: event.data.year,
          organizationIds: event.data.organizationIds,
          areaCodes: event.data.jurisdictionPath,
        },
  );

  platform.consume(
    consumerGroups.scoringEvaluationInputs,
    subscribeRuns(creditEvents.CreditsAwarded, credited),
    subscribeRuns(creditEvents.CreditsReversed, credited),
    subscribeRuns(
      activityEvents.EnterpriseTrainingReported,
      follow((event) => ({
        year: event.data.year,
        organizationIds: [event.data.organizationId],
        areaCodes: [],
      })),
    ),
    subscribeRuns(
      activityEvents.BookDonationRecorded,
      follow((event) => ({
        year: Number(event.data.donatedOn.slice(0, 4)),
        organizationIds: [event.data.enterpriseId],
        areaCodes: event.data.jurisdictionPath,
      })),
    ),
    subscribeRuns(
      activityEvents.LibraryStandardReached,
      follow((event) => ({
        year: yearOf(event.data.reachedAt, event),
        organizationIds: [],
        areaCodes: event.data.jurisdictionPath,
      })),
    ),
    subscribeRuns(lectureEvents.SessionScheduled, follow(session)),
    subscribeRuns(lectureEvents.SessionHeld, follow(session)),
    subscribeRuns(lectureEvents.SessionCancelled, follow(session)),
    subscribeRuns(lectureEvents.SessionRescheduled, follow(session)),
    subscribeRuns(
      organizationEvents.membershipChanged,
      follow((event) => ({
        year: yearOf(event.data.changedAt, event),
        organizationIds: [event.data.organizationId],
        areaCodes: [],
      })),
    ),
    subscribeRuns(
      organizationEvents.organizationRegistered,
      follow((event) => ({
        year: yearOf(undefined, event),
        organizationIds: [event.data.organizationId],
        areaCodes: event.data.routing?.jurisdictionPath ?? [],
      })),
    ),
    subscribeRuns(organizationEvents.organizationReviewStarted, decided),
    subscribeRuns(organizationEvents.organizationRecognized, decided),
    subscribeRuns(organizationEvents.organizationRejected, decided),
    subscribeRuns(organizationEvents.organizationSuspended, decided),
  );
};

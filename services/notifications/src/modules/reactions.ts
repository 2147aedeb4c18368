/**
 * Reactions to the other services' events (consumer group
 * `notifications.reactions`): sign-ups, reschedules (training classes'
 * included), credits, training completions, a person's awards, organization decisions and
 * coverage gaps become notices through the dispatcher, and a person's
 * reminders follow their sign-ups. Every notice is keyed by its source
 * event's id, so a redelivered event sends nothing twice. An event about a
 * participant whose data was erased here is dropped: its notice or reminder
 * would store them again (decision 0022).
 */
import {
  activityEvents,
  creditEvents,
  enrollmentEvents,
  evaluationEvents,
  lectureEvents,
  organizationEvents,
} from '@learning/contracts';
import { consumerGroups, subscribe } from '@learning/events';
import { ErasureLog } from '@learning/privacy';
import {
  activityReschedulingOf,
  awardGrantOf,
  cancellationCauseOf,
  creditsAwardOf,
  decisionSourceOf,
  enrollmentFactsOf,
  lectureGapOf,
  networkGapOf,
  sessionReschedulingOf,
  trainingClassReschedulingOf,
  trainingCompletionOf,
} from '../adapters/kafka/reactions.js';
import { MongoReminders, reminderModel } from '../adapters/mongo/reminders.js';
import { RegistrationAreaOfficers } from '../adapters/registration/area-officers.js';
import { RegistrationEnrolledPeople } from '../adapters/registration/enrolled-people.js';
import { RegistrationOrganizationAdmins } from '../adapters/registration/organization-admins.js';
import { RegistrationPlaceNames } from '../adapters/registration/places.js';
import { awardGranted } from '../application/reactions/award-granted.js';
import { coverageGapDetected } from '../application/reactions/coverage-gap.js';
import { creditsAwarded } from '../application/reactions/credits-awarded.js';
import {
  enrollmentCancelled,
  enrollmentConfirmed,
  enrollmentWaitlisted,
  waitlistPromoted,
} from '../application/reactions/enrollments.js';
import { eventRescheduled } from '../application/reactions/event-rescheduled.js';
import { organizationDecided } from '../application/reactions/organization-decided.js';
import { languagesFromPreferences } from '../application/reactions/recipient-languages.js';
import { trainingCompleted } from '../application/reactions/training-completed.js';
import type { Module } from '../platform.js';

export const reactionsModule: Module = (platform) => {
  const { mongo, clock, config, dispatcher, registration, logger } = platform;
  const erasures = ErasureLog.of(mongo);
  const unlessErased = async (
    participantId: string,
    eventId: string,
    handle: () => Promise<void>,
  ): Promise<void> => {
    if (await erasures.isErased(participantId)) {
      logger.info({ eventId }, 'event about an erased participant dropped');
      return;
    }
    await handle();
  };
  const reminders = new MongoReminders(reminderModel(mongo));
  const languages = languagesFromPreferences(platform.preferences);
  const places = new RegistrationPlaceNames(registration.jurisdictions);
  const enrollments = {
    dispatcher,
    reminders,
    languages,
    places,
    clock,
    cityTimeZone: config.CITY_TIME_ZONE,
  };
  const confirmed = enrollmentConfirmed(enrollments);
  const waitlisted = enrollmentWaitlisted(enrollments);
  const promoted = waitlistPromoted(enrollments);
  const cancelled = enrollmentCancelled(enrollments);
  const rescheduled = eventRescheduled({
    dispatcher,
    reminders,
    places,
    enrolled: new RegistrationEnrolledPeople(registration.audience, config.FANOUT_BATCH_SIZE),
  });
  const trainingDone = trainingCompleted({ dispatcher });
  const credited = creditsAwarded({ dispatcher, languages });
  const awarded = awardGranted({ dispatcher, languages });
  const decided = organizationDecided({
    dispatcher,
    languages,
    admins: new RegistrationOrganizationAdmins(registration.organizations),
  });
  const gapFound = coverageGapDetected({
    dispatcher,
    places,
    officers: new RegistrationAreaOfficers(registration.officers),
  });

  platform.consume(
    consumerGroups.notificationsReactions,
    subscribe(enrollmentEvents.EnrollmentConfirmed, (event) => {
      const facts = enrollmentFactsOf(event, event.data.confirmedAt);
      return unlessErased(facts.participantId, event.id, () => confirmed(facts));
    }),
    // Registration says no place on the waitlist, only the arrival order: no position is shown.
    subscribe(enrollmentEvents.EnrollmentWaitlisted, (event) => {
      const facts = enrollmentFactsOf(event, event.data.waitlistedAt);
      return unlessErased(facts.participantId, event.id, () => waitlisted(facts, null));
    }),
    subscribe(enrollmentEvents.WaitlistPromoted, (event) => {
      const facts = enrollmentFactsOf(event, event.data.promotedAt);
      return unlessErased(facts.participantId, event.id, () => promoted(facts));
    }),
    // The one path of an event's cancellation to people: registration publishes one per enrollment.
    subscribe(enrollmentEvents.EnrollmentCancelled, (event) => {
      const facts = enrollmentFactsOf(event, event.data.cancelledAt);
      return unlessErased(facts.participantId, event.id, () =>
        cancelled(facts, cancellationCauseOf(event.data.reason, event.data.note)),
      );
    }),
    subscribe(activityEvents.ActivityRescheduled, (event) =>
      rescheduled(activityReschedulingOf(event)),
    ),
    subscribe(lectureEvents.SessionRescheduled, (event) =>
      rescheduled(sessionReschedulingOf(event)),
    ),
    // The class is the seated event (owner `training`); its cancellation reaches people as
    // registration's EnrollmentCancelled, like an activity's.
    subscribe(activityEvents.TrainingClassRescheduled, (event) =>
      rescheduled(trainingClassReschedulingOf(event)),
    ),
    subscribe(activityEvents.TrainingCompleted, (event) => {
      const completion = trainingCompletionOf(event);
      return unlessErased(completion.participantId, event.id, () => trainingDone(completion));
    }),
    subscribe(creditEvents.CreditsAwarded, async (event) => {
      const award = creditsAwardOf(event);
      if (award !== null) await unlessErased(award.participantId, event.id, () => credited(award));
    }),
    subscribe(evaluationEvents.AwardGranted, async (event) => {
      const grant = awardGrantOf(event);
      if (grant !== null) await unlessErased(grant.participantId, event.id, () => awarded(grant));
    }),
    subscribe(organizationEvents.organizationRecognized, (event) =>
      decided({ outcome: 'recognized' }, decisionSourceOf(event)),
    ),
    subscribe(organizationEvents.organizationRejected, (event) =>
      decided({ outcome: 'rejected', reason: event.data.reason }, decisionSourceOf(event)),
    ),
    subscribe(activityEvents.NetworkGapDetected, (event) => {
      const { gap, source } = networkGapOf(event);
      return gapFound(gap, source);
    }),
    subscribe(lectureEvents.CoverageGapDetected, (event) => {
      const { gap, source } = lectureGapOf(event);
      return gapFound(gap, source);
    }),
  );
};

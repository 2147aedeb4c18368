/**
 * A person's own sign-up changed: tell them, and keep their reminders in
 * step (planned with a seat, dropped with the enrollment). Redelivery is
 * harmless: reminders are stored once per id and the notice's id is the
 * source event's.
 */
import {
  cancelledNotice,
  confirmedNotice,
  promotedNotice,
  waitlistedNotice,
  type CancellationCause,
  type EnrollmentFacts,
} from '../../domain/reactions.js';
import { planReminders } from '../../domain/reminders.js';
import type { Dispatcher } from '../ports.js';
import type { PlaceNames, RecipientLanguages, ReminderStore } from './ports.js';

export interface EnrollmentReactionDeps {
  readonly dispatcher: Dispatcher;
  readonly reminders: ReminderStore;
  readonly languages: RecipientLanguages;
  readonly places: PlaceNames;
  readonly clock: () => Date;
  readonly cityTimeZone: string;
}

/** The facts with the event's place named, as notices and reminders show it. */
async function withVenue(places: PlaceNames, facts: EnrollmentFacts): Promise<EnrollmentFacts> {
  const summary = facts.summary;
  if (summary?.placeCode == null) return facts;
  return { ...facts, summary: { ...summary, venue: await places.nameOf(summary.placeCode) } };
}

const planFor = async (deps: EnrollmentReactionDeps, facts: EnrollmentFacts): Promise<void> => {
  await deps.reminders.plan(
    planReminders(
      {
        enrollmentId: facts.enrollmentId,
        eventKey: facts.eventKey,
        recipient: facts.participantId,
        summary: facts.summary,
      },
      deps.clock(),
    ),
  );
};

export const enrollmentConfirmed =
  (deps: EnrollmentReactionDeps) =>
  async (given: EnrollmentFacts): Promise<void> => {
    const facts = await withVenue(deps.places, given);
    await planFor(deps, facts);
    await deps.dispatcher.dispatch([confirmedNotice(facts)]);
  };

export const waitlistPromoted =
  (deps: EnrollmentReactionDeps) =>
  async (given: EnrollmentFacts): Promise<void> => {
    const facts = await withVenue(deps.places, given);
    await planFor(deps, facts);
    await deps.dispatcher.dispatch([promotedNotice(facts)]);
  };

export const enrollmentWaitlisted =
  (deps: EnrollmentReactionDeps) =>
  async (given: EnrollmentFacts, position: number | null): Promise<void> => {
    const facts = await withVenue(deps.places, given);
    await deps.dispatcher.dispatch([waitlistedNotice(facts, position)]);
  };

export const enrollmentCancelled =
  (deps: EnrollmentReactionDeps) =>
  async (given: EnrollmentFacts, cause: CancellationCause): Promise<void> => {
    await deps.reminders.dropEnrollment(given.enrollmentId);
    const facts = await withVenue(deps.places, given);
    const languages = await deps.languages.of([facts.participantId]);
    await deps.dispatcher.dispatch([
      cancelledNotice(facts, cause, {
        language: languages.get(facts.participantId) ?? 'zh-CN',
        now: deps.clock(),
        cityTimeZone: deps.cityTimeZone,
      }),
    ]);
  };

/**
 * An activity or a lecture session moved: everyone enrolled is told, page by
 * page of registration's audience, and the event's reminders move with it.
 */
import { rescheduledNotices, type Rescheduling } from '../../domain/reactions.js';
import { REMINDER_SLOTS, replanned } from '../../domain/reminders.js';
import type { Dispatcher } from '../ports.js';
import type { EnrolledPeople, PlaceNames, ReminderStore } from './ports.js';

export interface RescheduleDeps {
  readonly dispatcher: Dispatcher;
  readonly reminders: ReminderStore;
  readonly enrolled: EnrolledPeople;
  readonly places: PlaceNames;
}

export const eventRescheduled =
  (deps: RescheduleDeps) =>
  async (rescheduling: Rescheduling): Promise<void> => {
    for (const slot of REMINDER_SLOTS)
      await deps.reminders.replan(rescheduling.eventKey, slot, replanned(rescheduling, slot));
    // An activity's reschedule names no title; the reminders hold the one registration gave.
    const described = {
      ...rescheduling,
      title: rescheduling.title ?? (await deps.reminders.titleOf(rescheduling.eventKey)),
      venue:
        rescheduling.venue ??
        (rescheduling.placeCode === null ? null : await deps.places.nameOf(rescheduling.placeCode)),
    };
    for await (const page of deps.enrolled.of(rescheduling.eventKey))
      await deps.dispatcher.dispatch(rescheduledNotices(described, page));
  };

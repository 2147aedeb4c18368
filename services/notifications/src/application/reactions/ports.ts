/**
 * What reacting to the other services' events needs beyond the dispatcher:
 * who is enrolled, who runs an organization, which officers cover a place,
 * a place's name, and the reminders' store. Registration answers the first
 * four (adapters/registration), MongoDB keeps the reminders.
 */
import type { AreaOfficer } from '../../domain/reactions.js';
import type { Reminder, ReminderSlot, ReminderStatus } from '../../domain/reminders.js';
import type { Language } from '../../domain/preferences.js';

export interface EnrolledPeople {
  /** The participants confirmed in `eventKey` (`<owner>:<id>`), page by page. */
  of(eventKey: string): AsyncIterable<readonly string[]>;
}

export interface OrganizationAdmins {
  /** The organization's name and its members with role admin; null when registration knows no such organization. */
  of(
    organizationId: string,
  ): Promise<{ readonly name: string; readonly adminIds: readonly string[] } | null>;
}

export interface AreaOfficers {
  /** The area officers whose scope covers `jurisdictionCode`, with their duty contacts. */
  covering(jurisdictionCode: string): Promise<readonly AreaOfficer[]>;
}

export interface PlaceNames {
  /** The jurisdiction's name; `fallback` (the code itself if none is given) when registration does not know it. */
  nameOf(code: string, fallback?: string): Promise<string>;
}

export interface RecipientLanguages {
  /** Each recipient's language, as their preferences say (the city's default when they set none). */
  of(recipients: readonly string[]): Promise<ReadonlyMap<string, Language>>;
}

export interface ReminderStore {
  /** Stores each reminder unless one with its id exists (a redelivered sign-up plans nothing twice). */
  plan(reminders: readonly Reminder[]): Promise<void>;
  /** The enrollment's reminders will not be sent. */
  dropEnrollment(enrollmentId: string): Promise<void>;
  /**
   * Moves the event's reminders of `slot` to `dueAt`, showing the new times;
   * one already sent or skipped is planned again when the new due time is
   * later than the one it had.
   */
  replan(
    eventKey: string,
    slot: ReminderSlot,
    moved: { readonly dueAt: Date; readonly startsAt: Date; readonly endsAt: Date | null },
  ): Promise<void>;
  /** The event's title as a reminder of it holds it; null when none does. */
  titleOf(eventKey: string): Promise<string | null>;
  /**
   * Claims one reminder due by `now` (planned, or claimed before `staleBefore`
   * by a worker that did not finish), marking it sending; null when none is due.
   */
  claimDue(now: Date, staleBefore: Date): Promise<Reminder | null>;
  /** Records the outcome of a claim, unless the reminder was moved (or dropped) meanwhile. */
  finish(
    claimed: Reminder,
    status: Extract<ReminderStatus, 'sent' | 'skipped'>,
    at: Date,
  ): Promise<void>;
}

/**
 * Reminders of what a person signed up for: one a day before it starts and
 * one an hour before. Planned when a seat is taken, moved with the event,
 * dropped with the enrollment, and sent once when due.
 */
import { HOUR_MS } from '@learning/domain';
import type { NoticeRequest } from './notices.js';
import type { EventSummary } from './reactions.js';

export const REMINDER_SLOTS = ['day-before', 'hour-before'] as const;
export type ReminderSlot = (typeof REMINDER_SLOTS)[number];

/** How long before the start each reminder is due. */
export const REMINDER_LEAD_MS: Readonly<Record<ReminderSlot, number>> = {
  'day-before': 24 * HOUR_MS,
  'hour-before': HOUR_MS,
};

export const REMINDER_STATUSES = ['planned', 'sending', 'sent', 'skipped', 'dropped'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export interface Reminder {
  /** `<enrollment id>:<slot>`. */
  readonly id: string;
  readonly enrollmentId: string;
  readonly slot: ReminderSlot;
  readonly eventKey: string;
  readonly recipient: string;
  readonly dueAt: Date;
  /** What the reminder shows; the title is null when registration did not give it. */
  readonly title: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly venue: string | null;
}

export const reminderId = (enrollmentId: string, slot: ReminderSlot): string =>
  `${enrollmentId}:${slot}`;

export const dueAtOf = (startsAt: Date, slot: ReminderSlot): Date =>
  new Date(startsAt.getTime() - REMINDER_LEAD_MS[slot]);

/** The reminders of a seat just taken: those still ahead of `now`; none when the start is unknown. */
export function planReminders(
  seat: {
    readonly enrollmentId: string;
    readonly eventKey: string;
    readonly recipient: string;
    readonly summary: EventSummary | null;
  },
  now: Date,
): Reminder[] {
  const summary = seat.summary;
  if (summary?.startsAt == null) return [];
  const startsAt = summary.startsAt;
  return REMINDER_SLOTS.flatMap((slot) => {
    const dueAt = dueAtOf(startsAt, slot);
    if (dueAt.getTime() <= now.getTime()) return [];
    return [
      {
        id: reminderId(seat.enrollmentId, slot),
        enrollmentId: seat.enrollmentId,
        slot,
        eventKey: seat.eventKey,
        recipient: seat.recipient,
        dueAt,
        title: summary.title === '' ? null : summary.title,
        startsAt,
        endsAt: summary.endsAt,
        venue: summary.venue,
      },
    ];
  });
}

/** What the reminders of a moved event become, slot by slot: new due time and times shown. */
export const replanned = (
  moved: { readonly startsAt: Date; readonly endsAt: Date | null },
  slot: ReminderSlot,
): { readonly dueAt: Date; readonly startsAt: Date; readonly endsAt: Date | null } => ({
  dueAt: dueAtOf(moved.startsAt, slot),
  startsAt: moved.startsAt,
  endsAt: moved.endsAt,
});

/**
 * Whether a due reminder still makes sense: not once the event has started
 * (the service was down past it), and not the day-before one once the
 * hour-before one is due as well (the event was moved close).
 */
export function reminderAction(
  reminder: Pick<Reminder, 'slot' | 'startsAt'>,
  now: Date,
): 'send' | 'skip' {
  if (now.getTime() >= reminder.startsAt.getTime()) return 'skip';
  if (
    reminder.slot === 'day-before' &&
    now.getTime() >= dueAtOf(reminder.startsAt, 'hour-before').getTime()
  )
    return 'skip';
  return 'send';
}

/**
 * The notice of a reminder due at `dueAt`: a reminder moved with its event is
 * a new notice, a claim of the same one replayed is not.
 */
export const reminderNotice = (reminder: Reminder): NoticeRequest => ({
  noticeId: `reminder:${reminder.id}:${reminder.dueAt.toISOString()}`,
  kind: reminder.slot === 'day-before' ? 'reminder.day-before' : 'reminder.hour-before',
  recipient: reminder.recipient,
  urgent: reminder.slot === 'hour-before',
  variables: {
    ...(reminder.title === null ? {} : { title: reminder.title }),
    startsAt: reminder.startsAt,
    ...(reminder.endsAt === null ? {} : { endsAt: reminder.endsAt }),
    ...(reminder.venue === null ? {} : { venue: reminder.venue }),
  },
  occurredAt: reminder.dueAt,
  sender: 'service:notifications',
});

/**
 * When an activity takes place: one session, or a series of sessions (a
 * reading club's weekly evenings). Instants are absolute; the calendar dates
 * people see are China dates (see calendar.ts).
 */
import { invalid, MINUTE_MS } from '@learning/domain';

export interface Session {
  readonly start: Date;
  readonly end: Date;
}

export type Schedule =
  | { readonly kind: 'single'; readonly session: Session }
  | { readonly kind: 'series'; readonly sessions: readonly Session[] };

export const SCHEDULE_INVALID_INSTANT = 'SCHEDULE_INVALID_INSTANT';
export const SCHEDULE_ENDS_BEFORE_START = 'SCHEDULE_ENDS_BEFORE_START';
export const SCHEDULE_EMPTY = 'SCHEDULE_EMPTY';
export const SCHEDULE_TOO_MANY_SESSIONS = 'SCHEDULE_TOO_MANY_SESSIONS';
export const SCHEDULE_SESSIONS_OVERLAP = 'SCHEDULE_SESSIONS_OVERLAP';
export const SCHEDULE_IN_PAST = 'SCHEDULE_IN_PAST';

/** A year of daily sessions; more is a data error, not a programme. */
export const MAX_SESSIONS = 366;

function checkSession(session: Session, label: string): void {
  if (Number.isNaN(session.start.getTime()) || Number.isNaN(session.end.getTime())) {
    throw invalid(SCHEDULE_INVALID_INSTANT, `${label} has a start or end that is not a date.`);
  }
  if (session.end.getTime() <= session.start.getTime()) {
    throw invalid(SCHEDULE_ENDS_BEFORE_START, `${label} ends before (or when) it starts.`);
  }
}

/**
 * Validates a schedule and returns it normalized: a series sorted by start.
 * A series needs at least one session, at most MAX_SESSIONS, and sessions
 * that do not overlap (one may start exactly when the previous one ends).
 */
export function validateSchedule(schedule: Schedule): Schedule {
  if (schedule.kind === 'single') {
    checkSession(schedule.session, 'The session');
    return schedule;
  }
  if (schedule.sessions.length === 0) {
    throw invalid(SCHEDULE_EMPTY, 'A series needs at least one date.');
  }
  if (schedule.sessions.length > MAX_SESSIONS) {
    throw invalid(
      SCHEDULE_TOO_MANY_SESSIONS,
      `A series has at most ${MAX_SESSIONS} dates; this one has ${schedule.sessions.length}.`,
    );
  }
  for (const [index, session] of schedule.sessions.entries()) {
    checkSession(session, `Date ${index + 1} of the series`);
  }
  const sessions = schedule.sessions.toSorted((a, b) => a.start.getTime() - b.start.getTime());
  for (let i = 1; i < sessions.length; i++) {
    const previous = sessions[i - 1];
    const current = sessions[i];
    if (previous && current && current.start.getTime() < previous.end.getTime()) {
      throw invalid(SCHEDULE_SESSIONS_OVERLAP, 'Two dates of the series overlap.');
    }
  }
  return { kind: 'series', sessions };
}

export const sessionsOf = (schedule: Schedule): readonly Session[] =>
  schedule.kind === 'single' ? [schedule.session] : schedule.sessions;

/** The earliest start of any session. */
export const startOf = (schedule: Schedule): Date =>
  new Date(Math.min(...sessionsOf(schedule).map((s) => s.start.getTime())));

/** The latest end of any session. */
export const endOf = (schedule: Schedule): Date =>
  new Date(Math.max(...sessionsOf(schedule).map((s) => s.end.getTime())));

/**
 * The minutes of learning the schedule holds: every session's length added
 * up (the gaps of a series teach nothing), in whole minutes, a part-minute
 * left out so nobody is credited with time not held.
 */
export const learningMinutesOf = (schedule: Schedule): number =>
  Math.floor(
    sessionsOf(schedule).reduce((sum, s) => sum + (s.end.getTime() - s.start.getTime()), 0) /
      MINUTE_MS,
  );

export const hasStarted = (schedule: Schedule, at: Date): boolean =>
  at.getTime() >= startOf(schedule).getTime();

/** Ended once the last session is over; the end instant itself counts as ended. */
export const hasEnded = (schedule: Schedule, at: Date): boolean =>
  at.getTime() >= endOf(schedule).getTime();

/**
 * Under way from the first start until the last end: a series stays under
 * way between its sessions, as a programme does.
 */
export const isUnderWay = (schedule: Schedule, at: Date): boolean =>
  hasStarted(schedule, at) && !hasEnded(schedule, at);

/** The session running at `at`, if any (between sessions of a series there is none). */
export const sessionAt = (schedule: Schedule, at: Date): Session | undefined =>
  sessionsOf(schedule).find(
    (s) => s.start.getTime() <= at.getTime() && at.getTime() < s.end.getTime(),
  );

/** Refuses a schedule whose first session starts before `now`. */
export function assertNotInPast(schedule: Schedule, now: Date): void {
  if (startOf(schedule).getTime() < now.getTime()) {
    throw invalid(SCHEDULE_IN_PAST, 'The schedule starts in the past.');
  }
}

/** Every session moved by `ms` (positive: later). */
export function shiftSchedule(schedule: Schedule, ms: number): Schedule {
  const shift = (s: Session): Session => ({
    start: new Date(s.start.getTime() + ms),
    end: new Date(s.end.getTime() + ms),
  });
  return schedule.kind === 'single'
    ? { kind: 'single', session: shift(schedule.session) }
    : { kind: 'series', sessions: schedule.sessions.map(shift) };
}

/** Same sessions at the same instants (order-insensitive for a series). */
export function sameSchedule(a: Schedule, b: Schedule): boolean {
  const key = (s: Schedule) =>
    sessionsOf(s)
      .map((x) => `${x.start.getTime()}-${x.end.getTime()}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

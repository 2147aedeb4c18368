/**
 * The local copy of registration's attendance at lecture sessions: who may
 * rate a session, and the count a held session publishes. A record is kept
 * per enrollment, so a repeated event changes nothing; a withdrawn attendance
 * (a reschedule invalidated the check-in it rested on) is removed, and the
 * feedback its person gave stays stored but leaves the aggregates and lists,
 * coming back if registration records the attendance again.
 */
import type { SessionDirectory } from '../session-facts.js';
import type { AttendanceStore, FeedbackStanding } from './ports.js';

export interface AttendanceRecorded {
  readonly enrollmentId: string;
  readonly sessionId: string;
  readonly participantId: string;
  readonly accountSubject: string;
  readonly attendedAt: Date;
}

export interface KeepAttendanceDeps {
  readonly sessions: SessionDirectory;
  readonly attendance: AttendanceStore;
  readonly feedback: FeedbackStanding;
  readonly clock: () => Date;
}

/** `unknown_session`: lectures has no such session; the caller dead-letters the event. */
export type RecordOutcome = 'recorded' | 'already_recorded' | 'unknown_session';

export function keepAttendance(deps: KeepAttendanceDeps) {
  const { sessions, attendance, feedback, clock } = deps;
  return {
    async record(input: AttendanceRecorded): Promise<RecordOutcome> {
      const session = await sessions.get(input.sessionId);
      if (session === null) return 'unknown_session';
      const added = await attendance.add({
        ...input,
        townshipCode: session.venue.townshipCode,
        recordedAt: clock(),
      });
      if (!added) return 'already_recorded';
      await feedback.setWithdrawn(input.sessionId, input.accountSubject, false);
      return 'recorded';
    },

    /** True when a record was removed; false when there was none (a repeat, or never recorded). */
    async withdraw(enrollmentId: string): Promise<boolean> {
      const removed = await attendance.remove(enrollmentId);
      if (removed === null) return false;
      await feedback.setWithdrawn(removed.sessionId, removed.accountSubject, true);
      return true;
    },
  };
}

export type KeepAttendance = ReturnType<typeof keepAttendance>;

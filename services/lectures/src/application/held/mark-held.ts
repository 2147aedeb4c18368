/**
 * The scheduler's run: every session still `scheduled` whose end lies the
 * grace period behind is marked held, with the attendance recorded by then,
 * and SessionHeld is published with it. The mark is a conditional update on
 * the status, so a replica or a run that gets there second changes nothing
 * and publishes nothing. Attendance arriving later is kept (it lets people
 * rate, and counts in coverage) but neither changes the held count nor
 * publishes again.
 */
import { lectureEvents } from '@learning/contracts';
import type { OutboxEntry } from '@learning/events';
import { newEvent } from '@learning/events';
import type { Logger } from '@learning/logger';
import { heldCutoff, isHeldDue } from '../../domain/held.js';
import type { AttendanceStore } from '../attendance/ports.js';
import type { SessionFacts } from '../session-facts.js';
import { sessionSummaryOf } from '../session-summary.js';

export interface HeldSessions {
  /** Sessions still scheduled that ended at or before `cutoff`, earliest end first. */
  due(cutoff: Date, limit: number): Promise<SessionFacts[]>;
  /** Marks the session held if it is still scheduled; false when it was not. */
  markHeld(
    sessionId: string,
    attendanceCount: number,
    heldAt: Date,
    events: readonly OutboxEntry[],
  ): Promise<boolean>;
}

export interface MarkHeldDeps {
  readonly sessions: HeldSessions;
  readonly attendance: Pick<AttendanceStore, 'countFor'>;
  readonly logger: Logger;
  readonly graceMs: number;
  /** Sessions read per page. */
  readonly pageSize: number;
}

export function markHeld(deps: MarkHeldDeps) {
  const { sessions, attendance, logger, graceMs, pageSize } = deps;
  return async (now: Date, signal: AbortSignal): Promise<number> => {
    let marked = 0;
    // A session that keeps failing stays due; it is tried once per run, not forever.
    const tried = new Set<string>();
    const cutoff = heldCutoff(now, graceMs);
    // A function, so each check reads the signal anew after the awaits between them.
    const stopped = (): boolean => signal.aborted;
    for (;;) {
      if (stopped()) return marked;
      const page = (await sessions.due(cutoff, pageSize + tried.size)).filter(
        (session) => !tried.has(session.id),
      );
      if (page.length === 0) return marked;
      for (const session of page.slice(0, pageSize)) {
        if (stopped()) return marked;
        tried.add(session.id);
        // The store's query finds candidates; the rule decides.
        if (!isHeldDue(session, now, graceMs)) continue;
        try {
          const attendanceCount = await attendance.countFor(session.id);
          const event = newEvent(lectureEvents.SessionHeld, session.id, {
            session: sessionSummaryOf(session),
            attendanceCount,
            heldAt: now,
          });
          if (await sessions.markHeld(session.id, attendanceCount, now, [event])) marked += 1;
        } catch (error) {
          logger.error(
            { err: error, sessionId: session.id },
            'could not mark a session held; the next tick tries again',
          );
        }
      }
    }
  };
}

export type MarkHeld = ReturnType<typeof markHeld>;

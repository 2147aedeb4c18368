/**
 * Lectures' session events kept as activities' own copy of each session, so
 * that a campaign's progress counts lecture sessions (consumer group
 * `activities.lecture-sessions`). The inbox drops a redelivered event; the
 * version rule of domain/lecture-sessions.ts makes a reordered one harmless.
 */
import { PermanentEventError } from '@learning/events';
import type { lectures } from '@learning/proto';
import {
  applyLectureSessionChange,
  type LectureSession,
  type LectureSessionChange,
  type LectureSessionFacts,
} from '../../domain/lecture-sessions.js';

export interface LectureSessionRepository {
  get(sessionId: string): Promise<LectureSession | null>;
  /**
   * Stores `next` if the copy is still the one read (at `readVersion`; null:
   * none yet). False when another delivery wrote first: read again.
   */
  replace(next: LectureSession, readVersion: Date | null): Promise<boolean>;
}

/** A concurrent write on one session is rare (one partition per session); a few tries settle it. */
const MAX_ATTEMPTS = 5;

export class LectureSessionConflictError extends Error {
  override readonly name = 'LectureSessionConflictError';
}

export function recordLectureSessionChange(deps: { readonly sessions: LectureSessionRepository }) {
  /** True when the change was applied now; false when it was stale or a repeat. */
  return async (change: LectureSessionChange): Promise<boolean> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await deps.sessions.get(change.sessionId);
      const next = applyLectureSessionChange(current, change);
      if (next === null) return false;
      if (await deps.sessions.replace(next, current?.version ?? null)) return true;
    }
    // Thrown, so the consumer retries the delivery later rather than dropping it.
    throw new LectureSessionConflictError(
      `session ${change.sessionId} kept changing under ${MAX_ATTEMPTS} attempts`,
    );
  };
}

export type RecordLectureSessionChange = ReturnType<typeof recordLectureSessionChange>;

/** The event's own time in lectures, else the envelope's (when it was written to the outbox). */
const versionOf = (occurredAt: Date | undefined, eventTime: string): Date =>
  occurredAt ?? new Date(eventTime);

function factsOf(session: lectures.SessionSummary): LectureSessionFacts {
  return {
    campaignId: session.campaignId === '' ? null : session.campaignId,
    townshipCode: session.townshipCode === '' ? null : session.townshipCode,
    jurisdictionPath: [...session.jurisdictionPath],
    startsAt: session.startsAt ?? null,
  };
}

/** A session event without its session can never be applied: a dead letter, not a retry. */
function sessionIdOf(sessionId: string | undefined, what: string): string {
  if (sessionId === undefined || sessionId === '')
    throw new PermanentEventError(`a session ${what} event without its session`);
  return sessionId;
}

export const lectureSessionChanges = {
  scheduled: (data: lectures.SessionScheduled, eventTime: string): LectureSessionChange => ({
    sessionId: sessionIdOf(data.session?.sessionId, 'scheduled'),
    status: 'scheduled',
    attendance: 0,
    version: versionOf(data.scheduledAt, eventTime),
    facts: data.session === undefined ? null : factsOf(data.session),
  }),
  rescheduled: (data: lectures.SessionRescheduled, eventTime: string): LectureSessionChange => ({
    sessionId: sessionIdOf(data.sessionId || data.session?.sessionId, 'rescheduled'),
    status: 'scheduled',
    attendance: 0,
    version: versionOf(data.rescheduledAt, eventTime),
    facts:
      data.session === undefined
        ? null
        : { ...factsOf(data.session), startsAt: data.startsAt ?? data.session.startsAt ?? null },
  }),
  cancelled: (data: lectures.SessionCancelled, eventTime: string): LectureSessionChange => ({
    sessionId: sessionIdOf(data.sessionId || data.session?.sessionId, 'cancelled'),
    status: 'cancelled',
    attendance: 0,
    version: versionOf(data.cancelledAt, eventTime),
    facts: data.session === undefined ? null : factsOf(data.session),
  }),
  held: (data: lectures.SessionHeld, eventTime: string): LectureSessionChange => ({
    sessionId: sessionIdOf(data.session?.sessionId, 'held'),
    status: 'held',
    attendance: data.attendanceCount,
    version: versionOf(data.heldAt, eventTime),
    facts: data.session === undefined ? null : factsOf(data.session),
  }),
};

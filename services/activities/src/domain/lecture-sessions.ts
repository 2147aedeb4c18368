/**
 * Lecture sessions as a campaign counts them (the April learning month counts
 * lecture sessions toward its goals): activities keeps its own copy of each
 * session from the lectures service's events, and this rule decides whether a
 * change applies, whatever order the changes arrive in.
 *
 * Each change carries the time it happened in lectures (its version). A
 * change applies when it is newer than the copy, except that a finished
 * session (cancelled or held) takes no more schedule changes: a stale
 * reschedule delivered after the cancellation, or a scheduling delivered last,
 * never brings it back. Between the two finishes the newer one wins. A change
 * no newer than the copy (a redelivery, or a change of the same instant)
 * changes nothing.
 */

export const LECTURE_SESSION_STATUSES = ['scheduled', 'cancelled', 'held'] as const;
export type LectureSessionStatus = (typeof LECTURE_SESSION_STATUSES)[number];

/** Statuses after which a session's schedule no longer changes. */
const FINISHED: ReadonlySet<LectureSessionStatus> = new Set(['cancelled', 'held']);

/** Statuses a campaign counts: on the programme or held, never cancelled. */
export const COUNTED_LECTURE_SESSION_STATUSES: readonly LectureSessionStatus[] = [
  'scheduled',
  'held',
];

/** What a session event says of the session itself: where, when, for which campaign. */
export interface LectureSessionFacts {
  /** The campaign it counts toward; null when none. */
  readonly campaignId: string | null;
  /** The township or street of its venue. */
  readonly townshipCode: string | null;
  /** From the city down to the venue's place. */
  readonly jurisdictionPath: readonly string[];
  readonly startsAt: Date | null;
}

/** A cancellation that arrives before anything else, without the session: nothing is known of it. */
const UNKNOWN_FACTS: LectureSessionFacts = {
  campaignId: null,
  townshipCode: null,
  jurisdictionPath: [],
  startsAt: null,
};

export interface LectureSession extends LectureSessionFacts {
  readonly sessionId: string;
  readonly status: LectureSessionStatus;
  /** Attendance registration recorded, as the held session reported it; 0 until then. */
  readonly attendance: number;
  /** When the change this copy reflects happened in lectures. */
  readonly version: Date;
}

/** One of lectures' session events, reduced to what the copy holds. */
export interface LectureSessionChange {
  readonly sessionId: string;
  readonly status: LectureSessionStatus;
  readonly attendance: number;
  readonly version: Date;
  /** Null when the event does not carry the session (an older cancellation): the copy keeps its own. */
  readonly facts: LectureSessionFacts | null;
}

/** The copy after `change`, or null when the change does not apply to `current`. */
export function applyLectureSessionChange(
  current: LectureSession | null,
  change: LectureSessionChange,
): LectureSession | null {
  if (current !== null) {
    if (change.version.getTime() <= current.version.getTime()) return null;
    if (FINISHED.has(current.status) && !FINISHED.has(change.status)) return null;
  }
  const { facts, ...rest } = change;
  return { ...(facts ?? current ?? UNKNOWN_FACTS), ...rest };
}

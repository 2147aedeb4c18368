/**
 * When a session counts as held: it was not cancelled and its end lies a
 * grace period behind, so the attendance officers confirm right after the
 * lecture (registration takes it only once the session has ended) is in the
 * count that SessionHeld publishes.
 */
import type { SessionStatus } from './sessions.js';

export interface HeldCandidate {
  readonly status: SessionStatus;
  readonly endsAt: Date;
}

/** The latest end a session may have to be marked held at `now`. */
export const heldCutoff = (now: Date, graceMs: number): Date => new Date(now.getTime() - graceMs);

/** Whether the session is due to be marked held at `now`. */
export const isHeldDue = (session: HeldCandidate, now: Date, graceMs: number): boolean =>
  session.status === 'scheduled' && session.endsAt.getTime() <= heldCutoff(now, graceMs).getTime();

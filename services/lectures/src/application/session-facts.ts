/**
 * What feedback, attendance and the held marking read of a session: enough
 * for its `SessionSummary` (see session-summary.ts) and its status.
 */
import type { SessionStatus } from '../domain/sessions.js';
import type { SummarySource } from './session-summary.js';

export interface SessionFacts extends SummarySource {
  readonly status: SessionStatus;
}

/** Sessions by id, as the slices outside scheduling read them. */
export interface SessionDirectory {
  get(id: string): Promise<SessionFacts | null>;
}

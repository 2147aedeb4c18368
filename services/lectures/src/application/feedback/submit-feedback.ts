/**
 * An attendee rates a session, once, from its start on, and may add a short
 * comment. A comment with a blocked word is stored flagged and waits for the
 * forum manager's review. FeedbackSubmitted (no comment text, no identity)
 * goes out with the insert, in the same document.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '@learning/auth';
import { lectureEvents } from '@learning/contracts';
import { domainCall } from '@learning/domain';
import { newEvent } from '@learning/events';
import {
  assertRateable,
  attendingParticipant,
  commentStatusOf,
  normalizeComment,
  validateRating,
} from '../../domain/feedback.js';
import type { SessionDirectory } from '../session-facts.js';
import { sessionSummaryOf } from '../session-summary.js';
import { sessionNotFound } from './errors.js';
import type { AttendanceRegister, FeedbackRepository, StoredFeedback } from './ports.js';

export interface SubmitFeedbackRequest {
  readonly rating: number;
  readonly comment?: string | null;
}

export interface SubmitFeedbackDeps {
  readonly sessions: SessionDirectory;
  readonly attendance: AttendanceRegister;
  readonly feedback: FeedbackRepository;
  /** The blocked words, folded (`foldedWordList`). */
  readonly blockedWords: readonly string[];
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export function submitFeedback(deps: SubmitFeedbackDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    sessionId: string,
    request: SubmitFeedbackRequest,
  ): Promise<StoredFeedback> => {
    const { rating, comment } = domainCall(() => ({
      rating: validateRating(request.rating),
      comment: normalizeComment(request.comment),
    }));
    const session = await deps.sessions.get(sessionId);
    if (session === null) throw sessionNotFound();
    const now = deps.clock();
    domainCall(() => {
      assertRateable(session, now);
    });
    const attendee = await deps.attendance.attendeeOf(session.id, principal.subject);
    const participantId = domainCall(() => attendingParticipant(attendee));
    const { status, flagged } = commentStatusOf(comment, deps.blockedWords);
    const id = newId();
    return deps.feedback.add({
      id,
      sessionId: session.id,
      forumId: session.forumId,
      speakerIds: [...session.speakerIds],
      jurisdictionPath: [...session.jurisdictionPath],
      accountSubject: principal.subject,
      participantId,
      rating,
      comment,
      flagged,
      commentStatus: status,
      submittedAt: now,
      events: [
        newEvent(lectureEvents.FeedbackSubmitted, id, {
          feedbackId: id,
          session: sessionSummaryOf(session),
          rating,
          hasComment: comment !== null,
          flagged,
          submittedAt: now,
        }),
      ],
    });
  };
}

export type SubmitFeedback = ReturnType<typeof submitFeedback>;

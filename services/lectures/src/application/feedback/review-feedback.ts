/**
 * A forum's manager (or the office) decides on a flagged comment: publish it
 * in the lists, or keep it hidden. The decision can be changed; each one is
 * in the audit log.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import { reviewedStatus, type ReviewDecision } from '../../domain/feedback.js';
import { moderatedForum } from './access.js';
import { feedbackNotFound } from './errors.js';
import type { FeedbackRepository, ForumDirectory, StoredFeedback } from './ports.js';

export interface ReviewFeedbackDeps {
  readonly feedback: FeedbackRepository;
  readonly forums: ForumDirectory;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

/** What the audit log shows of a review: never the comment, never its author. */
const auditView = (feedback: StoredFeedback) => ({
  sessionId: feedback.sessionId,
  forumId: feedback.forumId,
  commentStatus: feedback.commentStatus,
});

export function reviewFeedback(deps: ReviewFeedbackDeps) {
  return async (
    principal: Principal,
    feedbackId: string,
    decision: ReviewDecision,
  ): Promise<StoredFeedback> => {
    const feedback = await deps.feedback.get(feedbackId);
    if (feedback === null) throw feedbackNotFound();
    await moderatedForum(deps.forums, principal, feedback.forumId);
    const commentStatus = domainCall(() => reviewedStatus(feedback.flagged, decision));
    const now = deps.clock();
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'feedback.review',
      entityType: 'feedback',
      entityId: feedback.id,
      jurisdictionPath: feedback.jurisdictionPath,
      before: auditView(feedback),
      after: auditView({ ...feedback, commentStatus }),
      reason: decision,
    });
    return deps.feedback.review(
      feedback,
      commentStatus,
      { decision, reviewedBy: principal.subject, reviewedAt: now },
      [audit],
    );
  };
}

export type ReviewFeedback = ReturnType<typeof reviewFeedback>;

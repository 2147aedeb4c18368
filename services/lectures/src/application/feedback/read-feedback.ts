/**
 * The aggregates (public: per session, per speaker, per forum), the forum
 * managers' lists, and an expert's own feedback. Comments shown to the public
 * or to speakers are published ones only; no view names who gave feedback.
 */
import { requireRole, type Principal } from '@learning/auth';
import type { CommentStatus, RatingSummary } from '../../domain/feedback.js';
import type { SessionDirectory } from '../session-facts.js';
import { moderatedForum } from './access.js';
import { expertNotFound, forumNotFound, sessionNotFound } from './errors.js';
import type {
  ExpertDirectory,
  FeedbackRepository,
  ForumDirectory,
  Page,
  StoredFeedback,
} from './ports.js';

/** Comments a session's public summary shows, newest first. */
export const SUMMARY_COMMENTS = 20;

export interface ReadFeedbackDeps {
  readonly sessions: SessionDirectory;
  readonly forums: ForumDirectory;
  readonly experts: ExpertDirectory;
  readonly feedback: FeedbackRepository;
}

export interface PageRequest {
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface SessionFeedbackSummary {
  readonly summary: RatingSummary;
  readonly comments: readonly StoredFeedback[];
}

export interface ExpertFeedback {
  readonly expertId: string;
  readonly summary: RatingSummary;
  readonly comments: Page<StoredFeedback>;
}

export function feedbackReads(deps: ReadFeedbackDeps) {
  const { sessions, forums, experts, feedback } = deps;
  return {
    async sessionSummary(sessionId: string): Promise<SessionFeedbackSummary> {
      if ((await sessions.get(sessionId)) === null) throw sessionNotFound();
      const [summary, comments] = await Promise.all([
        feedback.summary({ sessionId }),
        feedback.list({
          of: { sessionId },
          commentStatus: 'published',
          pageSize: SUMMARY_COMMENTS,
        }),
      ]);
      return { summary, comments: comments.items };
    },

    async expertSummary(expertId: string): Promise<RatingSummary> {
      if (!(await experts.exists(expertId))) throw expertNotFound();
      return feedback.summary({ speakerId: expertId });
    },

    async forumSummary(forumId: string): Promise<RatingSummary> {
      if ((await forums.get(forumId)) === null) throw forumNotFound();
      return feedback.summary({ forumId });
    },

    async forumFeedback(
      principal: Principal,
      forumId: string,
      query: PageRequest & { readonly flagged?: boolean; readonly commentStatus?: CommentStatus },
    ): Promise<Page<StoredFeedback>> {
      await moderatedForum(forums, principal, forumId);
      return feedback.list({ ...query, of: { forumId } });
    },

    async myFeedback(principal: Principal, page: PageRequest): Promise<ExpertFeedback> {
      requireRole(principal, 'expert');
      const expertId = await experts.idOfAccount(principal.subject);
      if (expertId === null) throw expertNotFound();
      const [summary, comments] = await Promise.all([
        feedback.summary({ speakerId: expertId }),
        feedback.list({ ...page, of: { speakerId: expertId }, commentStatus: 'published' }),
      ]);
      return { expertId, summary, comments };
    },
  };
}

export type FeedbackReads = ReturnType<typeof feedbackReads>;

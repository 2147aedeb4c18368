/**
 * What the feedback slice reads and writes: sessions (scheduling's), the
 * attendance copy, forums and experts (the catalogue's), and its own store.
 */
import type { OutboxEntry } from '@learning/events';
import type {
  CommentStatus,
  Rating,
  RatingSummary,
  ReviewDecision,
} from '../../domain/feedback.js';

export interface AttendanceRegister {
  /** The participant registration recorded as `accountSubject` attending the session (while it stands), or null. */
  attendeeOf(sessionId: string, accountSubject: string): Promise<string | null>;
}

export interface ForumManagers {
  readonly id: string;
  /** Account subjects of the forum's managers. */
  readonly managerSubjects: readonly string[];
}

export interface ForumDirectory {
  get(id: string): Promise<ForumManagers | null>;
}

export interface ExpertDirectory {
  /** The expert's id when there is one. */
  exists(id: string): Promise<boolean>;
  /** The id of the expert who is this account, or null. */
  idOfAccount(accountSubject: string): Promise<string | null>;
}

export interface FeedbackReview {
  readonly decision: ReviewDecision;
  readonly reviewedBy: string;
  readonly reviewedAt: Date;
}

export interface StoredFeedback {
  readonly id: string;
  readonly sessionId: string;
  readonly forumId: string;
  readonly speakerIds: readonly string[];
  readonly jurisdictionPath: readonly string[];
  readonly rating: Rating;
  readonly comment: string | null;
  readonly flagged: boolean;
  readonly commentStatus: CommentStatus;
  readonly review: FeedbackReview | null;
  readonly withdrawn: boolean;
  readonly submittedAt: Date;
  readonly version: number;
}

export interface NewFeedback extends Omit<StoredFeedback, 'version' | 'review' | 'withdrawn'> {
  readonly accountSubject: string;
  /** Registration's id of the author: the person's rights reach the feedback by it. */
  readonly participantId: string;
  readonly events: readonly OutboxEntry[];
}

/** Which feedback an aggregate or a list is over. */
export type FeedbackOf =
  { readonly sessionId: string } | { readonly forumId: string } | { readonly speakerId: string };

export interface FeedbackQuery {
  readonly of: FeedbackOf;
  /** Only flagged (true) or only unflagged (false) comments. */
  readonly flagged?: boolean;
  readonly commentStatus?: CommentStatus;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface FeedbackRepository {
  /** FEEDBACK_ALREADY_EXISTS when the attendee rated the session before. */
  add(feedback: NewFeedback): Promise<StoredFeedback>;
  get(id: string): Promise<StoredFeedback | null>;
  /** VERSION_CONFLICT when it changed since read. */
  review(
    feedback: StoredFeedback,
    commentStatus: CommentStatus,
    review: FeedbackReview,
    events: readonly OutboxEntry[],
  ): Promise<StoredFeedback>;
  /** Ratings of feedback whose attendance stands. */
  summary(of: FeedbackOf): Promise<RatingSummary>;
  /** Newest first; never withdrawn feedback. */
  list(query: FeedbackQuery): Promise<Page<StoredFeedback>>;
}

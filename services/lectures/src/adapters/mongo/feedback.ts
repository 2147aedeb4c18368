/**
 * Feedback on sessions in MongoDB: one document per attendee per session
 * (unique), carrying its FeedbackSubmitted event in its outbox, so the rating
 * and its event are one insert. The forum, the speakers and the place are
 * copied from the session, so the aggregates per forum and per speaker and
 * the forum managers' lists are one indexed query each. `accountSubject` is
 * kept for the once-per-attendee rule and the attendance link; no response
 * and no event carries it.
 */
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { scopedFields, type ScopedDocument } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  COMMENT_STATUSES,
  REVIEW_DECISIONS,
  type CommentStatus,
  type ReviewDecision,
} from '../../domain/feedback.js';

export interface FeedbackReviewDocument {
  decision: ReviewDecision;
  reviewedBy: string;
  reviewedAt: Date;
}

export interface FeedbackDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  sessionId: string;
  forumId: string;
  /** Expert ids of the session's speakers when the feedback was given. */
  speakerIds: string[];
  accountSubject: string;
  /**
   * Registration's id of the author, from the attendance copy when given (the
   * person's rights reach the feedback by it, also once the attendance is
   * withdrawn). Absent on feedback stored before it was kept.
   */
  participantId?: string;
  rating: number;
  /** NFC, trimmed; null when none was given. */
  comment: string | null;
  /** Whether the comment contained a blocked word when given. */
  flagged: boolean;
  commentStatus: CommentStatus;
  review: FeedbackReviewDocument | null;
  /** The author's attendance was withdrawn: kept, but out of aggregates and lists. */
  withdrawn: boolean;
  submittedAt: Date;
  updatedAt: Date;
}

const reviewSchema = new Schema<FeedbackReviewDocument>(
  {
    decision: { type: String, required: true, enum: REVIEW_DECISIONS },
    reviewedBy: { type: String, required: true },
    reviewedAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const feedbackSchema = new Schema<FeedbackDocument>(
  {
    _id: { type: String, required: true },
    sessionId: { type: String, required: true },
    forumId: { type: String, required: true },
    speakerIds: { type: [String], default: [] },
    accountSubject: { type: String, required: true },
    participantId: { type: String },
    rating: { type: Number, required: true, min: 1, max: 5 },
    comment: { type: String, default: null },
    flagged: { type: Boolean, required: true },
    commentStatus: { type: String, required: true, enum: COMMENT_STATUSES },
    review: { type: reviewSchema, default: null },
    withdrawn: { type: Boolean, required: true, default: false },
    jurisdictionPath: scopedFields.jurisdictionPath,
    submittedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'feedback', versionKey: false, strict: 'throw' },
);
feedbackSchema.plugin(outboxPlugin);
feedbackSchema.path('outbox').select(false);
// Once per attendee per session, whatever the interleaving of requests.
feedbackSchema.index({ sessionId: 1, accountSubject: 1 }, { unique: true });
// A session's aggregate and its newest comments.
feedbackSchema.index({ sessionId: 1, submittedAt: -1, _id: -1 });
// A forum's list for its managers (all, or the flagged), newest first, and its aggregate.
feedbackSchema.index({ forumId: 1, submittedAt: -1, _id: -1 });
feedbackSchema.index({ forumId: 1, flagged: 1, submittedAt: -1, _id: -1 });
// A person's feedback, for their copy and erasure (decision 0022).
feedbackSchema.index({ participantId: 1 }, { sparse: true });
// A speaker's aggregate and published comments.
feedbackSchema.index({ speakerIds: 1, submittedAt: -1, _id: -1 });

export const feedbackModel = (connection: Connection): Model<FeedbackDocument> =>
  connection.model<FeedbackDocument>('Feedback', feedbackSchema);

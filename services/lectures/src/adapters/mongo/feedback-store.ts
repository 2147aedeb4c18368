/**
 * The feedback store: inserts with their events, the forum managers'
 * reviews, keyset-paged lists, and the aggregates, computed by one `$group`
 * over the ratings of the session, forum or speaker (indexed on each).
 */
import { Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import type { Logger } from '@learning/logger';
import { ScopedRepository, type Stored } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import type { FeedbackStanding } from '../../application/attendance/ports.js';
import {
  feedbackAlreadyGiven,
  FEEDBACK_ALREADY_EXISTS,
} from '../../application/feedback/errors.js';
import type {
  FeedbackOf,
  FeedbackQuery,
  FeedbackRepository,
  FeedbackReview,
  NewFeedback,
  Page,
  StoredFeedback,
} from '../../application/feedback/ports.js';
import {
  summarize,
  type CommentStatus,
  type Rating,
  type RatingSummary,
} from '../../domain/feedback.js';
import type { FeedbackDocument } from './feedback.js';

/** Feedback is read by id, forum, session or speaker once access is settled, never by area. */
const ANYWHERE = Scope.cityWide();

export const feedbackDocumentOf = (feedback: NewFeedback): Omit<FeedbackDocument, 'version'> => ({
  _id: feedback.id,
  sessionId: feedback.sessionId,
  forumId: feedback.forumId,
  speakerIds: [...feedback.speakerIds],
  accountSubject: feedback.accountSubject,
  participantId: feedback.participantId,
  rating: feedback.rating,
  comment: feedback.comment,
  flagged: feedback.flagged,
  commentStatus: feedback.commentStatus,
  review: null,
  withdrawn: false,
  jurisdictionPath: [...feedback.jurisdictionPath],
  submittedAt: feedback.submittedAt,
  updatedAt: feedback.submittedAt,
  ...insertWithEvents(feedback.events),
});

const toStored = (doc: Stored<FeedbackDocument>): StoredFeedback => ({
  id: doc._id,
  sessionId: doc.sessionId,
  forumId: doc.forumId,
  speakerIds: doc.speakerIds,
  jurisdictionPath: doc.jurisdictionPath,
  rating: doc.rating as Rating,
  comment: doc.comment,
  flagged: doc.flagged,
  commentStatus: doc.commentStatus,
  review:
    doc.review == null
      ? null
      : {
          decision: doc.review.decision,
          reviewedBy: doc.review.reviewedBy,
          reviewedAt: doc.review.reviewedAt,
        },
  withdrawn: doc.withdrawn,
  submittedAt: doc.submittedAt,
  version: doc.version,
});

const filterOf = (of: FeedbackOf): Record<string, string> =>
  'sessionId' in of
    ? { sessionId: of.sessionId }
    : 'forumId' in of
      ? { forumId: of.forumId }
      : { speakerIds: of.speakerId };

export class MongoFeedbackRepository
  extends ScopedRepository<FeedbackDocument>
  implements FeedbackRepository, FeedbackStanding
{
  constructor(model: Model<FeedbackDocument>, logger: Logger) {
    super(model, { entity: 'FEEDBACK', logger });
  }

  async add(feedback: NewFeedback): Promise<StoredFeedback> {
    try {
      return toStored(await this.insert(ANYWHERE, feedbackDocumentOf(feedback)));
    } catch (error) {
      // The unique (session, account) key, said in the slice's words.
      if (error instanceof AppError && error.code === FEEDBACK_ALREADY_EXISTS)
        throw feedbackAlreadyGiven();
      throw error;
    }
  }

  async get(id: string): Promise<StoredFeedback | null> {
    const doc = await this.findById(ANYWHERE, id);
    return doc === null ? null : toStored(doc);
  }

  async review(
    feedback: StoredFeedback,
    commentStatus: CommentStatus,
    review: FeedbackReview,
    events: readonly OutboxEntry[],
  ): Promise<StoredFeedback> {
    const doc = await this.updateVersioned(
      ANYWHERE,
      feedback.id,
      feedback.version,
      updateWithEvents<FeedbackDocument>(
        { $set: { commentStatus, review: { ...review }, updatedAt: review.reviewedAt } },
        events,
      ),
    );
    return toStored(doc);
  }

  async summary(of: FeedbackOf): Promise<RatingSummary> {
    const groups = await this.model.aggregate<{ _id: number; count: number }>([
      { $match: { ...filterOf(of), withdrawn: false } },
      { $group: { _id: '$rating', count: { $sum: 1 } } },
    ]);
    return summarize(new Map(groups.map((group) => [group._id, group.count])));
  }

  async list(query: FeedbackQuery): Promise<Page<StoredFeedback>> {
    const filter: RootFilterQuery<FeedbackDocument> = { ...filterOf(query.of), withdrawn: false };
    if (query.flagged !== undefined) filter.flagged = query.flagged;
    if (query.commentStatus !== undefined) filter.commentStatus = query.commentStatus;
    const page = await this.page(ANYWHERE, {
      filter,
      sort: { field: 'submittedAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }

  async setWithdrawn(sessionId: string, accountSubject: string, withdrawn: boolean): Promise<void> {
    await this.model.updateOne(
      { sessionId, accountSubject, withdrawn: !withdrawn },
      { $set: { withdrawn }, $inc: { version: 1 } },
    );
  }
}

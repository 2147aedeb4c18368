/**
 * Feedback on sessions: attendees rate and comment, forum managers review
 * flagged comments, aggregates per session, speaker and forum (REST), and
 * FeedbackSubmitted from the feedback documents' outbox.
 */
import { listOf } from '@learning/config';
import { registerFeedbackRoutes } from '../adapters/http/feedback.js';
import { attendanceModel } from '../adapters/mongo/attendance.js';
import { MongoAttendanceStore } from '../adapters/mongo/attendance-store.js';
import { forumModel } from '../adapters/mongo/catalogue.js';
import { expertModel } from '../adapters/mongo/experts.js';
import { feedbackModel } from '../adapters/mongo/feedback.js';
import { MongoExpertIds, MongoForumManagers } from '../adapters/mongo/feedback-directories.js';
import { MongoFeedbackRepository } from '../adapters/mongo/feedback-store.js';
import { MongoSessionFacts } from '../adapters/mongo/session-facts.js';
import { sessionModel } from '../adapters/mongo/sessions.js';
import { feedbackReads } from '../application/feedback/read-feedback.js';
import { reviewFeedback } from '../application/feedback/review-feedback.js';
import { submitFeedback } from '../application/feedback/submit-feedback.js';
import { foldedWordList } from '../domain/feedback.js';
import type { Module } from '../platform.js';

export const feedbackModule: Module = (platform) => {
  const { mongo, logger, http, audit, clock, config } = platform;
  const model = feedbackModel(mongo);
  platform.publishOutboxOf(model);
  const feedback = new MongoFeedbackRepository(model, logger);
  const sessions = new MongoSessionFacts(sessionModel(mongo));
  const forums = new MongoForumManagers(forumModel(mongo));

  registerFeedbackRoutes(http, {
    submitFeedback: submitFeedback({
      sessions,
      attendance: new MongoAttendanceStore(attendanceModel(mongo)),
      feedback,
      blockedWords: foldedWordList(listOf(config.FEEDBACK_BLOCKED_WORDS)),
      clock,
    }),
    reviewFeedback: reviewFeedback({ feedback, forums, audit, clock }),
    reads: feedbackReads({
      sessions,
      forums,
      experts: new MongoExpertIds(expertModel(mongo)),
      feedback,
    }),
  });
};

/** The feedback routes: translate HTTP to the use cases and back, deciding nothing. */
import {
  DEFAULT_PAGE_SIZE,
  PageOf,
  pageQueryFields,
  principalOf,
  Text,
  UUID_PATTERN,
  Uuid,
  type HttpServer,
} from '@learning/http';
import { Type } from '@sinclair/typebox';
import type { FeedbackReads } from '../../application/feedback/read-feedback.js';
import type { ReviewFeedback } from '../../application/feedback/review-feedback.js';
import type { StoredFeedback } from '../../application/feedback/ports.js';
import type { SubmitFeedback } from '../../application/feedback/submit-feedback.js';
import {
  COMMENT_MAX_LENGTH,
  COMMENT_STATUSES,
  RATINGS,
  REVIEW_DECISIONS,
  type CommentStatus,
  type RatingSummary,
  type ReviewDecision,
} from '../../domain/feedback.js';

export interface FeedbackUseCases {
  submitFeedback: SubmitFeedback;
  reviewFeedback: ReviewFeedback;
  reads: FeedbackReads;
}

const TAG = 'feedback';
// In a route path the pattern must not be anchored: fastify anchors it itself.
const UUID_IN_PATH = UUID_PATTERN.slice(1, -1);
/** Longer bodies are refused by the schema before anything is normalized or counted. */
const COMMENT_RAW_MAX = COMMENT_MAX_LENGTH * 4;

const CommentStatusSchema = Type.Unsafe<CommentStatus>(
  Type.String({
    enum: [...COMMENT_STATUSES],
    description:
      'none (no comment), published, pending_review (flagged, waiting for a manager), hidden.',
  }),
);
const Decision = Type.Unsafe<ReviewDecision>(Type.String({ enum: [...REVIEW_DECISIONS] }));
const DateTime = Type.String({ format: 'date-time' });

const SubmitBody = Type.Object(
  {
    // A number, so a fraction or 0 is answered with the rule's own code rather than the schema's.
    rating: Type.Number({ description: 'A whole number from 1 to 5 (FEEDBACK_RATING_INVALID).' }),
    comment: Type.Optional(
      Type.Union([
        Text(COMMENT_RAW_MAX, {
          description: `At most ${COMMENT_MAX_LENGTH} characters once normalized to NFC (FEEDBACK_COMMENT_TOO_LONG); blank is none.`,
        }),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);
const ReviewBody = Type.Object({ decision: Decision }, { additionalProperties: false });

const ForumFeedbackQuery = Type.Object(
  {
    flagged: Type.Optional(
      Type.Boolean({ description: 'true: the flagged comments only (the review queue).' }),
    ),
    commentStatus: Type.Optional(CommentStatusSchema),
    ...pageQueryFields,
  },
  { additionalProperties: false },
);
const PageQuery = Type.Object({ ...pageQueryFields }, { additionalProperties: false });
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

const Summary = Type.Object({
  count: Type.Integer({ description: 'Ratings counted (attendance withdrawn: not counted).' }),
  mean: Type.Union([Type.Number(), Type.Null()], {
    description: 'Rounded to two decimals; null when nobody rated.',
  }),
  distribution: Type.Object(
    Object.fromEntries(RATINGS.map((rating) => [String(rating), Type.Integer()])),
    { description: 'Ratings per value, 1 to 5.' },
  ),
});

const PublicComment = Type.Object({
  sessionId: Type.String(),
  rating: Type.Integer(),
  comment: Type.String(),
  submittedAt: DateTime,
});

const OwnFeedback = Type.Object({
  id: Type.String(),
  sessionId: Type.String(),
  rating: Type.Integer(),
  comment: Type.Union([Type.String(), Type.Null()]),
  commentStatus: CommentStatusSchema,
  submittedAt: DateTime,
});

const ModeratedFeedback = Type.Object({
  id: Type.String(),
  sessionId: Type.String(),
  rating: Type.Integer(),
  comment: Type.Union([Type.String(), Type.Null()]),
  flagged: Type.Boolean(),
  commentStatus: CommentStatusSchema,
  review: Type.Union([
    Type.Object({ decision: Decision, reviewedBy: Type.String(), reviewedAt: DateTime }),
    Type.Null(),
  ]),
  submittedAt: DateTime,
  version: Type.Integer(),
});

const summaryResponse = (summary: RatingSummary) => ({
  count: summary.count,
  mean: summary.mean,
  distribution: { ...summary.distribution },
});

const publicComment = (feedback: StoredFeedback) => ({
  sessionId: feedback.sessionId,
  rating: feedback.rating,
  comment: feedback.comment ?? '',
  submittedAt: feedback.submittedAt.toISOString(),
});

const ownResponse = (feedback: StoredFeedback) => ({
  id: feedback.id,
  sessionId: feedback.sessionId,
  rating: feedback.rating,
  comment: feedback.comment,
  commentStatus: feedback.commentStatus,
  submittedAt: feedback.submittedAt.toISOString(),
});

const moderatedResponse = (feedback: StoredFeedback) => ({
  id: feedback.id,
  sessionId: feedback.sessionId,
  rating: feedback.rating,
  comment: feedback.comment,
  flagged: feedback.flagged,
  commentStatus: feedback.commentStatus,
  review:
    feedback.review === null
      ? null
      : {
          decision: feedback.review.decision,
          reviewedBy: feedback.review.reviewedBy,
          reviewedAt: feedback.review.reviewedAt.toISOString(),
        },
  submittedAt: feedback.submittedAt.toISOString(),
  version: feedback.version,
});

const MODERATORS = "The forum's managers and city admins";

export function registerFeedbackRoutes(http: HttpServer, useCases: FeedbackUseCases): void {
  const { reads } = useCases;

  http.post(
    '/v1/sessions/:id/feedback',
    {
      config: { idempotency: 'required' },
      schema: {
        tags: [TAG],
        summary: 'Rate a session you attended',
        description:
          'Attendees only (registration recorded their attendance), once per session, from its ' +
          'start on; needs an Idempotency-Key. A comment with a blocked word is kept for the ' +
          "forum manager's review and shown nowhere until then. Publishes FeedbackSubmitted " +
          '(no comment, no identity). Errors: 400 FEEDBACK_RATING_INVALID, ' +
          'FEEDBACK_COMMENT_TOO_LONG, VALIDATION_FAILED; 403 FEEDBACK_NOT_ATTENDEE; 404 ' +
          'FEEDBACK_SESSION_NOT_FOUND; 409 FEEDBACK_ALREADY_EXISTS, FEEDBACK_SESSION_NOT_STARTED, ' +
          'FEEDBACK_SESSION_CANCELLED.',
        params: IdParams,
        body: SubmitBody,
        response: { 201: OwnFeedback },
      },
    },
    async (request, reply) => {
      const feedback = await useCases.submitFeedback(
        principalOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(ownResponse(feedback));
    },
  );

  http.get(
    '/v1/sessions/:id/feedback/summary',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: "A session's ratings and its newest published comments",
        description:
          'Public. Count, mean and distribution of the ratings, and the 20 newest published ' +
          'comments, without their authors. Errors: 404 FEEDBACK_SESSION_NOT_FOUND.',
        params: IdParams,
        response: {
          200: Type.Object({
            sessionId: Type.String(),
            summary: Summary,
            comments: Type.Array(PublicComment),
          }),
        },
      },
    },
    async (request) => {
      const { summary, comments } = await reads.sessionSummary(request.params.id);
      return {
        sessionId: request.params.id,
        summary: summaryResponse(summary),
        comments: comments.map(publicComment),
      };
    },
  );

  http.get(
    '/v1/forums/:id/feedback',
    {
      schema: {
        tags: [TAG],
        summary: "A forum's feedback with its comments, newest first",
        description:
          `${MODERATORS}; flagged=true is the review queue. Never names who gave it. Errors: ` +
          '400 CURSOR_INVALID, VALIDATION_FAILED; 403 FEEDBACK_FORUM_FORBIDDEN (a forum you do ' +
          'not manage); 404 FEEDBACK_FORUM_NOT_FOUND.',
        params: IdParams,
        querystring: ForumFeedbackQuery,
        response: { 200: PageOf(ModeratedFeedback) },
      },
    },
    async (request) => {
      const { pageSize, ...query } = request.query;
      const page = await reads.forumFeedback(principalOf(request), request.params.id, {
        ...query,
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
      });
      return { items: page.items.map(moderatedResponse), nextPageToken: page.nextPageToken };
    },
  );

  http.get(
    '/v1/forums/:id/feedback/summary',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: "A forum's ratings over all its sessions",
        description: 'Public. Errors: 404 FEEDBACK_FORUM_NOT_FOUND.',
        params: IdParams,
        response: { 200: Type.Object({ forumId: Type.String(), summary: Summary }) },
      },
    },
    async (request) => ({
      forumId: request.params.id,
      summary: summaryResponse(await reads.forumSummary(request.params.id)),
    }),
  );

  // '::' is fastify's escape for a literal colon (AIP-136 custom method); the id needs its own
  // pattern in the path, or the router would read "id::review" as the parameter's name.
  http.post(
    `/v1/feedback/:id(${UUID_IN_PATH})::review`,
    {
      schema: {
        tags: [TAG],
        summary: 'Publish or hide a flagged comment',
        description:
          `${MODERATORS} of the feedback's forum; the decision can be changed, and each is in ` +
          'the audit log. Errors: 400 VALIDATION_FAILED; 403 FEEDBACK_FORUM_FORBIDDEN; 404 ' +
          'FEEDBACK_NOT_FOUND; 409 FEEDBACK_NOT_FLAGGED, VERSION_CONFLICT.',
        params: IdParams,
        body: ReviewBody,
        response: { 200: ModeratedFeedback },
      },
    },
    async (request) =>
      moderatedResponse(
        await useCases.reviewFeedback(
          principalOf(request),
          request.params.id,
          request.body.decision,
        ),
      ),
  );

  http.get(
    '/v1/experts/me/feedback',
    {
      config: { roles: ['expert'] },
      schema: {
        tags: [TAG],
        summary: 'The feedback on your lectures',
        description:
          'Experts: the ratings of the sessions you spoke at and their published comments, ' +
          'newest first, never who gave them. Errors: 400 CURSOR_INVALID; 403 ROLE_REQUIRED; ' +
          '404 FEEDBACK_EXPERT_NOT_FOUND (your account is not in the pool).',
        querystring: PageQuery,
        response: {
          200: Type.Object({
            expertId: Type.String(),
            summary: Summary,
            items: Type.Array(PublicComment),
            nextPageToken: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { pageSize, pageToken } = request.query;
      const mine = await reads.myFeedback(principalOf(request), {
        pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      return {
        expertId: mine.expertId,
        summary: summaryResponse(mine.summary),
        items: mine.comments.items.map(publicComment),
        nextPageToken: mine.comments.nextPageToken,
      };
    },
  );

  http.get(
    '/v1/experts/:id/feedback/summary',
    {
      config: { auth: 'none' },
      schema: {
        tags: [TAG],
        summary: "A speaker's ratings over all their sessions",
        description: 'Public. Errors: 404 FEEDBACK_EXPERT_NOT_FOUND.',
        params: IdParams,
        response: { 200: Type.Object({ expertId: Type.String(), summary: Summary }) },
      },
    },
    async (request) => ({
      expertId: request.params.id,
      summary: summaryResponse(await reads.expertSummary(request.params.id)),
    }),
  );
}

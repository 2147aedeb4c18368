import { AppError } from '@learning/errors';
import { lectures } from '@learning/proto';
import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { feedbackReads } from '../../../src/application/feedback/read-feedback.js';
import { reviewFeedback } from '../../../src/application/feedback/review-feedback.js';
import { submitFeedback } from '../../../src/application/feedback/submit-feedback.js';
import { foldedWordList } from '../../../src/domain/feedback.js';
import {
  audit,
  FakeAttendance,
  FakeExperts,
  FakeFeedback,
  FakeForums,
  FakeSessions,
  person,
  session,
  T1,
} from './feedback-fakes.js';

const DURING = new Date('2026-04-10T10:00:00Z');
const BEFORE = new Date('2026-04-10T08:59:59Z');

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await rejectionOf(promise);
  if (!(error instanceof AppError)) throw error;
  return error.code;
};

function world(now = DURING) {
  const sessions = new FakeSessions(
    session(),
    session({ id: 's-cancelled', status: 'cancelled' }),
    session({ id: 's-other-forum', forumId: 'f-2', speakerIds: ['e-3'] }),
  );
  const attendance = new FakeAttendance();
  for (const [sessionId, subject] of [
    ['s-1', 'ann'],
    ['s-1', 'bob'],
    ['s-cancelled', 'ann'],
    ['s-other-forum', 'ann'],
  ] as const)
    void attendance.add({
      enrollmentId: `${sessionId}:${subject}`,
      sessionId,
      participantId: `p-${subject}`,
      accountSubject: subject,
      attendedAt: DURING,
      townshipCode: T1,
      recordedAt: DURING,
    });
  const feedback = new FakeFeedback();
  const forums = new FakeForums([
    { id: 'f-1', managerSubjects: ['manager-1'] },
    { id: 'f-2', managerSubjects: ['manager-2'] },
  ]);
  const experts = new FakeExperts(new Map([['expert-account', 'e-1']]));
  let ids = 0;
  const submit = submitFeedback({
    sessions,
    attendance,
    feedback,
    blockedWords: foldedWordList(['傻逼', 'spam']),
    clock: () => now,
    newId: () => `fb-${++ids}`,
  });
  const review = reviewFeedback({ feedback, forums, audit, clock: () => now });
  const reads = feedbackReads({ sessions, forums, experts, feedback });
  return { sessions, attendance, feedback, submit, review, reads };
}

describe('submitting feedback', () => {
  it('when an attendee rates with a clean comment, then it is published and FeedbackSubmitted carries neither text nor identity', async () => {
    const { submit, feedback } = world();

    const stored = await submit(person('ann'), 's-1', { rating: 5, comment: ' 讲得好 ' });

    expect(stored).toMatchObject({
      rating: 5,
      comment: '讲得好',
      commentStatus: 'published',
      flagged: false,
      forumId: 'f-1',
      speakerIds: ['e-1', 'e-2'],
    });
    expect(feedback.outbox).toHaveLength(1);
    const event = feedback.outbox[0];
    expect(event?.type).toBe('lectures.feedback.submitted.v1');
    const data = lectures.FeedbackSubmitted.fromJSON(event?.data);
    expect(data).toMatchObject({
      feedbackId: stored.id,
      rating: 5,
      hasComment: true,
      flagged: false,
    });
    expect(data.session).toMatchObject({ sessionId: 's-1', forumId: 'f-1', townshipCode: T1 });
    expect(JSON.stringify(event?.data)).not.toMatch(/讲得好|ann/);
  });

  it('when the comment holds a blocked word behind spaces, then it is stored flagged and waits for review', async () => {
    const { submit, feedback } = world();

    const stored = await submit(person('ann'), 's-1', { rating: 1, comment: '傻 逼' });

    expect(stored).toMatchObject({ flagged: true, commentStatus: 'pending_review' });
    expect(lectures.FeedbackSubmitted.fromJSON(feedback.outbox[0]?.data).flagged).toBe(true);
  });

  it('when someone who did not attend rates, then FEEDBACK_NOT_ATTENDEE and nothing is stored', async () => {
    const { submit, feedback } = world();

    expect(await codeOf(submit(person('cat'), 's-1', { rating: 4 }))).toBe('FEEDBACK_NOT_ATTENDEE');
    expect(feedback.stored.size).toBe(0);
    expect(feedback.outbox).toHaveLength(0);
  });

  it('when an attendee rates twice, then the second is FEEDBACK_ALREADY_EXISTS and the first stands', async () => {
    const { submit, feedback } = world();
    await submit(person('ann'), 's-1', { rating: 4 });

    expect(await codeOf(submit(person('ann'), 's-1', { rating: 1 }))).toBe(
      'FEEDBACK_ALREADY_EXISTS',
    );
    expect([...feedback.stored.values()].map((found) => found.rating)).toEqual([4]);
    expect(feedback.outbox).toHaveLength(1);
  });

  it.each([
    [{ rating: 0 }, 'FEEDBACK_RATING_INVALID'],
    [{ rating: 4.5 }, 'FEEDBACK_RATING_INVALID'],
    [{ rating: 6 }, 'FEEDBACK_RATING_INVALID'],
    [{ rating: 3, comment: '长'.repeat(501) }, 'FEEDBACK_COMMENT_TOO_LONG'],
  ])('when the request is %j, then %s and nothing is stored', async (request, code) => {
    const { submit, feedback } = world();

    expect(await codeOf(submit(person('ann'), 's-1', request))).toBe(code);
    expect(feedback.stored.size).toBe(0);
  });

  it('when the session has not started, then FEEDBACK_SESSION_NOT_STARTED', async () => {
    const { submit } = world(BEFORE);

    expect(await codeOf(submit(person('ann'), 's-1', { rating: 4 }))).toBe(
      'FEEDBACK_SESSION_NOT_STARTED',
    );
  });

  it('when the session was cancelled, then FEEDBACK_SESSION_CANCELLED', async () => {
    const { submit } = world();

    expect(await codeOf(submit(person('ann'), 's-cancelled', { rating: 4 }))).toBe(
      'FEEDBACK_SESSION_CANCELLED',
    );
  });

  it('when the session is unknown, then FEEDBACK_SESSION_NOT_FOUND', async () => {
    const { submit } = world();

    expect(await codeOf(submit(person('ann'), 's-none', { rating: 4 }))).toBe(
      'FEEDBACK_SESSION_NOT_FOUND',
    );
  });
});

describe('reviewing a flagged comment', () => {
  it("when the forum's manager publishes it, then it shows in the session's comments, with an audit record", async () => {
    const { submit, review, reads, feedback } = world();
    const flagged = await submit(person('ann'), 's-1', { rating: 2, comment: 'spam!' });
    expect((await reads.sessionSummary('s-1')).comments).toHaveLength(0);

    const reviewed = await review(person('manager-1'), flagged.id, 'publish');

    expect(reviewed).toMatchObject({
      commentStatus: 'published',
      review: { decision: 'publish', reviewedBy: 'manager-1' },
    });
    expect((await reads.sessionSummary('s-1')).comments.map((found) => found.id)).toEqual([
      flagged.id,
    ]);
    expect(feedback.outbox.map((entry) => entry.type)).toEqual([
      'lectures.feedback.submitted.v1',
      'lectures.audit.recorded.v1',
    ]);
    expect(JSON.stringify(feedback.outbox[1]?.data)).not.toMatch(/spam|ann/);
  });

  it('when a city admin hides it, then it stays out of the lists', async () => {
    const { submit, review, reads } = world();
    const flagged = await submit(person('ann'), 's-1', { rating: 2, comment: 'spam' });

    expect((await review(person('office', ['city_admin']), flagged.id, 'hide')).commentStatus).toBe(
      'hidden',
    );
    expect((await reads.sessionSummary('s-1')).comments).toHaveLength(0);
  });

  it('when the manager of another forum reviews, then FEEDBACK_FORUM_FORBIDDEN and nothing changes', async () => {
    const { submit, review, feedback } = world();
    const flagged = await submit(person('ann'), 's-1', { rating: 2, comment: 'spam' });

    expect(await codeOf(review(person('manager-2'), flagged.id, 'publish'))).toBe(
      'FEEDBACK_FORUM_FORBIDDEN',
    );
    expect(feedback.stored.get(flagged.id)?.commentStatus).toBe('pending_review');
  });

  it('when the comment was not flagged, then FEEDBACK_NOT_FLAGGED; an unknown id, FEEDBACK_NOT_FOUND', async () => {
    const { submit, review } = world();
    const clean = await submit(person('ann'), 's-1', { rating: 5, comment: '好' });

    expect(await codeOf(review(person('manager-1'), clean.id, 'hide'))).toBe(
      'FEEDBACK_NOT_FLAGGED',
    );
    expect(await codeOf(review(person('manager-1'), 'fb-none', 'hide'))).toBe('FEEDBACK_NOT_FOUND');
  });
});

describe('reading feedback', () => {
  it('when ratings of two forums exist, then each aggregate counts its own, and speakers theirs', async () => {
    const { submit, reads } = world();
    await submit(person('ann'), 's-1', { rating: 5 });
    await submit(person('bob'), 's-1', { rating: 2 });
    await submit(person('ann'), 's-other-forum', { rating: 1 });

    expect(await reads.forumSummary('f-1')).toMatchObject({ count: 2, mean: 3.5 });
    expect(await reads.forumSummary('f-2')).toMatchObject({ count: 1, mean: 1 });
    expect(await reads.expertSummary('e-1')).toMatchObject({
      count: 2,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 },
    });
    expect((await reads.sessionSummary('s-1')).summary.count).toBe(2);
  });

  it("when a manager lists their forum's flagged queue, then only flagged comments come; another forum's manager is refused", async () => {
    const { submit, reads } = world();
    await submit(person('ann'), 's-1', { rating: 5, comment: '好' });
    const flagged = await submit(person('bob'), 's-1', { rating: 1, comment: 'SPAM' });

    const queue = await reads.forumFeedback(person('manager-1'), 'f-1', {
      flagged: true,
      pageSize: 10,
    });
    expect(queue.items.map((found) => found.id)).toEqual([flagged.id]);
    expect(await codeOf(reads.forumFeedback(person('manager-2'), 'f-1', { pageSize: 10 }))).toBe(
      'FEEDBACK_FORUM_FORBIDDEN',
    );
    expect(await codeOf(reads.forumFeedback(person('manager-1'), 'f-none', { pageSize: 10 }))).toBe(
      'FEEDBACK_FORUM_NOT_FOUND',
    );
  });

  it('when an expert reads their own, then published comments of their sessions only come, and a non-expert account is refused', async () => {
    const { submit, reads } = world();
    await submit(person('ann'), 's-1', { rating: 5, comment: '好' });
    await submit(person('bob'), 's-1', { rating: 1, comment: 'spam' });
    await submit(person('ann'), 's-other-forum', { rating: 3, comment: '一般' });

    const mine = await reads.myFeedback(person('expert-account', ['expert']), { pageSize: 10 });

    expect(mine.expertId).toBe('e-1');
    expect(mine.summary.count).toBe(2);
    expect(mine.comments.items.map((found) => found.comment)).toEqual(['好']);
    expect(await codeOf(reads.myFeedback(person('ann', ['expert']), { pageSize: 10 }))).toBe(
      'FEEDBACK_EXPERT_NOT_FOUND',
    );
    expect(await codeOf(reads.myFeedback(person('expert-account'), { pageSize: 10 }))).toBe(
      'ROLE_REQUIRED',
    );
  });

  it('when the expert, forum or session is unknown, then each summary says which is not found', async () => {
    const { reads } = world();

    expect(await codeOf(reads.expertSummary('e-none'))).toBe('FEEDBACK_EXPERT_NOT_FOUND');
    expect(await codeOf(reads.forumSummary('f-none'))).toBe('FEEDBACK_FORUM_NOT_FOUND');
    expect(await codeOf(reads.sessionSummary('s-none'))).toBe('FEEDBACK_SESSION_NOT_FOUND');
  });
});

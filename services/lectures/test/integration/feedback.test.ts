/**
 * Feedback through the real adapters: the attendance copy kept from
 * registration's events (produced to Kafka as registration publishes them),
 * attendees rating, forum managers reviewing, the aggregates, and
 * FeedbackSubmitted read back from Kafka.
 */
import { randomUUID } from 'node:crypto';
import { deadLetterTopicOf, fromKafkaMessage, headerText, topics } from '@learning/events';
import { generatePiiEnvironment } from '@learning/pii';
import { lectures } from '@learning/proto';
import { call, useServiceApp } from '@learning/runtime/testing';
import {
  describeWithServers,
  eventually,
  openApiProblems,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lecturesService } from '../../src/app.js';
import { loadLecturesConfig } from '../../src/config.js';
import {
  attendanceRecorded,
  checkInInvalidated,
  enrollmentsTopic,
  expertDocument,
  forumDocument,
  insertValid,
  openDatabase,
  sessionDocument,
  T1,
  type Enrollment,
} from '../support/feedback-fixtures.js';

const SUBMITTED = 'lectures.feedback.submitted.v1';
const HOUR = 3_600_000;

describeWithServers(['mongo', 'kafka', 'redis'], 'lectures feedback', (servers) => {
  const database = uniqueName('lectures-feedback');
  const running = useServiceApp(lecturesService, servers, {
    loadConfig: loadLecturesConfig,
    environment: () => ({
      ...generatePiiEnvironment(),
      MONGODB_DATABASE: database,
      // Its own consumer groups: another lectures app of the run must not take these events.
      KAFKA_GROUP_NAMESPACE: uniqueName('lectures-feedback'),
      FEEDBACK_BLOCKED_WORDS: '傻逼,spam',
      SCHEDULER_TICK_MS: String(60 * 60_000),
    }),
  });
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let producer: Producer;
  let watch: TopicWatch;
  const tokens: Record<string, string> = {};
  const token = (name: string): string => {
    const found = tokens[name];
    if (found === undefined) throw new Error(`no token ${name}`);
    return found;
  };

  const forum1 = forumDocument({ managerSubjects: ['mgr-1'] });
  const forum2 = forumDocument({ managerSubjects: ['mgr-2'] });
  const expert1 = expertDocument({ accountSubject: 'expert-1' });
  const expert2 = expertDocument();
  const s1 = sessionDocument({ forumId: forum1._id, speakerIds: [expert1._id] });
  const s2 = sessionDocument({ forumId: forum2._id, speakerIds: [expert1._id, expert2._id] });
  const future = sessionDocument({
    forumId: forum1._id,
    startsAt: new Date(Date.now() + 24 * HOUR),
    endsAt: new Date(Date.now() + 26 * HOUR),
  });
  const cancelled = sessionDocument({ forumId: forum1._id, status: 'cancelled' });
  // Its own forum and speaker, so racing ratings there leave the other aggregates alone.
  const raced = sessionDocument();
  const enrollment = (sessionId: string, accountSubject: string, owner?: string): Enrollment => ({
    enrollmentId: randomUUID(),
    sessionId,
    accountSubject,
    ...(owner === undefined ? {} : { owner }),
  });
  const annAtS1 = enrollment(s1._id, 'ann');
  const bobAtS1 = enrollment(s1._id, 'bob');
  const attended = [
    annAtS1,
    bobAtS1,
    enrollment(s2._id, 'ann'),
    enrollment(future._id, 'ann'),
    enrollment(cancelled._id, 'ann'),
    enrollment(raced._id, 'dan'),
  ];
  // Another owner's event with the same id: acknowledged, never copied.
  const otherOwners = enrollment(s1._id, 'cat', 'activities');

  const send = (...messages: Message[]) => producer.send({ topic: enrollmentsTopic, messages });
  const attendanceOf = (sessionId: string) =>
    db.attendance.find({ sessionId }).sort({ accountSubject: 1 }).lean();
  /** Sends a marker after what was sent for the session and waits for it: all before it is handled. */
  async function settled(sessionId: string): Promise<void> {
    const marker = enrollment(sessionId, `marker-${randomUUID()}`);
    await send(attendanceRecorded(marker).message);
    await eventually('the marker attendance', async () =>
      (await db.attendance.exists({ _id: marker.enrollmentId })) === null ? undefined : true,
    );
    await db.attendance.deleteOne({ _id: marker.enrollmentId });
  }

  beforeAll(async () => {
    db = await openDatabase(servers.mongo.uri, database);
    await insertValid(db.forums, [forum1, forum2]);
    await insertValid(db.experts, [expert1, expert2]);
    await insertValid(db.sessions, [s1, s2, future, cancelled, raced]);
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    watch = await watchTopics(servers.kafka, [
      topics.lecturesSessions.name,
      deadLetterTopicOf('lectures.attendance'),
    ]);
    for (const [name, roles] of [
      ['ann', ['participant']],
      ['bob', ['participant']],
      ['cat', ['participant']],
      ['dan', ['participant']],
      ['mgr-1', ['participant']],
      ['mgr-2', ['participant']],
      ['expert-1', ['expert']],
      ['expert-nobody', ['expert']],
    ] as const)
      tokens[name] = await running.issuer.sign({ subject: name, roles: [...roles] });
    tokens['office'] = await running.issuer.sign({
      subject: 'office',
      roles: ['city_admin'],
      cityWide: true,
    });
    await send(
      ...attended.map((one) => attendanceRecorded(one).message),
      attendanceRecorded(otherOwners).message,
    );
    await eventually('the attendance copy', async () =>
      (await db.attendance.countDocuments()) === attended.length ? true : undefined,
    );
  });
  afterAll(async () => {
    await watch.stop();
    await producer.disconnect();
    await db.connection.close();
  });

  it('when /openapi.json is read, then every feedback operation declares its errors, and its POSTs an Idempotency-Key', async () => {
    const document: unknown = await (await running.send('GET', '/openapi.json', null)).json();
    const paths = Object.keys((document as { paths: Record<string, unknown> }).paths).filter(
      (path) => path.includes('feedback'),
    );
    const { problems } = openApiProblems(document);

    expect(paths).toHaveLength(7);
    expect(problems.filter((problem) => problem.includes('feedback'))).toEqual([]);
  });

  describe('the attendance copy', () => {
    it("when registration records attendance, then lectures' own is kept per enrollment with the township, and another owner's is not", async () => {
      await settled(s1._id);

      const copy = await attendanceOf(s1._id);
      expect(copy.map((one) => ({ _id: one._id, subject: one.accountSubject }))).toEqual([
        { _id: annAtS1.enrollmentId, subject: 'ann' },
        { _id: bobAtS1.enrollmentId, subject: 'bob' },
      ]);
      expect(copy.every((one) => one.townshipCode === T1)).toBe(true);
      expect(await db.attendance.exists({ accountSubject: 'cat' })).toBeNull();
    });

    it('when an event is delivered again, or the enrollment comes with a new event id, then nothing changes', async () => {
      const before = await attendanceOf(s1._id);
      const first = attendanceRecorded(annAtS1);
      await send(first.message, first.message, attendanceRecorded(annAtS1).message);
      await settled(s1._id);

      expect(await attendanceOf(s1._id)).toEqual(before);
    });

    it('when attendance names a session lectures does not know, then it is dead-lettered and nothing is kept', async () => {
      const stray = attendanceRecorded(enrollment(randomUUID(), 'stray'));
      await send(stray.message);

      const [letter] = await watch.waitFor(
        'the dead letter',
        ({ message }) => headerText(message.headers, 'ce_id') === stray.id,
      );
      expect(letter?.topic).toBe('lectures.attendance.dlq');
      expect(await db.attendance.exists({ accountSubject: 'stray' })).toBeNull();
    });
  });

  describe('rating a session', () => {
    let annFeedbackId = '';
    let bobFeedbackId = '';

    it('when an attendee rates with a comment, then 201, and FeedbackSubmitted carries neither the comment nor who', async () => {
      const response = await call(
        running.base,
        'POST',
        `/v1/sessions/${s1._id}/feedback`,
        token('ann'),
        {
          rating: 5,
          comment: ' 讲得很好，受益匪浅 ',
        },
      );

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        sessionId: s1._id,
        rating: 5,
        comment: '讲得很好，受益匪浅',
        commentStatus: 'published',
      });
      annFeedbackId = String(response.body['id']);
      const [published] = await watch.waitFor('FeedbackSubmitted', ({ message }) => {
        const event = fromKafkaMessage(message);
        return event.type === SUBMITTED && event.subject === annFeedbackId;
      });
      if (published === undefined) throw new Error('FeedbackSubmitted not read back');
      const event = fromKafkaMessage(published.message);
      expect(lectures.FeedbackSubmitted.fromJSON(event.data)).toMatchObject({
        feedbackId: annFeedbackId,
        rating: 5,
        hasComment: true,
        flagged: false,
        session: { sessionId: s1._id, forumId: forum1._id, speakerIds: [expert1._id] },
      });
      expect(JSON.stringify(event.data)).not.toMatch(/受益|ann/);
    });

    it('when a comment hides a blocked word behind a space, then it is stored flagged, pending review', async () => {
      const response = await call(
        running.base,
        'POST',
        `/v1/sessions/${s1._id}/feedback`,
        token('bob'),
        {
          rating: 1,
          comment: '傻 逼',
        },
      );

      expect(response.status).toBe(201);
      expect(response.body['commentStatus']).toBe('pending_review');
      bobFeedbackId = String(response.body['id']);
      expect(await db.feedback.findById(bobFeedbackId).lean()).toMatchObject({ flagged: true });
    });

    it('when a comment is 500 characters once composed, though sent decomposed, then it is taken in NFC', async () => {
      const response = await call(
        running.base,
        'POST',
        `/v1/sessions/${s2._id}/feedback`,
        token('ann'),
        {
          rating: 4,
          comment: 'e\u0301'.repeat(500),
        },
      );

      expect(response.status).toBe(201);
      expect(response.body['comment']).toBe('é'.repeat(500));
    });

    it.each([
      ['a second rating', 'ann', () => s1._id, { rating: 3 }, 409, 'FEEDBACK_ALREADY_EXISTS'],
      ['a non-attendee', 'cat', () => s1._id, { rating: 3 }, 403, 'FEEDBACK_NOT_ATTENDEE'],
      ['rating 0', 'ann', () => future._id, { rating: 0 }, 400, 'FEEDBACK_RATING_INVALID'],
      ['rating 4.5', 'ann', () => cancelled._id, { rating: 4.5 }, 400, 'FEEDBACK_RATING_INVALID'],
      [
        'a long comment',
        'ann',
        () => future._id,
        { rating: 3, comment: '长'.repeat(501) },
        400,
        'FEEDBACK_COMMENT_TOO_LONG',
      ],
      [
        'a session not started',
        'ann',
        () => future._id,
        { rating: 3 },
        409,
        'FEEDBACK_SESSION_NOT_STARTED',
      ],
      [
        'a cancelled session',
        'ann',
        () => cancelled._id,
        { rating: 3 },
        409,
        'FEEDBACK_SESSION_CANCELLED',
      ],
      [
        'an unknown session',
        'ann',
        () => randomUUID(),
        { rating: 3 },
        404,
        'FEEDBACK_SESSION_NOT_FOUND',
      ],
      ['a rating missing', 'ann', () => future._id, { comment: '好' }, 400, 'VALIDATION_FAILED'],
    ])(
      'when %s, then %i %s and nothing is stored',
      async (_what, who, sessionId, body, status, code) => {
        const before = await db.feedback.countDocuments();

        const response = await call(
          running.base,
          'POST',
          `/v1/sessions/${sessionId()}/feedback`,
          token(who),
          body,
        );

        expect({ status: response.status, code: response.body['code'] }).toEqual({ status, code });
        expect(await db.feedback.countDocuments()).toBe(before);
      },
    );

    it('when one attendee sends two ratings at once, then exactly one is stored and the other is 409', async () => {
      const statuses = await Promise.all(
        [2, 3].map(
          async (rating) =>
            (
              await call(running.base, 'POST', `/v1/sessions/${raced._id}/feedback`, token('dan'), {
                rating,
              })
            ).status,
        ),
      );

      expect(statuses.sort()).toEqual([201, 409]);
      expect(await db.feedback.countDocuments({ sessionId: raced._id })).toBe(1);
    });

    it('when nobody is signed in, then 401', async () => {
      const response = await call(running.base, 'POST', `/v1/sessions/${s1._id}/feedback`, null, {
        rating: 3,
      });

      expect(response.status).toBe(401);
    });

    it('when the public asks for the summary, then ratings count and only published comments show, without authors', async () => {
      const response = await call(
        running.base,
        'GET',
        `/v1/sessions/${s1._id}/feedback/summary`,
        null,
      );

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        sessionId: s1._id,
        summary: { count: 2, mean: 3, distribution: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 1 } },
        comments: [
          {
            sessionId: s1._id,
            rating: 5,
            comment: '讲得很好，受益匪浅',
            submittedAt: expect.any(String) as unknown,
          },
        ],
      });
      expect(
        (await call(running.base, 'GET', `/v1/sessions/${randomUUID()}/feedback/summary`, null))
          .body['code'],
      ).toBe('FEEDBACK_SESSION_NOT_FOUND');
    });

    it("when the forum's manager lists the flagged queue, then it holds the flagged comment; the other forum's manager gets 403", async () => {
      const queue = await call(
        running.base,
        'GET',
        `/v1/forums/${forum1._id}/feedback?flagged=true`,
        token('mgr-1'),
      );

      expect(queue.status).toBe(200);
      expect((queue.body['items'] as { id: string }[]).map((item) => item.id)).toEqual([
        bobFeedbackId,
      ]);
      expect(JSON.stringify(queue.body)).not.toMatch(/"bob"|accountSubject/);
      const other = await call(
        running.base,
        'GET',
        `/v1/forums/${forum1._id}/feedback`,
        token('mgr-2'),
      );
      expect({ status: other.status, code: other.body['code'] }).toEqual({
        status: 403,
        code: 'FEEDBACK_FORUM_FORBIDDEN',
      });
      const unknown = await call(
        running.base,
        'GET',
        `/v1/forums/${randomUUID()}/feedback`,
        token('office'),
      );
      expect(unknown.body['code']).toBe('FEEDBACK_FORUM_NOT_FOUND');
    });

    it("when the office pages through a forum's feedback, then each item comes once, newest first", async () => {
      const first = await call(
        running.base,
        'GET',
        `/v1/forums/${forum1._id}/feedback?pageSize=1`,
        token('office'),
      );
      const token_ = String(first.body['nextPageToken']);
      const second = await call(
        running.base,
        'GET',
        `/v1/forums/${forum1._id}/feedback?pageSize=1&pageToken=${encodeURIComponent(token_)}`,
        token('office'),
      );

      const ids = [first, second].flatMap((page) =>
        (page.body['items'] as { id: string }[]).map((item) => item.id),
      );
      expect(ids).toEqual([bobFeedbackId, annFeedbackId]);
      expect(second.body['nextPageToken']).toBeNull();
    });

    it('when the other manager reviews, then 403 and nothing changes; when the manager publishes, then it shows; a clean comment has nothing to review', async () => {
      const refused = await call(
        running.base,
        'POST',
        `/v1/feedback/${bobFeedbackId}:review`,
        token('mgr-2'),
        {
          decision: 'publish',
        },
      );
      expect(refused.body['code']).toBe('FEEDBACK_FORUM_FORBIDDEN');
      expect((await db.feedback.findById(bobFeedbackId).lean())?.commentStatus).toBe(
        'pending_review',
      );

      const reviewed = await call(
        running.base,
        'POST',
        `/v1/feedback/${bobFeedbackId}:review`,
        token('mgr-1'),
        {
          decision: 'publish',
        },
      );
      expect(reviewed.status).toBe(200);
      expect(reviewed.body).toMatchObject({
        commentStatus: 'published',
        review: { decision: 'publish', reviewedBy: 'mgr-1' },
      });
      const summary = await call(
        running.base,
        'GET',
        `/v1/sessions/${s1._id}/feedback/summary`,
        null,
      );
      expect((summary.body['comments'] as unknown[]).length).toBe(2);
      const audited = await eventually('the review in the audit log', async () => {
        const page = await call(
          running.base,
          'GET',
          `/v1/audit-log?entityType=feedback&entityId=${bobFeedbackId}`,
          token('office'),
        );
        const items = page.body['items'] as Record<string, unknown>[] | undefined;
        return items?.length === 1 ? items[0] : undefined;
      });
      expect(audited).toMatchObject({
        action: 'feedback.review',
        actor: { subject: 'mgr-1' },
        after: { commentStatus: 'published' },
        reason: 'publish',
      });
      expect(JSON.stringify(audited)).not.toMatch(/傻|"bob"/);

      const clean = await call(
        running.base,
        'POST',
        `/v1/feedback/${annFeedbackId}:review`,
        token('mgr-1'),
        {
          decision: 'hide',
        },
      );
      expect({ status: clean.status, code: clean.body['code'] }).toEqual({
        status: 409,
        code: 'FEEDBACK_NOT_FLAGGED',
      });
      const unknown = await call(
        running.base,
        'POST',
        `/v1/feedback/${randomUUID()}:review`,
        token('office'),
        {
          decision: 'hide',
        },
      );
      expect(unknown.body['code']).toBe('FEEDBACK_NOT_FOUND');
    });

    it('when the public asks for a speaker or a forum, then each aggregate counts its own sessions', async () => {
      const speaker1 = await call(
        running.base,
        'GET',
        `/v1/experts/${expert1._id}/feedback/summary`,
        null,
      );
      const speaker2 = await call(
        running.base,
        'GET',
        `/v1/experts/${expert2._id}/feedback/summary`,
        null,
      );
      const forum = await call(
        running.base,
        'GET',
        `/v1/forums/${forum2._id}/feedback/summary`,
        null,
      );

      expect(speaker1.body['summary']).toMatchObject({ count: 3, mean: 3.33 });
      expect(speaker2.body['summary']).toMatchObject({ count: 1, mean: 4 });
      expect(forum.body['summary']).toMatchObject({ count: 1, mean: 4 });
      expect(
        (await call(running.base, 'GET', `/v1/experts/${randomUUID()}/feedback/summary`, null))
          .body['code'],
      ).toBe('FEEDBACK_EXPERT_NOT_FOUND');
    });

    it('when an expert reads their own feedback, then the published comments of their sessions come without authors', async () => {
      const mine = await call(running.base, 'GET', '/v1/experts/me/feedback', token('expert-1'));

      expect(mine.status).toBe(200);
      expect(mine.body['expertId']).toBe(expert1._id);
      expect(mine.body['summary']).toMatchObject({ count: 3 });
      expect(
        (mine.body['items'] as { comment: string }[]).map((item) => item.comment).sort(),
      ).toEqual(['é'.repeat(500), '傻 逼', '讲得很好，受益匪浅'].sort());
      expect(JSON.stringify(mine.body)).not.toMatch(/"ann"|"bob"|accountSubject/);
      expect(
        (await call(running.base, 'GET', '/v1/experts/me/feedback', token('expert-nobody'))).body[
          'code'
        ],
      ).toBe('FEEDBACK_EXPERT_NOT_FOUND');
      expect(
        (await call(running.base, 'GET', '/v1/experts/me/feedback', token('ann'))).body['code'],
      ).toBe('ROLE_REQUIRED');
    });
  });

  describe('a withdrawn attendance', () => {
    it('when registration withdraws it, then the attendance goes and its feedback leaves the aggregates; a repeat and an invalidation without withdrawal change nothing', async () => {
      const withdrawal = checkInInvalidated(annAtS1, true);
      await send(
        withdrawal.message,
        withdrawal.message,
        checkInInvalidated(bobAtS1, false).message,
      );
      await eventually('the withdrawal', async () =>
        (await db.attendance.exists({ _id: annAtS1.enrollmentId })) === null ? true : undefined,
      );
      await settled(s1._id);

      expect((await attendanceOf(s1._id)).map((one) => one.accountSubject)).toEqual(['bob']);
      const summary = await call(
        running.base,
        'GET',
        `/v1/sessions/${s1._id}/feedback/summary`,
        null,
      );
      expect(summary.body['summary']).toMatchObject({ count: 1, mean: 1 });
      expect((summary.body['comments'] as { rating: number }[]).map((item) => item.rating)).toEqual(
        [1],
      );
      expect(
        await db.feedback.findOne({ sessionId: s1._id, accountSubject: 'ann' }).lean(),
      ).toMatchObject({
        withdrawn: true,
        rating: 5,
      });
    });
  });
});

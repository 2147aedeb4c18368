import { randomUUID } from 'node:crypto';
import { lectureEvents } from '@learning/contracts';
import { fromKafkaMessage, topics } from '@learning/events';
import { schemaViolations } from '@learning/mongo';
import {
  describeWithServers,
  eventually,
  openApiProblems,
  residentIdNumber,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forumModel, type ForumDocument } from '../../src/adapters/mongo/catalogue.js';
import { progressDocumentOf, progressModel } from '../../src/adapters/mongo/lesson-progress.js';
import { lessonModel } from '../../src/adapters/mongo/lessons.js';
import { sessionModel, type SessionDocument } from '../../src/adapters/mongo/sessions.js';
import { useLecturesStack } from '../support/stack.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';
const DEPARTMENT = 'xuanchuan-bu';
const OTHER_DEPARTMENT = 'funv-lian';

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'the online library', (servers) => {
  const database = uniqueName('lectures-library');
  // The app's clock: the wall clock moved on by what the tests say has passed.
  let offsetMs = 0;
  const pass = (seconds: number) => {
    offsetMs += seconds * 1000;
  };
  const stack = useLecturesStack(servers, {
    lecturesEnvironment: { MONGODB_DATABASE: database },
    clock: () => new Date(Date.now() + offsetMs),
  });
  let db: Connection;
  let watch: TopicWatch;
  const tokens: Record<string, string> = {};
  const participantIds: Record<string, string> = {};
  let forum: ForumDocument;
  let otherForum: ForumDocument;

  const send = async (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<Reply> => {
    const response = await stack.lectures.send(method, path, token, body);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const refusal = (reply: Reply) => ({ status: reply.status, code: reply.body['code'] });

  /** A participant registered with registration, living in T1_V1. */
  async function registered(name: string, sequence: number): Promise<void> {
    const token = await stack.token({
      subject: `learner-${name}-${randomUUID()}`,
      roles: ['participant'],
    });
    const response = await stack.registration.send('POST', '/v1/participants', token, {
      name: '学员',
      tier: 'ordinary_citizen',
      homeJurisdiction: T1_V1,
      idNumber: residentIdNumber('19900101', sequence),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    tokens[name] = token;
    participantIds[name] = ((await response.json()) as { id: string }).id;
  }

  const forumDoc = (managers: string[]): ForumDocument => {
    const now = new Date();
    return {
      _id: randomUUID(),
      seriesId: randomUUID(),
      name: `人文讲坛-${randomUUID().slice(0, 4)}`,
      description: '',
      managerSubjects: managers,
      targetTiers: ['ordinary_citizen'],
      categories: ['ethics_etiquette'],
      leadDepartment: DEPARTMENT,
      status: 'active',
      createdBy: 'city-admin',
      createdAt: now,
      updatedAt: now,
      version: 1,
      outbox: [],
    };
  };

  async function seedSession(
    forumOf: ForumDocument,
    recording: SessionDocument['recording'],
  ): Promise<string> {
    const now = new Date();
    const doc: SessionDocument = {
      _id: randomUUID(),
      forumId: forumOf._id,
      leadDepartment: forumOf.leadDepartment,
      lectureType: 'history_culture',
      title: '余姚历史文化讲座',
      description: '',
      jurisdictionPath: [CITY, T1],
      venue: {
        id: randomUUID(),
        name: '文化礼堂',
        address: null,
        setting: 'city',
        townshipCode: T1,
      },
      startsAt: new Date(now.getTime() - 3 * 3600_000),
      endsAt: new Date(now.getTime() - 3600_000),
      speakerIds: [randomUUID()],
      capacity: 100,
      signUpOpensAt: new Date(now.getTime() - 72 * 3600_000),
      signUpClosesAt: new Date(now.getTime() - 4 * 3600_000),
      targetTiers: ['ordinary_citizen'],
      categories: ['ethics_etiquette'],
      campaignId: null,
      liveStreamUrl: null,
      materials: [],
      recording,
      status: 'held',
      cancellation: null,
      heldAt: now,
      attendanceCount: 40,
      grams: [],
      createdBy: 'city-admin',
      createdAt: now,
      updatedAt: now,
      version: 1,
      outbox: [],
    };
    const model = sessionModel(db);
    expect(schemaViolations(model, doc)).toBeUndefined();
    await model.create(doc);
    return doc._id;
  }

  beforeAll(async () => {
    db = await mongoose.createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    watch = await watchTopics(servers.kafka, [topics.lecturesLibrary.name]);
    tokens['admin'] = await stack.token({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    tokens['officer'] = await stack.token({
      subject: 'officer',
      roles: ['department_officer'],
      department: DEPARTMENT,
    });
    tokens['otherOfficer'] = await stack.token({
      subject: 'other-officer',
      roles: ['department_officer'],
      department: OTHER_DEPARTMENT,
    });
    tokens['manager'] = await stack.token({ subject: 'forum-manager', roles: ['expert'] });
    tokens['otherManager'] = await stack.token({ subject: 'other-manager', roles: ['expert'] });
    tokens['stranger'] = await stack.token({
      subject: `stranger-${randomUUID()}`,
      roles: ['participant'],
    });
    forum = forumDoc(['forum-manager']);
    otherForum = forumDoc(['other-manager']);
    const forums = forumModel(db);
    for (const doc of [forum, otherForum]) {
      expect(schemaViolations(forums, doc)).toBeUndefined();
      await forums.create(doc);
    }
    await registered('ana', 901);
    await registered('bo', 902);
    await registered('cai', 903);
  });
  afterAll(async () => {
    await watch.stop();
    await db.close();
  });

  const course = (overrides: Record<string, unknown> = {}) => ({
    kind: 'video',
    title: '学习型社会建设讲座',
    description: '终身学习与城市发展',
    categories: ['political_theory'],
    targetTiers: ['ordinary_citizen'],
    lengthSeconds: 600,
    contentUrl: 'https://media.example.org/lessons/1.mp4',
    leadDepartment: DEPARTMENT,
    ...overrides,
  });
  const create = (token: string, body: Record<string, unknown>) =>
    send('POST', '/v1/lessons', token, body);
  const act = (token: string, id: string, action: string, body: Record<string, unknown> = {}) =>
    send('POST', `/v1/lessons/${id}:${action}`, token, body);
  async function publishedLesson(overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await create(tokens['admin'] ?? '', course(overrides));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body['id'] as string;
    expect((await act(tokens['admin'] ?? '', id, 'publish')).status).toBe(200);
    return id;
  }
  const heartbeat = (
    token: string,
    id: string,
    sequence: number,
    positionSeconds: number,
    seek?: boolean,
  ) =>
    send('POST', `/v1/lessons/${id}/progress`, token, {
      sequence,
      positionSeconds,
      ...(seek === undefined ? {} : { seek }),
    });
  const lessonCount = () => lessonModel(db).countDocuments();

  it('when /openapi.json is read, then every library route is there, with its Idempotency-Key and Error schema', async () => {
    const document = (await (await stack.lectures.send('GET', '/openapi.json', null)).json()) as {
      paths: Record<string, unknown>;
    };
    const libraryPaths = Object.keys(document.paths).filter((path) => path.includes('lessons'));
    expect(libraryPaths.length).toBeGreaterThanOrEqual(8);
    expect(openApiProblems(document).problems).toEqual([]);
  });

  describe('lessons', () => {
    it('when a city admin adds a course, then it is a draft of the named department, with its audit record', async () => {
      const reply = await create(tokens['admin'] ?? '', course());

      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        kind: 'video',
        status: 'draft',
        leadDepartment: DEPARTMENT,
        requiredShare: 0.9,
        requiredSeconds: 540,
        lengthSeconds: 600,
        sourceSessionId: null,
        version: 1,
        publishedAt: null,
      });
      const id = reply.body['id'] as string;
      await eventually(
        'the audit record',
        async () =>
          (await db.collection('audit_log').findOne({ entityId: id, action: 'lesson.create' })) ??
          undefined,
      );
    });

    it('when a department officer adds a course, then it is their department’s; another department’s is refused', async () => {
      const own = await create(tokens['officer'] ?? '', course({ leadDepartment: undefined }));
      expect(own.status).toBe(201);
      expect(own.body['leadDepartment']).toBe(DEPARTMENT);
      const other = await create(
        tokens['officer'] ?? '',
        course({ leadDepartment: OTHER_DEPARTMENT }),
      );
      expect(refusal(other)).toEqual({ status: 403, code: 'LESSON_FORBIDDEN' });
    });

    it('when the input breaks a rule, then a 4xx with its code and nothing is stored', async () => {
      const before = await lessonCount();
      const cases: [string, Record<string, unknown>, number, string][] = [
        [
          'admin',
          course({ contentUrl: 'http://media.example.org/1.mp4' }),
          400,
          'LESSON_CONTENT_URL_INVALID',
        ],
        ['admin', course({ contentUrl: undefined }), 400, 'LESSON_CONTENT_URL_REQUIRED'],
        ['admin', course({ lengthSeconds: undefined }), 400, 'LESSON_LENGTH_REQUIRED'],
        [
          'admin',
          course({ leadDepartment: 'no-such-department' }),
          400,
          'LESSON_DEPARTMENT_UNKNOWN',
        ],
        ['admin', course({ leadDepartment: undefined }), 400, 'LESSON_DEPARTMENT_UNKNOWN'],
        ['admin', course({ requiredShare: 0.3 }), 400, 'VALIDATION_FAILED'],
        ['admin', course({ lengthSeconds: 0 }), 400, 'VALIDATION_FAILED'],
        ['admin', course({ kind: 'podcast' }), 400, 'VALIDATION_FAILED'],
        [
          'admin',
          course({ sourceSessionId: randomUUID(), contentUrl: undefined }),
          400,
          'LESSON_SESSION_UNKNOWN',
        ],
        ['stranger', course(), 403, 'LESSON_FORBIDDEN'],
        ['manager', course(), 403, 'LESSON_FORBIDDEN'],
      ];
      for (const [who, body, status, code] of cases)
        expect(refusal(await create(tokens[who] ?? '', body)), `${who} ${code}`).toEqual({
          status,
          code,
        });
      expect(await lessonCount()).toBe(before);
    });

    it('when a forum manager adds the recording of their forum’s session, then its URL, length, department and forum are the session’s, once', async () => {
      const session = await seedSession(forum, {
        url: 'https://media.example.org/sessions/42.mp4',
        durationSeconds: 5400,
        addedAt: new Date(),
      });
      const recording = {
        kind: 'video',
        title: '余姚历史文化讲座（录像）',
        categories: ['ethics_etiquette'],
        targetTiers: ['ordinary_citizen'],
        sourceSessionId: session,
      };
      const reply = await create(tokens['manager'] ?? '', recording);

      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body).toMatchObject({
        contentUrl: 'https://media.example.org/sessions/42.mp4',
        lengthSeconds: 5400,
        leadDepartment: DEPARTMENT,
        forumId: forum._id,
        sourceSessionId: session,
      });
      expect(refusal(await create(tokens['manager'] ?? '', recording))).toEqual({
        status: 409,
        code: 'LESSON_ALREADY_EXISTS',
      });
      const id = reply.body['id'] as string;
      // The manager of the forum manages it; a manager of another forum does not even see it.
      expect((await act(tokens['manager'] ?? '', id, 'publish')).status).toBe(200);
      expect(refusal(await send('GET', `/v1/lessons/${id}`, tokens['otherManager'] ?? ''))).toEqual(
        {
          status: 404,
          code: 'LESSON_NOT_FOUND',
        },
      );
      const mine = await send('GET', '/v1/lessons', tokens['manager'] ?? '');
      expect((mine.body['items'] as { id: string }[]).map((item) => item.id)).toEqual([id]);
      expect(
        refusal(
          await send('PATCH', `/v1/lessons/${id}`, tokens['manager'] ?? '', {
            version: 2,
            lengthSeconds: 100,
          }),
        ),
      ).toEqual({ status: 400, code: 'LESSON_RECORDING_FIXED' });
    });

    it('when a recording is refused, then the code says why and nothing is stored', async () => {
      const without = await seedSession(forum, null);
      const recorded = await seedSession(forum, {
        url: 'https://media.example.org/sessions/43.mp4',
        durationSeconds: null,
        addedAt: new Date(),
      });
      const insecure = await seedSession(forum, {
        url: 'http://media.example.org/sessions/44.mp4',
        durationSeconds: 60,
        addedAt: new Date(),
      });
      const body = (sourceSessionId: string, more: Record<string, unknown> = {}) => ({
        kind: 'video',
        title: '录像',
        categories: ['ethics_etiquette'],
        targetTiers: ['ordinary_citizen'],
        sourceSessionId,
        ...more,
      });
      const before = await lessonCount();
      const cases: [string, Record<string, unknown>, number, string][] = [
        ['manager', body(without), 409, 'LESSON_SESSION_NO_RECORDING'],
        ['manager', body(recorded), 400, 'LESSON_LENGTH_REQUIRED'],
        [
          'manager',
          body(recorded, { kind: 'document', lengthSeconds: 60 }),
          400,
          'LESSON_RECORDING_NOT_VIDEO',
        ],
        [
          'manager',
          body(recorded, { lengthSeconds: 60, contentUrl: 'https://x.example.org/a' }),
          400,
          'LESSON_RECORDING_FIXED',
        ],
        ['manager', body(insecure), 400, 'LESSON_CONTENT_URL_INVALID'],
        ['otherManager', body(recorded, { lengthSeconds: 60 }), 403, 'LESSON_FORBIDDEN'],
        ['otherOfficer', body(recorded, { lengthSeconds: 60 }), 403, 'LESSON_FORBIDDEN'],
      ];
      for (const [who, request, status, code] of cases)
        expect(refusal(await create(tokens[who] ?? '', request)), `${who} ${code}`).toEqual({
          status,
          code,
        });
      expect(await lessonCount()).toBe(before);
      // The department's officer may, and gives the length the recording lacks.
      const officer = await create(
        tokens['officer'] ?? '',
        body(recorded, { lengthSeconds: 1800 }),
      );
      expect(officer.status).toBe(201);
      expect(officer.body['lengthSeconds']).toBe(1800);
    });

    it('when a lesson is edited, then the version moves on; a stale version, an empty edit and an outsider are refused', async () => {
      const id = (await create(tokens['officer'] ?? '', course({ leadDepartment: undefined })))
        .body['id'] as string;
      const edited = await send('PATCH', `/v1/lessons/${id}`, tokens['officer'] ?? '', {
        version: 1,
        title: '新时代理论学习',
        requiredShare: 0.75,
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        title: '新时代理论学习',
        requiredShare: 0.75,
        requiredSeconds: 450,
        version: 2,
      });

      expect(
        refusal(
          await send('PATCH', `/v1/lessons/${id}`, tokens['officer'] ?? '', {
            version: 1,
            title: '旧',
          }),
        ),
      ).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
      expect(
        refusal(
          await send('PATCH', `/v1/lessons/${id}`, tokens['officer'] ?? '', {
            version: 2,
            title: '新时代理论学习',
          }),
        ),
      ).toEqual({ status: 400, code: 'LESSON_CHANGE_EMPTY' });
      expect(
        refusal(
          await send('PATCH', `/v1/lessons/${id}`, tokens['otherOfficer'] ?? '', {
            version: 2,
            title: '别',
          }),
        ),
      ).toEqual({ status: 404, code: 'LESSON_NOT_FOUND' });
      const stored = await send('GET', `/v1/lessons/${id}`, tokens['officer'] ?? '');
      expect(stored.body).toMatchObject({ title: '新时代理论学习', version: 2 });
      await eventually(
        'the edit’s audit record',
        async () =>
          (await db.collection('audit_log').findOne({ entityId: id, action: 'lesson.edit' })) ??
          undefined,
      );
    });

    it('when a lesson is published and withdrawn, then the public library shows it and then does not; a repeated move is refused', async () => {
      const id = (await create(tokens['admin'] ?? '', course({ title: '乡村振兴政策解读' }))).body[
        'id'
      ] as string;
      expect(refusal(await send('GET', `/v1/public/lessons/${id}`, null))).toEqual({
        status: 404,
        code: 'LESSON_NOT_FOUND',
      });
      expect(refusal(await act(tokens['admin'] ?? '', id, 'withdraw'))).toEqual({
        status: 409,
        code: 'LESSON_TRANSITION_NOT_ALLOWED',
      });
      const published = await act(tokens['admin'] ?? '', id, 'publish');
      expect(published.body).toMatchObject({ status: 'published', version: 2 });
      expect(refusal(await act(tokens['admin'] ?? '', id, 'publish'))).toEqual({
        status: 409,
        code: 'LESSON_TRANSITION_NOT_ALLOWED',
      });
      const shown = await send('GET', `/v1/public/lessons/${id}`, null);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ id, title: '乡村振兴政策解读' });
      expect(shown.body['status']).toBeUndefined();

      expect(
        (await act(tokens['admin'] ?? '', id, 'withdraw', { version: 2 })).body['status'],
      ).toBe('withdrawn');
      expect((await send('GET', `/v1/public/lessons/${id}`, null)).status).toBe(404);
    });

    it('when the public library is asked, then published lessons are filtered, searched in Chinese and paged, from a cache a change clears', async () => {
      const tag = randomUUID().slice(0, 6);
      const video = await publishedLesson({
        title: `红色文化讲堂${tag}`,
        categories: ['ethics_etiquette'],
      });
      const document = await publishedLesson({
        kind: 'document',
        title: `民法典读本${tag}`,
        categories: ['market_economy_law'],
        targetTiers: ['private_enterprise_staff'],
        lengthSeconds: 1200,
      });
      await create(tokens['admin'] ?? '', course({ title: `草稿${tag}` }));
      const ids = async (query: string) => {
        const reply = await send('GET', `/v1/public/lessons?${query}`, null);
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        return (reply.body['items'] as { id: string }[]).map((item) => item.id);
      };

      expect(await ids(`q=${encodeURIComponent(tag)}`)).toEqual([document, video]);
      expect(await ids(`q=${encodeURIComponent(`民法典 ${tag}`)}`)).toEqual([document]);
      expect(await ids(`q=${encodeURIComponent(`文化${tag}`)}`)).toEqual([video]);
      expect(await ids(`kind=document&q=${encodeURIComponent(tag)}`)).toEqual([document]);
      expect(await ids(`tier=private_enterprise_staff&q=${encodeURIComponent(tag)}`)).toEqual([
        document,
      ]);
      expect(await ids(`category=ethics_etiquette&q=${encodeURIComponent(tag)}`)).toEqual([video]);

      const first = await send(
        'GET',
        `/v1/public/lessons?pageSize=1&q=${encodeURIComponent(tag)}`,
        null,
      );
      expect((first.body['items'] as { id: string }[]).map((item) => item.id)).toEqual([document]);
      const token = first.body['nextPageToken'] as string;
      const second = await send(
        'GET',
        `/v1/public/lessons?pageSize=1&q=${encodeURIComponent(tag)}&pageToken=${encodeURIComponent(token)}`,
        null,
      );
      expect((second.body['items'] as { id: string }[]).map((item) => item.id)).toEqual([video]);
      expect(second.body['nextPageToken']).toBeNull();

      const query = `/v1/public/lessons?q=${encodeURIComponent(tag)}&pageSize=5`;
      expect((await send('GET', query, null)).headers.get('x-cache')).toBe('miss');
      expect((await send('GET', query, null)).headers.get('x-cache')).toBe('hit');
      await act(tokens['admin'] ?? '', video, 'withdraw');
      const after = await send('GET', query, null);
      expect(after.headers.get('x-cache')).toBe('miss');
      expect((after.body['items'] as { id: string }[]).map((item) => item.id)).toEqual([document]);

      expect(refusal(await send('GET', '/v1/public/lessons?q=%EF%BC%8C%EF%BC%8C', null))).toEqual({
        status: 400,
        code: 'LESSON_SEARCH_EMPTY',
      });
      expect(refusal(await send('GET', '/v1/public/lessons?pageToken=forged.token', null))).toEqual(
        {
          status: 400,
          code: 'CURSOR_INVALID',
        },
      );
    });

    it('when officers list what they manage, then each sees their reach only', async () => {
      const mine = await send('GET', '/v1/lessons?pageSize=200', tokens['officer'] ?? '');
      const departments = new Set(
        (mine.body['items'] as { leadDepartment: string }[]).map((item) => item.leadDepartment),
      );
      expect([...departments]).toEqual([DEPARTMENT]);
      const other = await send('GET', '/v1/lessons', tokens['otherOfficer'] ?? '');
      expect(other.body['items']).toEqual([]);
      const stranger = await send('GET', '/v1/lessons', tokens['stranger'] ?? '');
      expect(stranger.body['items']).toEqual([]);
    });
  });

  describe('progress heartbeats', () => {
    const progressOf = async (token: string, id: string) =>
      send('GET', `/v1/lessons/${id}/progress`, token);

    it('when a learner plays a lesson, then the first heartbeat credits nothing and later ones the wall time', async () => {
      const id = await publishedLesson();
      const ana = tokens['ana'] ?? '';
      const first = await heartbeat(ana, id, 1, 0);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({
        creditedSeconds: 0,
        creditedNow: 0,
        lastSequence: 1,
        completed: false,
      });

      pass(15);
      const second = await heartbeat(ana, id, 2, 15);
      expect(second.body).toMatchObject({ lastSequence: 2, positionSeconds: 15, completed: false });
      // The advance (15 s) is within the wall time: all of it is credited.
      expect(second.body['creditedNow']).toBe(15);

      pass(15);
      const doubleSpeed = await heartbeat(ana, id, 3, 45);
      expect(doubleSpeed.status).toBe(200);
      expect(doubleSpeed.body['creditedNow'] as number).toBeLessThanOrEqual(16.6);

      const stored = await progressOf(ana, id);
      expect(stored.body).toMatchObject({ lessonId: id, lastSequence: 3, positionSeconds: 45 });
      const doc = await progressModel(db).findOne({ lessonId: id }).lean();
      expect(doc).toMatchObject({
        participantId: participantIds['ana'],
        jurisdictionPath: [CITY, T1, T1_V1],
      });
    });

    it('when a heartbeat is replayed, claims more than the wall time allows or lies outside the lesson, then it is refused and nothing changes', async () => {
      const id = await publishedLesson();
      const bo = tokens['bo'] ?? '';
      await heartbeat(bo, id, 1, 0);
      pass(15);
      await heartbeat(bo, id, 2, 15);
      const before = (await progressOf(bo, id)).body;

      expect(refusal(await heartbeat(bo, id, 2, 30))).toEqual({
        status: 409,
        code: 'PROGRESS_HEARTBEAT_REPLAYED',
      });
      expect(refusal(await heartbeat(bo, id, 1, 30))).toEqual({
        status: 409,
        code: 'PROGRESS_HEARTBEAT_REPLAYED',
      });
      pass(10);
      expect(refusal(await heartbeat(bo, id, 3, 300))).toEqual({
        status: 400,
        code: 'PROGRESS_CLAIM_EXCEEDS_WALL_TIME',
      });
      expect(refusal(await heartbeat(bo, id, 3, 601))).toEqual({
        status: 400,
        code: 'PROGRESS_POSITION_INVALID',
      });
      expect(refusal(await heartbeat(bo, id, 3, -1))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect((await progressOf(bo, id)).body).toEqual(before);

      const seek = await heartbeat(bo, id, 3, 300, true);
      expect(seek.body).toMatchObject({
        positionSeconds: 300,
        creditedNow: 0,
        creditedSeconds: before['creditedSeconds'],
      });
    });

    it('when the same heartbeat arrives several times at once, then exactly one is accepted and credited', async () => {
      const id = await publishedLesson();
      const cai = tokens['cai'] ?? '';
      await heartbeat(cai, id, 1, 0);
      pass(15);
      const replies = await Promise.all(Array.from({ length: 6 }, () => heartbeat(cai, id, 2, 15)));

      expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
      expect(replies.filter((reply) => reply.status !== 200).map(refusal)).toEqual(
        Array.from({ length: 5 }, () => ({ status: 409, code: 'PROGRESS_HEARTBEAT_REPLAYED' })),
      );
      const stored = (await progressOf(cai, id)).body;
      expect(stored).toMatchObject({ lastSequence: 2, positionSeconds: 15 });
      expect(stored['creditedSeconds']).toBeLessThanOrEqual(15 * 1.1);
    });

    it('when a learner reaches the required share, then the lesson completes once and LessonCompleted is published once', async () => {
      const id = await publishedLesson({
        lengthSeconds: 60,
        requiredShare: 0.5,
        title: '完成测试课',
      });
      const ana = tokens['ana'] ?? '';
      await heartbeat(ana, id, 1, 0);
      const completions: boolean[] = [];
      for (let sequence = 2; sequence <= 6; sequence += 1) {
        pass(12);
        const reply = await heartbeat(ana, id, sequence, Math.min(60, (sequence - 1) * 12));
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        completions.push(reply.body['completesNow'] as boolean);
      }
      expect(completions.filter(Boolean)).toHaveLength(1);
      // Re-watching after completion completes nothing again.
      pass(1);
      await heartbeat(ana, id, 7, 0, true);
      for (let sequence = 8; sequence <= 10; sequence += 1) {
        pass(12);
        await heartbeat(ana, id, sequence, (sequence - 7) * 12);
      }
      const stored = (await progressOf(ana, id)).body;
      expect(stored).toMatchObject({ completed: true, creditedSeconds: 60 });

      const completionId = `${id}:${participantIds['ana'] ?? ''}`;
      const isThis = (message: (typeof watch.messages)[number]) =>
        message.message.key?.toString() === completionId;
      const [published] = await watch.waitFor('the completion', isThis);
      const event = fromKafkaMessage(
        (published ?? { message: { headers: {}, value: null } }).message,
      );
      expect(event.type).toBe(lectureEvents.LessonCompleted.type);
      expect(event.id).toBe(completionId);
      const data = lectureEvents.LessonCompleted.codec.fromJSON(event.data);
      expect(data).toMatchObject({
        completionId,
        lessonId: id,
        lessonTitle: '完成测试课',
        lessonKind: 'video',
        participantId: participantIds['ana'],
        jurisdictionPath: [CITY, T1, T1_V1],
        lessonSeconds: 60,
        leadDepartment: DEPARTMENT,
        sourceSessionId: '',
      });
      expect(data.creditedSeconds).toBeGreaterThanOrEqual(30);
      // Everything outstanding is relayed; still one completion.
      await eventually('the outbox drained', async () =>
        (await progressModel(db).countDocuments({ outboxSince: { $exists: true } })) === 0
          ? true
          : undefined,
      );
      expect(watch.messages.filter(isThis)).toHaveLength(1);
    });

    it('when the learner is not registered, or the lesson is a draft or withdrawn, then the heartbeat is refused and nothing is stored', async () => {
      const id = await publishedLesson();
      expect(refusal(await heartbeat(tokens['stranger'] ?? '', id, 1, 0))).toEqual({
        status: 409,
        code: 'PROGRESS_LEARNER_NOT_REGISTERED',
      });
      expect(refusal(await progressOf(tokens['stranger'] ?? '', id))).toEqual({
        status: 404,
        code: 'PROGRESS_NOT_FOUND',
      });

      const draft = (await create(tokens['admin'] ?? '', course())).body['id'] as string;
      expect(refusal(await heartbeat(tokens['ana'] ?? '', draft, 1, 0))).toEqual({
        status: 404,
        code: 'LESSON_NOT_FOUND',
      });
      expect(refusal(await heartbeat(tokens['ana'] ?? '', randomUUID(), 1, 0))).toEqual({
        status: 404,
        code: 'LESSON_NOT_FOUND',
      });
      const withdrawn = await publishedLesson();
      // Heartbeats read the lesson once and reuse it; a withdrawal here reaches them at once.
      const cai = tokens['cai'] ?? '';
      expect((await heartbeat(cai, withdrawn, 1, 0)).status).toBe(200);
      await act(tokens['admin'] ?? '', withdrawn, 'withdraw');
      expect(refusal(await heartbeat(cai, withdrawn, 2, 0))).toEqual({
        status: 409,
        code: 'LESSON_NOT_PUBLISHED',
      });
      expect(refusal(await heartbeat(tokens['ana'] ?? '', withdrawn, 1, 0))).toEqual({
        status: 409,
        code: 'LESSON_NOT_PUBLISHED',
      });
      expect(await progressModel(db).countDocuments({ lessonId: { $in: [draft, id] } })).toBe(0);
      expect(await progressModel(db).countDocuments({ lessonId: withdrawn, lastSequence: 1 })).toBe(
        1,
      );
      expect(refusal(await heartbeat(tokens['officer'] ?? '', id, 1, 0))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
    });

    it('when a learner lists their lessons, then the most recently active come first, paged', async () => {
      const bo = tokens['bo'] ?? '';
      const a = await publishedLesson();
      const b = await publishedLesson();
      await heartbeat(bo, a, 1, 0);
      pass(1);
      await heartbeat(bo, b, 1, 0);
      const first = await send('GET', '/v1/me/lessons?pageSize=1', bo);
      expect((first.body['items'] as { lessonId: string }[]).map((item) => item.lessonId)).toEqual([
        b,
      ]);
      const next = await send(
        'GET',
        `/v1/me/lessons?pageSize=1&pageToken=${encodeURIComponent(first.body['nextPageToken'] as string)}`,
        bo,
      );
      expect((next.body['items'] as { lessonId: string }[]).map((item) => item.lessonId)).toEqual([
        a,
      ]);
      expect(refusal(await send('GET', '/v1/me/lessons', tokens['admin'] ?? ''))).toEqual({
        status: 403,
        code: 'ROLE_REQUIRED',
      });
    });

    it('when a learner sends more heartbeats than the limit, then the rest are refused with RATE_LIMITED', async () => {
      const hasty = await stack.token({ subject: `hasty-${randomUUID()}`, roles: ['participant'] });
      const lesson = randomUUID();
      const statuses: number[] = [];
      for (let sequence = 1; sequence <= 31; sequence += 1)
        statuses.push((await heartbeat(hasty, lesson, sequence, 0)).status);
      expect(statuses.slice(0, 30).every((status) => status === 404)).toBe(true);
      expect(statuses[30]).toBe(429);
    });

    it('when a progress document is built for the driver, then the schema accepts it', () => {
      const now = new Date();
      const doc = progressDocumentOf({
        lessonId: randomUUID(),
        learnerSubject: 'someone',
        participantId: randomUUID(),
        jurisdictionPath: [CITY, T1],
        lastSequence: 1,
        lastHeartbeatAt: now,
        positionSeconds: 0,
        creditedSeconds: 0,
        completedAt: null,
        startedAt: now,
      });
      expect(schemaViolations(progressModel(db), doc)).toBeUndefined();
    });
  });
});

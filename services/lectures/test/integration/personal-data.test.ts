/**
 * A person's rights over what lectures holds (decision 0022), through the real
 * adapters beside real registration and activities apps: a person who is in
 * the expert pool, manages a forum, uploads a session's materials, attends
 * (registration's AttendanceRecorded on Kafka), rates the session and starts
 * a library lesson gets every kind of it in their copy over gRPC (registration
 * only asks), is told what erasure would cut short, and after
 * `registration.erasure.requested.v1` is gone from every API and collection
 * but what stays unlinked, with `lectures.erasure.completed.v1` published
 * once; a redelivered request changes nothing and a late attendance is
 * dropped. A guard fails when a collection holding a person's id is neither
 * declared nor listed below as holding no personal data of anyone's own.
 */
import { randomUUID } from 'node:crypto';
import { privacyEvents } from '@learning/contracts';
import { ownCompletions } from '@learning/privacy/testing';
import { createGrpcClient } from '@learning/grpc';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { privacy } from '@learning/proto';
import { serviceToken } from '@learning/runtime/testing';
import {
  captureLogger,
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection, type Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressModel } from '../../src/adapters/mongo/lesson-progress.js';
import { ERASED_EXPERT_NAME } from '../../src/adapters/mongo/personal-data.js';
import {
  createExpert,
  createForum,
  expertToken,
  officeToken,
  registerParticipant,
  type ExpertBody,
  type ForumBody,
} from '../support/catalogue.js';
import {
  attendanceRecorded,
  enrollmentsTopic,
  insertValid,
  openDatabase,
  sessionDocument,
  type Enrollment,
} from '../support/feedback-fixtures.js';
import { useLecturesStack } from '../support/stack.js';

const HOUR = 3_600_000;

/** Every kind lectures declares, in erasure's order. */
const KINDS = [
  'forum-management',
  'material-uploads',
  'audit-records',
  'session-feedback',
  'lecture-attendance',
  'lesson-progress',
  'expert-profile',
];

/** The collections whose documents are a person's own data, and the kind declaring each. */
const DECLARED: Record<string, string> = {
  forums: 'forum-management',
  'sessionMaterials.files': 'material-uploads',
  audit_log: 'audit-records',
  feedback: 'session-feedback',
  attendance: 'lecture-attendance',
  lesson_progress: 'lesson-progress',
  experts: 'expert-profile',
};

/** Collections naming people that are not their own data, each with why. */
const WITHOUT_PERSONAL_DATA: Record<string, string> = {
  // The erasure log: the participant id of whoever was erased, kept so late events about them are dropped.
  privacy_erasures: 'decision 0022',
  // `createdBy` / `cancellation.cancelledBy`: the officer who acted in office; speakers by expert id.
  sessions: 'the office’s records',
  // `createdBy`: the officer who created the series.
  series: 'the office’s records',
  // `createdBy`: the officer who created the lesson.
  lessons: 'the office’s records',
};

/** Collections without a model: event ids, relay leases, file bytes. */
const RAW_COLLECTIONS = new Set([
  'inbox',
  'outbox_leases',
  'sessionMaterials.chunks',
  'sessionMaterials.files',
]);

/** Field names that hold who someone is: participant ids, account subjects, who acted. */
const PERSON_FIELD = /participantId|subject|learner|manager|ownerId|By$/i;

/** The paths of a schema and its subdocuments, the outbox left out (its subject is the aggregate's id). */
function pathsOf(schema: Schema, prefix = ''): string[] {
  const paths: string[] = [];
  schema.eachPath((path, type) => {
    if (path === 'outbox' || path === 'outboxSince') return;
    const nested = (type as { schema?: Schema }).schema;
    if (nested === undefined) paths.push(`${prefix}${path}`);
    else paths.push(...pathsOf(nested, `${prefix}${path}.`));
  });
  return paths;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'personal data in lectures', (servers) => {
  const database = uniqueName('lectures-personal-data');
  const stack = useLecturesStack(servers, { lecturesEnvironment: { MONGODB_DATABASE: database } });
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let raw: Connection;
  let producer: Producer;
  let watch: TopicWatch;

  const piaSubject = `pia-${randomUUID()}`;
  const piaPhone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const piaEmail = `pia.${randomUUID().slice(0, 6)}@lectures-test.cn`;
  const piaName = '林小雨';
  const piaComment = `讲得很好 ${randomUUID().slice(0, 6)}`;
  const quinnSubject = `quinn-${randomUUID()}`;
  const quinnComment = `内容扎实 ${randomUUID().slice(0, 6)}`;
  let pia: ExpertBody;
  let quinnId: string;
  let forum: ForumBody;
  let lessonId: string;
  const held = sessionDocument();
  const coming = sessionDocument({
    status: 'scheduled',
    startsAt: new Date(Date.now() + 48 * HOUR),
    endsAt: new Date(Date.now() + 50 * HOUR),
    signUpOpensAt: new Date(Date.now() - HOUR),
    signUpClosesAt: new Date(Date.now() + 47 * HOUR),
  });
  let piaAttendance: Enrollment;
  let quinnAttendance: Enrollment;
  const erasure = { requestId: randomUUID(), requestedAt: new Date() };

  const participantToken = (subject: string) => stack.token({ subject, roles: ['participant'] });
  async function reply(method: string, path: string, bearer: string | null, body?: unknown) {
    const response = await stack.lectures.send(method, path, bearer, body);
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  }
  const personalData = (service: string) =>
    createGrpcClient(privacy.PersonalDataServiceClient, {
      address: `127.0.0.1:${stack.lectures.ports.grpcPort}`,
      logger: captureLogger('client').logger,
      deadlineMs: 10_000,
      idempotentMethods: [],
      tokenProvider: () => serviceToken(stack.lectures.issuer, service),
    });
  async function exportOf(participantId: string) {
    const client = personalData('registration');
    try {
      return await client.call.exportPersonalData({ participantId });
    } finally {
      client.close();
    }
  }
  const recordsOf = (
    answer: privacy.ExportPersonalDataResponse,
    kind: string,
  ): Record<string, unknown>[] => {
    const section = answer.sections.find((found) => found.kind === kind);
    if (section === undefined) throw new Error(`no section ${kind}`);
    const records = JSON.parse(section.recordsJson) as Record<string, unknown>[];
    expect(section.recordCount).toBe(String(records.length));
    return records;
  };
  const attend = async (enrollment: Enrollment) => {
    await producer.send({
      topic: enrollmentsTopic,
      messages: [attendanceRecorded(enrollment).message],
    });
  };
  /** Registration's request to erase her data, keyed by her id as registration publishes it. */
  const requestErasure = async (requestId: string) => {
    const entry = newEvent(privacyEvents.erasureRequested, pia.participantId, {
      requestId,
      participantId: pia.participantId,
      requestedAt: erasure.requestedAt,
      accountSubject: piaSubject,
    });
    await producer.send({
      topic: topics.privacyErasures.name,
      messages: [toKafkaMessage(toCloudEvent(entry, '/learning/registration'))],
    });
  };
  /** This app's completions of the request: other test files' lectures apps complete every request too. */
  const completionsOf = (requestId: string) =>
    ownCompletions(watch.messages, privacyEvents.lecturesErasureCompleted, requestId, raw);
  const completedOnce = (requestId: string, what: string) =>
    eventually(what, async () => {
      const found = await completionsOf(requestId);
      return found.length > 0 ? found : undefined;
    });
  /** The collections holding personal data, as text (the erasure log and inboxes change by design). */
  async function snapshot(): Promise<Record<string, string>> {
    const entries = await Promise.all(
      Object.keys(DECLARED).map(async (name) => [
        name,
        JSON.stringify(await raw.collection(name).find().sort({ _id: 1 }).toArray()),
      ]),
    );
    return Object.fromEntries(entries) as Record<string, string>;
  }
  /** Every document of the database but the erasure log, as text. */
  async function databaseText(): Promise<string> {
    const names = (await raw.db?.listCollections().toArray())?.map((found) => found.name) ?? [];
    const texts = await Promise.all(
      names
        .filter((name) => name !== 'privacy_erasures')
        .map(async (name) => JSON.stringify(await raw.collection(name).find().toArray())),
    );
    return texts.join('\n');
  }

  beforeAll(async () => {
    db = await openDatabase(servers.mongo.uri, database);
    raw = db.connection;
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    watch = await watchTopics(servers.kafka, [topics.privacyErasures.name]);

    pia = await createExpert(stack, {
      accountSubject: piaSubject,
      displayName: piaName,
      phone: piaPhone,
      email: piaEmail,
      availability: [
        {
          startsAt: new Date(Date.now() - 30 * 24 * HOUR).toISOString(),
          endsAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString(),
        },
      ],
    });
    quinnId = await registerParticipant(stack, quinnSubject, '周明');
    forum = await createForum(stack, { managerSubjects: [piaSubject, 'other-manager'] });
    await insertValid(db.sessions, [
      { ...held, forumId: forum.id, speakerIds: [pia.id] },
      { ...coming, forumId: forum.id, speakerIds: [pia.id] },
    ]);

    // The speaker's hand-out, uploaded by her.
    const upload = await stack.lectures.send(
      'POST',
      `/v1/sessions/${held._id}/materials?fileName=handout.txt`,
      await expertToken(stack, piaSubject),
      '讲义',
      { contentType: 'text/plain' },
    );
    expect(upload.status, await upload.clone().text()).toBe(201);

    piaAttendance = {
      enrollmentId: randomUUID(),
      sessionId: held._id,
      accountSubject: piaSubject,
      participantId: pia.participantId,
    };
    quinnAttendance = {
      enrollmentId: randomUUID(),
      sessionId: held._id,
      accountSubject: quinnSubject,
      participantId: quinnId,
    };
    await attend(piaAttendance);
    await attend(quinnAttendance);
    await eventually('both attendances copied', async () =>
      (await db.attendance.countDocuments({ sessionId: held._id })) === 2 ? true : undefined,
    );

    for (const [subject, comment, rating] of [
      [piaSubject, piaComment, 5],
      [quinnSubject, quinnComment, 3],
    ] as const) {
      const rated = await reply(
        'POST',
        `/v1/sessions/${held._id}/feedback`,
        await participantToken(subject),
        { rating, comment },
      );
      expect(rated.status, JSON.stringify(rated.body)).toBe(201);
    }

    const admin = await officeToken(stack);
    const lesson = await reply('POST', '/v1/lessons', admin, {
      kind: 'video',
      title: '学习型社会建设讲座',
      description: '终身学习与城市发展',
      categories: ['political_theory'],
      targetTiers: ['ordinary_citizen'],
      lengthSeconds: 600,
      contentUrl: 'https://media.example.org/lessons/1.mp4',
      leadDepartment: 'xuanchuan-bu',
    });
    expect(lesson.status, JSON.stringify(lesson.body)).toBe(201);
    lessonId = String(lesson.body['id']);
    expect((await reply('POST', `/v1/lessons/${lessonId}:publish`, admin, {})).status).toBe(200);
    for (const subject of [piaSubject, quinnSubject]) {
      const beat = await reply(
        'POST',
        `/v1/lessons/${lessonId}/progress`,
        await participantToken(subject),
        { sequence: 1, positionSeconds: 0 },
      );
      expect(beat.status, JSON.stringify(beat.body)).toBe(200);
    }
    // The audit sink files the office's addition of her record and her upload from Kafka.
    await eventually('her record and her upload in the audit log', async () => {
      const log = raw.collection('audit_log');
      const filed =
        (await log.countDocuments({ entityId: pia.id })) > 0 &&
        (await log.countDocuments({ 'actor.subject': piaSubject })) > 0;
      return filed ? true : undefined;
    });
  });
  afterAll(async () => {
    await watch.stop();
    await producer.disconnect();
    await raw.close();
  });

  describe('her copy', () => {
    it('when registration asks for her data, then every kind comes back with her records, unmasked, and nobody else’s', async () => {
      const answer = await exportOf(pia.participantId);

      expect(answer.service).toBe('lectures');
      expect(answer.sections.map((section) => section.kind)).toEqual(KINDS);
      for (const section of answer.sections) {
        expect(section.title?.zhCn).not.toBe('');
        expect(section.title?.en).not.toBe('');
        expect(section.purpose?.zhCn).not.toBe('');
        expect(section.retention?.en).not.toBe('');
      }
      expect(recordsOf(answer, 'forum-management')).toEqual([
        expect.objectContaining({ forumId: forum.id }),
      ]);
      expect(recordsOf(answer, 'material-uploads')).toEqual([
        expect.objectContaining({ fileName: 'handout.txt', sessionId: held._id }),
      ]);
      const audit = recordsOf(answer, 'audit-records');
      expect(audit.map((record) => record['action'])).toContain('expert.add');
      expect(audit.some((record) => JSON.stringify(record['actor']).includes(piaSubject))).toBe(
        true,
      );
      // Her rating names her participant id, so it is hers even once her attendance is withdrawn.
      expect(await db.feedback.findOne({ accountSubject: piaSubject }).lean()).toMatchObject({
        participantId: pia.participantId,
      });
      expect(recordsOf(answer, 'session-feedback')).toEqual([
        expect.objectContaining({ sessionId: held._id, rating: 5, comment: piaComment }),
      ]);
      expect(recordsOf(answer, 'lecture-attendance')).toEqual([
        expect.objectContaining({
          enrollmentId: piaAttendance.enrollmentId,
          sessionId: held._id,
          accountSubject: piaSubject,
        }),
      ]);
      expect(recordsOf(answer, 'lesson-progress')).toEqual([
        expect.objectContaining({ lessonId, accountSubject: piaSubject }),
      ]);
      const [expert] = recordsOf(answer, 'expert-profile');
      expect(expert).toMatchObject({
        expertId: pia.id,
        displayName: piaName,
        phone: piaPhone,
        email: piaEmail,
      });
      expect((expert?.['sessions'] as { sessionId: string }[]).map((s) => s.sessionId)).toEqual([
        held._id,
        coming._id,
      ]);
      const text = JSON.stringify(answer);
      expect(text).not.toContain(quinnComment);
      expect(text).not.toContain(quinnSubject);
    });

    it('when someone other than registration asks, then PERMISSION_DENIED; a bad id, INVALID_ARGUMENT', async () => {
      const scoring = personalData('scoring');
      try {
        await expect(
          scoring.call.exportPersonalData({ participantId: pia.participantId }),
        ).rejects.toMatchObject({ kind: 'permission_denied', code: 'PERSONAL_DATA_CALLER_DENIED' });
        await expect(
          scoring.call.checkErasure({ participantId: pia.participantId }),
        ).rejects.toMatchObject({ kind: 'permission_denied' });
      } finally {
        scoring.close();
      }
      const registration = personalData('registration');
      try {
        await expect(
          registration.call.exportPersonalData({ participantId: 'not-a-uuid' }),
        ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'VALIDATION_FAILED' });
        const stranger = await registration.call.exportPersonalData({
          participantId: randomUUID(),
        });
        expect(stranger.sections.map((section) => section.recordCount)).toEqual(
          KINDS.map(() => '0'),
        );
      } finally {
        registration.close();
      }
    });

    it('when registration checks her erasure, then her coming lecture is explained with when it resolves; his has nothing', async () => {
      const client = personalData('registration');
      try {
        const hers = await client.call.checkErasure({ participantId: pia.participantId });
        expect(hers.obligations).toEqual([
          {
            code: 'EXPERT_SESSIONS_SCHEDULED',
            explanation: {
              zhCn: expect.stringContaining('尚未举办') as string,
              en: expect.stringContaining('not yet held') as string,
            },
            resolvesBy: coming.endsAt,
          },
        ]);
        const his = await client.call.checkErasure({ participantId: quinnId });
        expect(his.obligations).toEqual([]);
      } finally {
        client.close();
      }
    });
  });

  describe('closing her account', () => {
    let completion: privacy.ErasureCompleted;

    beforeAll(async () => {
      await requestErasure(erasure.requestId);
      const [published] = await completedOnce(erasure.requestId, 'lectures’ completion');
      if (published === undefined) throw new Error('no completion');
      completion = published;
    });

    it('when the request is handled, then lectures says once what it erased and what it kept unlinked, and why', () => {
      expect(completion).toMatchObject({
        requestId: erasure.requestId,
        participantId: pia.participantId,
        service: 'lectures',
      });
      const tally = (list: privacy.ErasureTally[]) =>
        Object.fromEntries(list.map((entry) => [entry.kind, entry.count]));
      expect(tally(completion.erased)).toMatchObject({
        'forum-management': '1',
        'session-feedback': '1',
        'lesson-progress': '1',
        'lecture-attendance': '0',
      });
      expect(Number(tally(completion.erased)['audit-records'])).toBeGreaterThanOrEqual(1);
      expect(tally(completion.kept)).toMatchObject({
        'material-uploads': '1',
        'session-feedback': '1',
        'lecture-attendance': '1',
        'expert-profile': '1',
      });
      expect(completion.kept.every((entry) => entry.reason !== '')).toBe(true);
    });

    it('when anyone asks the APIs afterwards, then her name, contacts, comment and progress are nowhere; the figures stay', async () => {
      const admin = await officeToken(stack);
      const expert = await reply('GET', `/v1/experts/${pia.id}`, admin);
      expect(expert.body).toMatchObject({
        displayName: ERASED_EXPERT_NAME,
        phone: null,
        email: null,
        status: 'retired',
        specialties: [],
      });
      expect(JSON.stringify(expert.body)).not.toContain(piaSubject);
      expect((await reply('GET', `/v1/public/experts/${pia.id}`, null)).status).toBe(404);

      const summary = await reply('GET', `/v1/sessions/${held._id}/feedback/summary`, null);
      expect(summary.body).toMatchObject({ summary: { count: 2, mean: 4 } });
      expect(JSON.stringify(summary.body)).not.toContain(piaComment);
      expect(JSON.stringify(summary.body)).toContain(quinnComment);

      const lessons = await reply('GET', '/v1/me/lessons', await participantToken(piaSubject));
      expect(lessons.body['items']).toEqual([]);

      const forumNow = await reply('GET', `/v1/forums/${forum.id}`, admin);
      expect(forumNow.body['managerSubjects']).toEqual(['other-manager']);

      const audit = await reply('GET', `/v1/audit-log?entityType=expert&entityId=${pia.id}`, admin);
      const records = audit.body['items'] as { before: unknown; after: unknown }[];
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((record) => record.before === null && record.after === null)).toBe(true);

      // Rating her session again is refused: her attendance no longer names her.
      const again = await reply(
        'POST',
        `/v1/sessions/${held._id}/feedback`,
        await participantToken(piaSubject),
        { rating: 1 },
      );
      expect(again.status).toBe(403);
    });

    it('when the collections are read, then her name, contacts, id and comment are nowhere; her account stays only in the audit log', async () => {
      const text = await databaseText();
      for (const trace of [pia.participantId, piaName, piaPhone, piaEmail, piaComment])
        expect(text).not.toContain(trace);
      // Her own actions stay in the audit log under her account (the rules keep who did what),
      // as do the office's records of naming her a forum manager (changes of access are audited).
      const own = await raw.collection('audit_log').countDocuments({ 'actor.subject': piaSubject });
      expect(own).toBe(
        Number(completion.kept.find((entry) => entry.kind === 'audit-records')?.count),
      );
      const withoutAudit = text
        .split('\n')
        .filter((collection) => !collection.includes('"actor"'))
        .join('\n');
      expect(withoutAudit).not.toContain(piaSubject);

      // What stays, stays unlinked: the attendance count of the township, his records untouched.
      expect(await db.attendance.countDocuments({ sessionId: held._id })).toBe(2);
      expect(await db.attendance.countDocuments({ participantId: quinnId })).toBe(1);
      expect(await db.feedback.countDocuments({ comment: quinnComment })).toBe(1);
      expect(await progressModel(raw).countDocuments({ participantId: quinnId })).toBe(1);
      const after = await exportOf(pia.participantId);
      expect(after.sections.map((section) => section.recordCount)).toEqual(KINDS.map(() => '0'));
    });

    it('when the same request is delivered again and a late attendance of hers arrives, then nothing changes and no second completion is published', async () => {
      const before = await snapshot();
      await requestErasure(erasure.requestId);
      await attend({
        enrollmentId: randomUUID(),
        sessionId: held._id,
        accountSubject: piaSubject,
        participantId: pia.participantId,
      });
      // Markers behind both on their keys' partitions: once they are handled, so are the two.
      const marker: Enrollment = {
        enrollmentId: randomUUID(),
        sessionId: held._id,
        accountSubject: `marker-${randomUUID()}`,
        participantId: randomUUID(),
      };
      await attend(marker);
      const second = randomUUID();
      await requestErasure(second);
      await eventually('the marker attendance', async () =>
        (await db.attendance.exists({ _id: marker.enrollmentId })) === null ? undefined : true,
      );
      await db.attendance.deleteOne({ _id: marker.enrollmentId });
      await completedOnce(second, 'the second request’s completion');

      expect(await completionsOf(erasure.requestId)).toHaveLength(1);
      expect(await snapshot()).toEqual(before);
    });
  });

  it('when the service’s models and collections are listed, then each one naming a person is declared, or listed as holding no one’s own data', async () => {
    const app = mongoose.connections.find((connection) => connection.name === database);
    if (app === undefined) throw new Error('the app’s connection is not found');
    const naming = Object.values(app.models)
      .filter((model) => pathsOf(model.schema).some((path) => PERSON_FIELD.test(path)))
      .map((model) => model.collection.collectionName);
    expect(naming.length).toBeGreaterThan(0);
    for (const collection of naming)
      expect(
        DECLARED[collection] ?? WITHOUT_PERSONAL_DATA[collection],
        `${collection} names a person: declare it or say why it holds no one's own data`,
      ).toBeDefined();
    const modelled = new Set(
      Object.values(app.models).map((model) => model.collection.collectionName),
    );
    const stored = (await raw.db?.listCollections().toArray())?.map((found) => found.name) ?? [];
    for (const collection of stored.filter((name) => !modelled.has(name)))
      expect(RAW_COLLECTIONS.has(collection), `${collection} has no model: list it`).toBe(true);
    const declaredKinds = (await exportOf(randomUUID())).sections.map((section) => section.kind);
    expect([...new Set(Object.values(DECLARED))].sort()).toEqual([...declaredKinds].sort());
  });
});

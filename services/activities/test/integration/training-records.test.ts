/**
 * Training hours through the real adapters: registration's SessionCheckedIn
 * from Kafka into trainee records (duplicated and reordered, counted once),
 * completions once with a TC certificate, the skills test route, the public
 * check of a code, the trainee's own view and ListCompletions over gRPC.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { activityEvents, enrollmentEvents } from '@learning/contracts';
import { issueVerificationCode } from '@learning/domain';
import {
  fromKafkaMessage,
  newEvent,
  toCloudEvent,
  toKafkaMessage,
  topics,
  type CloudEvent,
} from '@learning/events';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { activities } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  residentIdNumber,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  programmeModel,
  traineeModel,
  trainingClassModel,
} from '../../src/adapters/mongo/training-models.js';
import { CITY, request, T1, T1_V2 } from '../support/activities.js';
import { TRAINING_VERIFICATION_KEY, useActivitiesStack } from '../support/stack.js';

const LEAD = 'renshe-ju';

/** Two hours on a spring morning of 2026 (China time), `day` of March. */
const session = (id: string, day: number) => ({
  id,
  start: new Date(Date.UTC(2026, 2, day, 1, 0)),
  end: new Date(Date.UTC(2026, 2, day, 3, 0)),
  topic: `第${id}课`,
});

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'training hours, completions and certificates',
  (servers) => {
    const stack = useActivitiesStack(servers);
    let connection: Connection;
    let producer: Producer;
    let watch: TopicWatch;
    let grpc: GrpcClient<typeof activities.TrainingRecordServiceService>;
    const tokens = {} as Record<'trainee' | 'lead' | 'otherDepartment' | 'service', string>;
    let participantId: string;
    const traineeSubject = `trainee-${randomUUID()}`;
    const hoursOnly = { programme: randomUUID(), class: randomUUID() };
    const tested = { programme: randomUUID(), class: randomUUID() };

    async function insertProgramme(id: string, requiredMinutes: number, skillsTest: boolean) {
      const now = new Date();
      await programmeModel(connection).create({
        _id: id,
        title: skillsTest ? '农民素质培训（技能考核）' : '十万农村劳动力素质培训',
        description: '',
        leadDepartment: LEAD,
        jurisdictionPath: [CITY],
        firstYear: 2026,
        lastYear: 2027,
        targetGroups: ['rural_labour'],
        categories: ['science_culture_skills'],
        requiredMinutes,
        skillsTest,
        quotas: [],
        status: 'launched',
        enterpriseId: null,
        createdBy: 'lead',
        createdAt: now,
        updatedAt: now,
        launchedAt: now,
        version: 1,
      });
    }

    async function insertClass(
      id: string,
      programmeId: string,
      sessions: ReturnType<typeof session>[],
    ) {
      const now = new Date();
      await trainingClassModel(connection).create({
        _id: id,
        programmeId,
        leadDepartment: LEAD,
        title: `培训班 ${id.slice(0, 4)}`,
        description: '',
        organizer: { kind: 'department', departmentCode: LEAD },
        jurisdictionPath: [CITY, T1],
        venueName: '镇成校',
        address: '',
        sessions,
        startsAt: sessions[0]?.start,
        endsAt: sessions.at(-1)?.end,
        categories: ['science_culture_skills'],
        capacity: 30,
        targetGroups: ['rural_labour'],
        trainers: [],
        public: true,
        status: 'under_way',
        createdBy: 'lead',
        createdAt: now,
        updatedAt: now,
        publishedAt: now,
        version: 1,
      });
    }

    const checkIn = (
      classId: string,
      enrollmentId: string,
      sessionId: string,
      owner = 'training',
    ) =>
      toKafkaMessage(
        toCloudEvent(
          newEvent(enrollmentEvents.SessionCheckedIn, `${owner}:${classId}`, {
            enrollmentId,
            event: { owner, eventId: classId },
            participantId,
            sessionId,
            checkedInAt: new Date(),
          }),
          '/learning/registration',
        ),
      );

    const call = (method: string, path: string, token: string | null, body?: unknown) =>
      request(stack, method, path, token, body);

    const eventsOf = (type: string, classId: string): CloudEvent[] =>
      watch.messages
        .map(({ message }) => fromKafkaMessage(message))
        .filter(
          (event) =>
            event.type === type &&
            (event.data as Record<string, unknown>)['classId'] === classId &&
            (event.data as Record<string, unknown>)['participantId'] === participantId,
        );

    const myTraining = async (programmeId: string) => {
      const reply = await call('GET', '/v1/me/training', tokens.trainee);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return (reply.body['items'] as Record<string, unknown>[]).find(
        (item) => item['programmeId'] === programmeId,
      );
    };

    beforeAll(async () => {
      connection = await createConnection(servers.mongo.uri, {
        dbName: stack.database,
      }).asPromise();
      producer = new Kafka({
        brokers: servers.kafka.brokers,
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      watch = await watchTopics(servers.kafka, [topics.activitiesTraining.name]);
      tokens.trainee = await stack.token({ subject: traineeSubject, roles: ['participant'] });
      tokens.lead = await stack.token({
        subject: 'renshe-officer',
        roles: ['department_officer'],
        department: LEAD,
        cityWide: true,
      });
      tokens.otherDepartment = await stack.token({
        subject: 'jiaoyu-officer',
        roles: ['department_officer'],
        department: 'jiaoyu-ju',
        cityWide: true,
      });
      tokens.service = await stack.token({
        subject: 'service:scoring',
        roles: ['service'],
        service: 'scoring',
        cityWide: true,
      });
      const registered = await stack.registration.send('POST', '/v1/participants', tokens.trainee, {
        name: '王小明',
        tier: 'ordinary_citizen',
        homeJurisdiction: T1_V2,
        idNumber: residentIdNumber('19800101', 611),
        language: 'zh-CN',
        consent: { notifications: false },
      });
      const person = (await registered.json()) as { id: string };
      expect(registered.status, JSON.stringify(person)).toBe(201);
      participantId = person.id;
      await insertProgramme(hoursOnly.programme, 240, false);
      await insertClass(hoursOnly.class, hoursOnly.programme, [
        session('s1', 2),
        session('s2', 9),
        session('s3', 16),
      ]);
      await insertProgramme(tested.programme, 120, true);
      await insertClass(tested.class, tested.programme, [session('t1', 3)]);
      grpc = createGrpcClient(activities.TrainingRecordServiceClient, {
        address: `127.0.0.1:${stack.activities.ports.grpcPort}`,
        logger: captureLogger('training-records-client').logger,
        idempotentMethods: ['listCompletions'],
        tokenProvider: () => tokens.service,
      });
    });

    afterAll(async () => {
      grpc.close();
      await watch.stop();
      await producer.disconnect();
      await connection.close();
    });

    it('when check-ins arrive duplicated and out of order, then each session counts once, the minutes add up and the programme completes once with a TC certificate', async () => {
      const enrollment = randomUUID();
      await producer.send({
        topic: topics.registrationEnrollments.name,
        messages: [
          checkIn(hoursOnly.class, enrollment, 's2'),
          checkIn(hoursOnly.class, enrollment, 's2'),
          checkIn(hoursOnly.class, enrollment, 's2', 'activities'),
          checkIn(hoursOnly.class, enrollment, 's1'),
          checkIn(hoursOnly.class, enrollment, 's2'),
          checkIn(hoursOnly.class, enrollment, 's1'),
        ],
      });
      const completed = await watch.waitFor('completion', (message) => {
        const event = fromKafkaMessage(message.message);
        return (
          event.type === activityEvents.TrainingCompleted.type &&
          (event.data as Record<string, unknown>)['classId'] === hoursOnly.class
        );
      });
      const data = activityEvents.TrainingCompleted.codec.fromJSON(
        fromKafkaMessage((completed[0] as (typeof completed)[number]).message).data,
      );
      expect(data).toMatchObject({
        completionId: `${hoursOnly.programme}:${participantId}:2026`,
        participantId,
        year: 2026,
        learningMinutes: 240,
        traineeJurisdictionPath: [CITY, T1, T1_V2],
        routing: {
          programmeId: hoursOnly.programme,
          leadDepartment: LEAD,
          jurisdictionPath: [CITY, T1],
        },
      });
      expect(data.certificateCode).toMatch(/^TC26(-[0-9A-HJKMNP-TV-Z]{4}){6}$/);

      const mine = await eventually('the record in the trainee view', async () => {
        const item = await myTraining(hoursOnly.programme);
        return item?.['certificateCode'] === data.certificateCode ? item : undefined;
      });
      expect(mine).toMatchObject({
        year: 2026,
        minutes: 240,
        requiredMinutes: 240,
        missingMinutes: 0,
        skillsTestRequired: false,
      });

      // Whatever else is still on its way changes nothing: every message above has been consumed.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const record = await traineeModel(connection)
        .findById(`${hoursOnly.programme}:${participantId}:2026`)
        .lean();
      expect(record).toMatchObject({
        minutes: 240,
        townshipCode: T1,
        trainedMonth: '2026-03',
        completedMonth: expect.stringMatching(/^\d{4}-\d{2}$/) as unknown,
      });
      expect([...(record?.attendanceIds ?? [])].sort()).toEqual([
        `${enrollment}:s1`,
        `${enrollment}:s2`,
      ]);
      const attended = eventsOf(activityEvents.TrainingSessionAttended.type, hoursOnly.class);
      expect(attended).toHaveLength(2);
      expect(
        attended
          .map(
            (event) =>
              activityEvents.TrainingSessionAttended.codec.fromJSON(event.data).programmeMinutes,
          )
          .sort(),
      ).toEqual([120, 240]);
      expect(eventsOf(activityEvents.TrainingCompleted.type, hoursOnly.class)).toHaveLength(1);

      // A third session after the completion adds its minutes, and completes nothing again.
      await producer.send({
        topic: topics.registrationEnrollments.name,
        messages: [checkIn(hoursOnly.class, enrollment, 's3')],
      });
      await eventually('the third session', async () =>
        (await myTraining(hoursOnly.programme))?.['minutes'] === 360 ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(eventsOf(activityEvents.TrainingCompleted.type, hoursOnly.class)).toHaveLength(1);
      expect((await myTraining(hoursOnly.programme))?.['certificateCode']).toBe(
        data.certificateCode,
      );
    });

    it('when a certificate code is checked in public, then a genuine one tells what it certifies with a masked name, an altered one is refused and an unknown one is not found', async () => {
      const item = await eventually('a certificate', async () => {
        const found = await myTraining(hoursOnly.programme);
        return typeof found?.['certificateCode'] === 'string' ? found : undefined;
      });
      const code = item['certificateCode'] as string;
      const genuine = await eventually('the certificate kept', async () => {
        const reply = await call('GET', `/v1/public/training/certificates/${code}`, null);
        return reply.status === 200 ? reply : undefined;
      });
      expect(genuine.body).toMatchObject({
        genuine: true,
        code,
        status: 'valid',
        programmeTitle: '十万农村劳动力素质培训',
        leadDepartment: LEAD,
        maskedName: '王*明',
        year: 2026,
        minutes: 240,
      });
      expect(JSON.stringify(genuine.body)).not.toContain('王小明');
      expect(JSON.stringify(genuine.body)).not.toContain(participantId);

      const last = code.at(-1) === '7' ? '8' : '7';
      const altered = await call(
        'GET',
        `/v1/public/training/certificates/${code.slice(0, -1)}${last}`,
        null,
      );
      expect([altered.status, altered.body['code']]).toEqual([
        400,
        'TRAINING_CERTIFICATE_CODE_INVALID',
      ]);
      const asLearningRecord = await call(
        'GET',
        `/v1/public/training/certificates/LS${code.slice(2)}`,
        null,
      );
      expect(asLearningRecord.body['code']).toBe('TRAINING_CERTIFICATE_CODE_INVALID');

      const neverIssued = issueVerificationCode(
        TRAINING_VERIFICATION_KEY,
        'TC',
        2026,
        randomBytes(10),
      );
      const unknown = await call('GET', `/v1/public/training/certificates/${neverIssued}`, null);
      expect([unknown.status, unknown.body['code']]).toEqual([
        404,
        'TRAINING_CERTIFICATE_NOT_FOUND',
      ]);
    });

    it('when a service lists a person’s completions over gRPC, then it gets the certificate, by year too, and bad ids or years are INVALID_ARGUMENT', async () => {
      const listed = await eventually('the completion listed', async () => {
        const response = await grpc.call.listCompletions({
          participantId,
          year: 0,
          pageSize: 0,
          pageToken: '',
        });
        return response.completions.length > 0 ? response : undefined;
      });
      expect(listed.completions).toHaveLength(1);
      expect(listed.completions[0]).toMatchObject({
        completionId: `${hoursOnly.programme}:${participantId}:2026`,
        programmeId: hoursOnly.programme,
        programmeTitle: '十万农村劳动力素质培训',
        classId: hoursOnly.class,
        year: 2026,
        learningMinutes: 240,
        leadDepartment: LEAD,
      });
      expect(listed.nextPageToken).toBe('');
      const otherYear = await grpc.call.listCompletions({
        participantId,
        year: 2025,
        pageSize: 0,
        pageToken: '',
      });
      expect(otherYear.completions).toEqual([]);
      await expect(
        grpc.call.listCompletions({
          participantId: 'not-an-id',
          year: 0,
          pageSize: 0,
          pageToken: '',
        }),
      ).rejects.toMatchObject({ kind: 'invalid_argument' });
      await expect(
        grpc.call.listCompletions({ participantId, year: 1999, pageSize: 0, pageToken: '' }),
      ).rejects.toMatchObject({ kind: 'invalid_argument' });
    });

    it('when an organizer records a skills test, then only for a programme with one, a person who attended, a day not in the future; a pass with the hours completes once', async () => {
      const put = (classId: string, token: string, body: Record<string, unknown>) =>
        call('PUT', `/v1/training/classes/${classId}/skills-tests/${participantId}`, token, body);
      const pass = { passed: true, score: 86, testedOn: '2026-03-04' };

      expect((await put(hoursOnly.class, tokens.lead, pass)).body['code']).toBe(
        'TRAINING_NO_SKILLS_TEST',
      );
      expect((await put(tested.class, tokens.lead, pass)).body['code']).toBe(
        'TRAINING_NO_ATTENDANCE',
      );
      const stranger = await put(tested.class, tokens.otherDepartment, pass);
      expect([stranger.status, stranger.body['code']]).toEqual([404, 'TRAINING_CLASS_NOT_FOUND']);
      expect((await put(tested.class, tokens.trainee, pass)).body['code']).toBe('ROLE_REQUIRED');
      const unknownClass = await put(randomUUID(), tokens.lead, pass);
      expect(unknownClass.body['code']).toBe('TRAINING_CLASS_NOT_FOUND');

      await producer.send({
        topic: topics.registrationEnrollments.name,
        messages: [checkIn(tested.class, randomUUID(), 't1')],
      });
      const counted = await eventually('the tested class attended', async () => {
        const item = await myTraining(tested.programme);
        return item?.['minutes'] === 120 ? item : undefined;
      });
      // The hours alone do not complete a programme with a test.
      expect(counted).toMatchObject({
        missingMinutes: 0,
        skillsTestRequired: true,
        completedAt: null,
      });

      const future = await put(tested.class, tokens.lead, { ...pass, testedOn: '2999-01-01' });
      expect([future.status, future.body['code']]).toEqual([400, 'TRAINING_TEST_DATE_INVALID']);
      const notADay = await put(tested.class, tokens.lead, { ...pass, testedOn: '2026-02-30' });
      expect(notADay.body['code']).toBe('TRAINING_TEST_DATE_INVALID');

      const failed = await put(tested.class, tokens.lead, {
        passed: false,
        testedOn: '2026-03-04',
      });
      expect(failed.status, JSON.stringify(failed.body)).toBe(200);
      expect(failed.body).toMatchObject({
        completedAt: null,
        skillsTest: { passed: false, score: null },
      });

      const passed = await put(tested.class, tokens.lead, pass);
      expect(passed.status, JSON.stringify(passed.body)).toBe(200);
      expect(passed.body).toMatchObject({ minutes: 120, skillsTest: { passed: true, score: 86 } });
      expect(passed.body['certificateCode']).toMatch(/^TC26-/);
      const again = await put(tested.class, tokens.lead, pass);
      expect(again.body['certificateCode']).toBe(passed.body['certificateCode']);

      await watch.waitFor('the tested completion', (message) => {
        const event = fromKafkaMessage(message.message);
        return (
          event.type === activityEvents.TrainingCompleted.type &&
          (event.data as Record<string, unknown>)['classId'] === tested.class
        );
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(eventsOf(activityEvents.TrainingSkillsTestRecorded.type, tested.class)).toHaveLength(
        2,
      );
      expect(eventsOf(activityEvents.TrainingCompleted.type, tested.class)).toHaveLength(1);
      expect((await myTraining(tested.programme))?.['certificateCode']).toBe(
        passed.body['certificateCode'],
      );
    });

    it('when someone who is not a registered participant asks for their training, then 404 TRAINING_PARTICIPANT_UNKNOWN', async () => {
      const unregistered = await stack.token({
        subject: `nobody-${randomUUID()}`,
        roles: ['participant'],
      });
      const reply = await call('GET', '/v1/me/training', unregistered);
      expect([reply.status, reply.body['code']]).toEqual([404, 'TRAINING_PARTICIPANT_UNKNOWN']);
    });
  },
);

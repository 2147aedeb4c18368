import { randomUUID } from 'node:crypto';
import { privacyEvents } from '@learning/contracts';
import { createGrpcClient } from '@learning/grpc';
import {
  newEvent,
  toCloudEvent,
  toKafkaMessage,
  topics,
  type EventDefinition,
} from '@learning/events';
import { privacy } from '@learning/proto';
import { serviceToken, useServiceApp } from '@learning/runtime/testing';
import {
  captureLogger,
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createConnection, type Connection, type Model } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  eraseCalls,
  keeperService,
  loadKeeperConfig,
  noteModel,
  NOTE_RETENTION_DAYS,
  type NoteDocument,
} from '../support/keeper-service.js';
import { ownCompletions } from '../../src/testing.js';

const DAY_MS = 86_400_000;

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'the personal-data kit in a service',
  (servers) => {
    const database = uniqueName('keeper');
    // The app's now: a year ahead, so the retention sweep at start finds notes written "today" old.
    let clockOffsetMs = 0;
    const keeper = useServiceApp(keeperService, servers, {
      loadConfig: loadKeeperConfig,
      environment: () => ({ MONGODB_DATABASE: database, RETENTION_SWEEP_EVERY_MS: '1000' }),
      clock: () => new Date(Date.now() + clockOffsetMs),
    });
    let connection: Connection;
    let notes: Model<NoteDocument>;
    let producer: Producer;
    let watch: TopicWatch;

    beforeAll(async () => {
      connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
      notes = noteModel(connection);
      producer = new Kafka({
        brokers: servers.kafka.brokers,
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      watch = await watchTopics(servers.kafka, [topics.privacyErasures.name]);
    });
    afterAll(async () => {
      await watch.stop();
      await producer.disconnect();
      await connection.close();
    });

    const client = (service: string) =>
      createGrpcClient(privacy.PersonalDataServiceClient, {
        address: `127.0.0.1:${keeper.ports.grpcPort}`,
        logger: captureLogger('client').logger,
        deadlineMs: 5_000,
        idempotentMethods: [],
        tokenProvider: () => serviceToken(keeper.issuer, service),
      });

    const write = (
      participantId: string,
      text: string,
      options: { pending?: boolean; daysAgo?: number } = {},
    ) =>
      notes.create({
        _id: randomUUID(),
        participantId,
        text,
        pending: options.pending ?? false,
        writtenAt: new Date(Date.now() - (options.daysAgo ?? 0) * DAY_MS),
      });

    const publish = <T>(definition: EventDefinition<T>, subject: string, data: T) =>
      producer.send({
        topic: definition.topic.name,
        messages: [
          toKafkaMessage(
            toCloudEvent(newEvent(definition, subject, data), '/learning/registration'),
          ),
        ],
      });

    /** This app's completions: other test files' lectures apps complete every request too. */
    const completionsOf = (requestId: string) =>
      ownCompletions(watch.messages, privacyEvents.lecturesErasureCompleted, requestId, connection);

    it('when registration asks for a person’s data, then every declared kind comes back with the person’s records only', async () => {
      const [person, other] = [randomUUID(), randomUUID()];
      await write(person, '图书馆周末开放吗？');
      await write(other, '不是此人的留言');
      const registration = client('registration');
      try {
        const answer = await registration.call.exportPersonalData({ participantId: person });
        expect(answer.service).toBe('lectures');
        expect(answer.sections).toHaveLength(1);
        const [section] = answer.sections;
        expect(section).toMatchObject({
          kind: 'notes',
          title: { zhCn: '留言', en: 'Notes' },
          recordCount: '1',
        });
        expect(JSON.parse(section?.recordsJson ?? '[]')).toMatchObject([
          { text: '图书馆周末开放吗？' },
        ]);

        const stranger = await registration.call.exportPersonalData({
          participantId: randomUUID(),
        });
        expect(stranger.sections[0]).toMatchObject({ recordCount: '0', recordsJson: '[]' });
      } finally {
        registration.close();
      }
    });

    it('when a service other than registration asks, or names no valid id, then it is refused with a reason', async () => {
      const activities = client('activities');
      const registration = client('registration');
      try {
        await expect(
          activities.call.exportPersonalData({ participantId: randomUUID() }),
        ).rejects.toMatchObject({ kind: 'permission_denied', code: 'PERSONAL_DATA_CALLER_DENIED' });
        await expect(
          activities.call.checkErasure({ participantId: randomUUID() }),
        ).rejects.toMatchObject({
          kind: 'permission_denied',
        });
        await expect(
          registration.call.exportPersonalData({ participantId: 'not-a-uuid' }),
        ).rejects.toMatchObject({ kind: 'invalid_argument', code: 'VALIDATION_FAILED' });
      } finally {
        activities.close();
        registration.close();
      }
    });

    it('when something open would be cut short, then CheckErasure explains it, and says nothing otherwise', async () => {
      const [waiting, free] = [randomUUID(), randomUUID()];
      await write(waiting, '请回复', { pending: true });
      await write(free, '谢谢');
      const registration = client('registration');
      try {
        expect(await registration.call.checkErasure({ participantId: waiting })).toEqual({
          service: 'lectures',
          obligations: [
            {
              code: 'NOTE_PENDING',
              explanation: { zhCn: '您有一条留言待回复', en: 'A note of yours awaits an answer' },
              resolvesBy: undefined,
            },
          ],
        });
        expect((await registration.call.checkErasure({ participantId: free })).obligations).toEqual(
          [],
        );
      } finally {
        registration.close();
      }
    });

    it('when an erasure request arrives twice, then the data is erased once and the completion published once', async () => {
      const person = randomUUID();
      await write(person, '我的电话是 13800138000');
      await write(person, '第二条');
      const requestId = randomUUID();
      const request = {
        requestId,
        participantId: person,
        requestedAt: new Date(),
        accountSubject: '',
      };
      await publish(privacyEvents.erasureRequested, person, request);

      const [completed] = await eventually('the completion', async () => {
        const found = await completionsOf(requestId);
        return found.length > 0 ? found : undefined;
      });
      const [message] = watch.messages.filter(
        ({ message: watched }) =>
          watched.headers?.['ce_type']?.toString() === 'lectures.erasure.completed.v1' &&
          watched.value?.toString().includes(requestId) === true,
      );
      expect(message?.message.key?.toString()).toBe(person);
      expect(completed).toMatchObject({
        requestId,
        participantId: person,
        service: 'lectures',
        erased: [{ kind: 'notes', count: '0' }],
        kept: [{ kind: 'notes', count: '2', reason: 'counted in the yearly figures' }],
      });
      expect(await notes.countDocuments({ participantId: person })).toBe(0);
      expect(await notes.countDocuments({ text: '我的电话是 13800138000' })).toBe(0);

      await publish(privacyEvents.erasureRequested, person, request);
      // A later request shows the consumer has moved past the duplicate.
      const marker = randomUUID();
      await publish(privacyEvents.erasureRequested, marker, {
        requestId: randomUUID(),
        participantId: marker,
        requestedAt: new Date(),
        accountSubject: '',
      });
      await eventually('the later request handled', () => eraseCalls.includes(marker) || undefined);
      expect(eraseCalls.filter((id) => id === person)).toHaveLength(1);
      expect(await completionsOf(requestId)).toHaveLength(1);
    });

    it('when a request is malformed, then it is parked, and the requests after it are handled', async () => {
      const person = randomUUID();
      await publish(privacyEvents.erasureRequested, person, {
        requestId: 'not-a-uuid',
        participantId: person,
        requestedAt: new Date(),
        accountSubject: '',
      });
      const after = randomUUID();
      await publish(privacyEvents.erasureRequested, after, {
        requestId: randomUUID(),
        participantId: after,
        requestedAt: new Date(),
        accountSubject: '',
      });
      await eventually('the later request handled', () => eraseCalls.includes(after) || undefined);
      expect(eraseCalls).not.toContain(person);
    });

    it('when the clock passes a kind’s retention period, then the sweep removes exactly what is older', async () => {
      const person = randomUUID();
      const old = await write(person, '旧留言', { daysAgo: NOTE_RETENTION_DAYS + 1 });
      const recent = await write(person, '新留言', { daysAgo: NOTE_RETENTION_DAYS - 1 });
      // The sweep ticks every second; the old note goes, the recent one stays.
      await eventually('the old note swept', async () =>
        (await notes.exists({ _id: old._id })) === null ? true : undefined,
      );
      expect(await notes.exists({ _id: recent._id })).not.toBeNull();

      clockOffsetMs = 2 * DAY_MS;
      await eventually('the recent note swept once the clock passed its period', async () =>
        (await notes.exists({ _id: recent._id })) === null ? true : undefined,
      );
      const metrics = await (await fetch(`${keeper.base}/metrics`)).text();
      expect(metrics).toMatch(/privacy_retention_removed_total\{kind="notes"\} [1-9]/);
    });
  },
);

/**
 * The held marking as deployed: two replicas of the lectures app on one
 * database, each ticking, each keeping the attendance copy from registration's
 * events in its own consumer group.
 */
import { randomUUID } from 'node:crypto';
import { fromKafkaMessage, topics } from '@learning/events';
import { generatePiiEnvironment } from '@learning/pii';
import { lectures } from '@learning/proto';
import { useServiceApp, type RunningApp } from '@learning/runtime/testing';
import {
  describeWithServers,
  eventually,
  uniqueName,
  watchTopics,
  type TopicWatch,
  type WatchedMessage,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lecturesService } from '../../src/app.js';
import { loadLecturesConfig } from '../../src/config.js';
import {
  attendanceRecorded,
  enrollmentsTopic,
  insertValid,
  openDatabase,
  sessionDocument,
} from '../support/feedback-fixtures.js';

const HELD = 'lectures.session.held.v1';
const HOUR = 3_600_000;
const TICK_MS = 200;

describeWithServers(['mongo', 'kafka', 'redis'], 'sessions marked held', (servers) => {
  const database = uniqueName('lectures-held');
  const replica = (): RunningApp =>
    useServiceApp(lecturesService, servers, {
      loadConfig: loadLecturesConfig,
      environment: () => ({
        ...generatePiiEnvironment(),
        MONGODB_DATABASE: database,
        KAFKA_GROUP_NAMESPACE: uniqueName('lectures-held'),
        SCHEDULER_TICK_MS: String(TICK_MS),
        SESSION_HELD_GRACE_MS: String(HOUR),
        LOG_LEVEL: 'silent',
      }),
    });
  replica();
  replica();
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let producer: Producer;
  let watch: TopicWatch;

  beforeAll(async () => {
    db = await openDatabase(servers.mongo.uri, database);
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    watch = await watchTopics(servers.kafka, [topics.lecturesSessions.name]);
  });
  afterAll(async () => {
    await watch.stop();
    await producer.disconnect();
    await db.connection.close();
  });

  const heldAbout =
    (sessionId: string) =>
    ({ message }: WatchedMessage): boolean => {
      const event = fromKafkaMessage(message);
      return event.type === HELD && event.subject === sessionId;
    };
  const attend = (sessionId: string, accountSubject: string) =>
    producer.send({
      topic: enrollmentsTopic,
      messages: [
        attendanceRecorded({ enrollmentId: randomUUID(), sessionId, accountSubject }).message,
      ],
    });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 6 * TICK_MS));

  it('when a session ended the grace ago, then it is marked held once with the attendance then, and later attendance changes neither the count nor the event', async () => {
    const now = Date.now();
    const session = sessionDocument({
      startsAt: new Date(now - HOUR),
      endsAt: new Date(now + HOUR),
    });
    // Ended, but within the grace: officers may still confirm attendance.
    const recent = sessionDocument({ endsAt: new Date(now - HOUR / 2) });
    const cancelledLongAgo = sessionDocument({
      status: 'cancelled',
      endsAt: new Date(now - 5 * HOUR),
    });
    await insertValid(db.sessions, [session, recent, cancelledLongAgo]);
    await attend(session._id, 'ann');
    await attend(session._id, 'bob');
    await eventually('the attendance copy', async () =>
      (await db.attendance.countDocuments({ sessionId: session._id })) === 2 ? true : undefined,
    );
    expect((await db.sessions.findById(session._id).lean())?.status).toBe('scheduled');

    // Time passes: the session ended two hours ago.
    await db.sessions.updateOne(
      { _id: session._id },
      { $set: { startsAt: new Date(now - 4 * HOUR), endsAt: new Date(now - 2 * HOUR) } },
    );
    const [published] = await watch.waitFor('SessionHeld', heldAbout(session._id));
    if (published === undefined) throw new Error('SessionHeld not read back');
    expect(lectures.SessionHeld.fromJSON(fromKafkaMessage(published.message).data)).toMatchObject({
      attendanceCount: 2,
      session: { sessionId: session._id, townshipCode: session.venue.townshipCode },
    });
    expect(await db.sessions.findById(session._id).lean()).toMatchObject({
      status: 'held',
      attendanceCount: 2,
    });

    await attend(session._id, 'cat');
    await eventually('the late attendance', async () =>
      (await db.attendance.countDocuments({ sessionId: session._id })) === 3 ? true : undefined,
    );
    await settle();

    expect((await db.sessions.findById(session._id).lean())?.attendanceCount).toBe(2);
    expect(watch.messages.filter(heldAbout(session._id))).toHaveLength(1);
    expect((await db.sessions.findById(recent._id).lean())?.status).toBe('scheduled');
    expect((await db.sessions.findById(cancelledLongAgo._id).lean())?.status).toBe('cancelled');
    expect(watch.messages.filter(heldAbout(recent._id))).toHaveLength(0);
  });
});

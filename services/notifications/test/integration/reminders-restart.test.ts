/**
 * Reminders survive a restart: one planned before the service went down and
 * due while it was down is sent by the first run as the app starts, not at
 * the next tick (set an hour away here), and its state is read from MongoDB.
 */
import { DAY_MS } from '@learning/domain';
import { generatePiiEnvironment } from '@learning/pii';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliveryModel } from '../../src/adapters/mongo/deliveries.js';
import { MongoReminders, reminderModel } from '../../src/adapters/mongo/reminders.js';
import { planReminders } from '../../src/domain/reminders.js';
import { useNotificationsStack } from '../support/stack.js';

/** The app comes back two days after the sign-up it planned reminders for. */
const DOWN_FOR = 2 * DAY_MS;

describeWithServers(['mongo', 'kafka', 'redis'], 'reminders across a restart', (servers) => {
  const database = uniqueName('notifications-restart');
  const enrollmentId = randomUUID();
  const participantId = randomUUID();
  const startsAt = new Date(Date.now() + DOWN_FOR + 3 * 3_600_000);
  let connection: Connection;

  // Planned by the service before it went down: registered first, so it runs before the app starts.
  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    await new MongoReminders(reminderModel(connection)).plan(
      planReminders(
        {
          enrollmentId,
          eventKey: `activities:${randomUUID()}`,
          recipient: participantId,
          summary: { title: '读书分享会', startsAt, endsAt: null, venue: null, placeCode: null },
        },
        new Date(),
      ),
    );
  });
  afterAll(async () => {
    await connection.close();
  });
  useNotificationsStack(servers, {
    clock: () => new Date(Date.now() + DOWN_FOR),
    notificationsEnvironment: {
      MONGODB_DATABASE: database,
      SCHEDULER_TICK_MS: String(3_600_000),
      ...generatePiiEnvironment(),
    },
  });

  it('when the app starts after a reminder fell due, then it is sent at once, and the hour-before one waits', async () => {
    const reminders = reminderModel(connection);
    await eventually('the day-before reminder sent', async () =>
      (await reminders.findById(`${enrollmentId}:day-before`).lean())?.status === 'sent'
        ? true
        : undefined,
    );

    const inbox = await deliveryModel(connection)
      .find({ recipient: participantId, channel: 'inbox' })
      .lean();
    expect(inbox.map((delivery) => delivery.kind)).toEqual(['reminder.day-before']);
    expect((await reminders.findById(`${enrollmentId}:hour-before`).lean())?.status).toBe(
      'planned',
    );
  });
});

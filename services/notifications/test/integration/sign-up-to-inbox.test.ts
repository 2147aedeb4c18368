/**
 * The whole path of a sign-up, with nothing produced by hand: a participant
 * signs up in registration for an activity its (fake) owner serves over
 * gRPC; registration's outbox publishes EnrollmentConfirmed with the event's
 * summary; notifications' reactions put the confirmation, with the title, in
 * the person's inbox and plan the two reminders from the start time.
 */
import { randomUUID } from 'node:crypto';
import { openActivity, useFakeOwner } from '@learning/registration/testing/fake-owner';
import { idNumberOf } from '@learning/registration/testing/people';
import { call } from '@learning/runtime/testing';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reminderModel } from '../../src/adapters/mongo/reminders.js';
import { useNotificationsStack } from '../support/stack.js';

describeWithServers(['mongo', 'kafka', 'redis'], 'a sign-up reaching the inbox', (servers) => {
  // Registered first, so the owner listens before registration starts and stops after it.
  const owner = useFakeOwner();
  const database = uniqueName('notifications-sign-up');
  const stack = useNotificationsStack(servers, {
    registrationEnvironment: () => owner.env(),
    notificationsEnvironment: { MONGODB_DATABASE: database },
  });
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
  });
  afterAll(async () => {
    await connection.close();
  });

  it('when a participant signs up in registration, then their inbox shows the confirmation with the title and both reminders are planned', async () => {
    const village = stack.tree.find((node) => node.level === 'village');
    const township = village?.path.at(-2);
    if (village === undefined || township === undefined) throw new Error('no village in the tree');
    const token = await stack.token({ subject: `person-${randomUUID()}`, roles: ['participant'] });
    const registered = await call(stack.registration.base, 'POST', '/v1/participants', token, {
      name: '赵六',
      tier: 'ordinary_citizen',
      homeJurisdiction: village.code,
      idNumber: idNumberOf('19850101', '091'),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const activity = openActivity(randomUUID(), township, { title: '金秋读书节·亲子共读' });
    owner.put(activity);

    const signedUp = await call(stack.registration.base, 'POST', '/v1/enrollments', token, {
      owner: 'activities',
      eventId: activity.eventId,
    });
    expect(signedUp.status).toBe(201);
    expect(signedUp.body['status']).toBe('confirmed');

    const confirmation = await eventually(
      'the confirmation in the inbox',
      async () => {
        const inbox = await call(stack.notifications.base, 'GET', '/v1/me/inbox', token);
        const items = (inbox.body['items'] ?? []) as {
          kind: string;
          title: string;
          body: string;
        }[];
        return items.find((item) => item.kind === 'enrollment.confirmed');
      },
      45_000,
    );
    expect(`${confirmation.title} ${confirmation.body}`).toContain('金秋读书节·亲子共读');

    const reminders = await reminderModel(connection)
      .find({ enrollmentId: signedUp.body['id'] })
      .lean();
    const startsAt = activity.startsAt?.getTime() ?? 0;
    expect(reminders.map((reminder) => startsAt - reminder.dueAt.getTime()).sort()).toEqual([
      3_600_000, 86_400_000,
    ]);
  });
});

/**
 * Training's events reaching people: a completion told to the trainee with
 * the certificate code, once under redelivery; a class's reschedule told to
 * everyone registration has enrolled in it (owner `training`, the class as
 * the seated event, served by a fake owner), once each.
 */
import { activityEvents } from '@learning/contracts';
import { DAY_MS } from '@learning/domain';
import { activities } from '@learning/proto';
import { openActivity, useFakeOwner } from '@learning/registration/testing/fake-owner';
import { idNumberOf } from '@learning/registration/testing/people';
import { call } from '@learning/runtime/testing';
import { describeWithServers, uniqueName } from '@learning/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliveryModel, type DeliveryDocument } from '../../src/adapters/mongo/deliveries.js';
import { until, useEventProducer } from '../support/events.js';
import { useNotificationsStack } from '../support/stack.js';

describeWithServers(['mongo', 'kafka', 'redis'], 'notifications: training reactions', (servers) => {
  // Registered first, so the owner listens before registration starts and stops after it.
  const owner = useFakeOwner();
  const database = uniqueName('notifications-training');
  const stack = useNotificationsStack(servers, {
    registrationEnvironment: () => ({
      ...owner.env(),
      SEATING_TRAINING_GRPC_ADDRESS: owner.address,
    }),
    notificationsEnvironment: { MONGODB_DATABASE: database },
  });
  const { produce } = useEventProducer(servers, 'training-reactions-test', '/learning/activities');
  let connection: Connection;
  let deliveries: Model<DeliveryDocument>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    deliveries = deliveryModel(connection);
  });
  afterAll(async () => {
    await connection.close();
  });

  const inboxOf = (recipient: string) =>
    deliveries.find({ recipient, channel: 'inbox' }).sort({ createdAt: 1 }).lean();

  const completion = (participantId: string, programmeTitle: string, certificateCode: string) =>
    activities.TrainingCompleted.fromPartial({
      completionId: randomUUID(),
      participantId,
      classId: randomUUID(),
      year: 2026,
      learningMinutes: 2400,
      certificateCode,
      completedAt: new Date(),
      programmeTitle,
      routing: { programmeId: 'prog-1', leadDepartment: 'nongye-ju', jurisdictionPath: [] },
    });

  it('when a trainee completes a programme, and the event is delivered again, then their inbox shows the completion once, with the programme and the certificate code', async () => {
    const trainee = randomUUID();
    const completed = completion(trainee, '十万农村劳动力素质培训工程', 'TC-7KQ2-M9XD');
    const id = await produce(activityEvents.TrainingCompleted, trainee, completed);
    await until('the completion notice', async () => (await inboxOf(trainee)).length === 1);

    await produce(activityEvents.TrainingCompleted, trainee, completed, id);
    // A later completion on the same key (same partition): once it arrives, the repeat was handled.
    const next = await produce(
      activityEvents.TrainingCompleted,
      trainee,
      completion(trainee, '农业实用科技培训', 'TC-3HVN-Q8WA'),
    );
    await until('the second completion', async () => (await inboxOf(trainee)).length >= 2);

    const inbox = await inboxOf(trainee);
    expect(inbox.map((delivery) => [delivery.kind, delivery.noticeId])).toEqual([
      ['training.completed', id],
      ['training.completed', next],
    ]);
    expect(inbox[0]?.title).toContain('十万农村劳动力素质培训工程');
    expect(inbox[0]?.body).toContain('TC-7KQ2-M9XD');
  });

  // Distinct ID numbers within the file, apart from other files' runs against the same registration.
  let sequence = randomInt(0, 900);
  async function registeredTrainee(village: { code: string }): Promise<{
    token: string;
    id: string;
  }> {
    const token = await stack.token({ subject: `person-${randomUUID()}`, roles: ['participant'] });
    const registered = await call(stack.registration.base, 'POST', '/v1/participants', token, {
      name: '钱七',
      tier: 'ordinary_citizen',
      homeJurisdiction: village.code,
      idNumber: idNumberOf('19850101', String(sequence++).padStart(3, '0')),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    return { token, id: String(registered.body['id']) };
  }

  it('when a class is rescheduled, and the event is delivered again, then everyone enrolled in it is told once, with the class’s title', async () => {
    const village = stack.tree.find((node) => node.level === 'village');
    const township = village?.path.at(-2);
    if (village === undefined || township === undefined) throw new Error('no village in the tree');
    const trainingClass = openActivity(randomUUID(), township, { title: '电商实用技能培训班' });
    owner.put(trainingClass);
    const trainees = [await registeredTrainee(village), await registeredTrainee(village)];
    for (const trainee of trainees) {
      const signedUp = await call(
        stack.registration.base,
        'POST',
        '/v1/enrollments',
        trainee.token,
        {
          owner: 'training',
          eventId: trainingClass.eventId,
        },
      );
      expect(signedUp.status, JSON.stringify(signedUp.body)).toBe(201);
    }
    // The confirmations plan the reminders, which hold the title a reschedule does not carry.
    for (const trainee of trainees)
      await until('the confirmation', async () =>
        (await inboxOf(trainee.id)).some((delivery) => delivery.kind === 'enrollment.confirmed'),
      );

    const previousStartsAt = trainingClass.startsAt ?? new Date();
    const startsAt = new Date(previousStartsAt.getTime() + 2 * DAY_MS);
    const rescheduled = activities.TrainingClassRescheduled.fromPartial({
      classId: trainingClass.eventId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 14 * DAY_MS),
      previousStartsAt,
      reason: '场地调整',
      rescheduledAt: new Date(),
      routing: {
        programmeId: 'prog-1',
        leadDepartment: 'nongye-ju',
        jurisdictionPath: ['330281000000', township],
      },
    });
    const id = await produce(
      activityEvents.TrainingClassRescheduled,
      trainingClass.eventId,
      rescheduled,
    );
    await until('both told', async () => {
      const told = await Promise.all(
        trainees.map(async (trainee) =>
          (await inboxOf(trainee.id)).some((delivery) => delivery.kind === 'event.rescheduled'),
        ),
      );
      return told.every(Boolean);
    });

    await produce(activityEvents.TrainingClassRescheduled, trainingClass.eventId, rescheduled, id);
    // A later event on the same key: once the first trainee hears of it, the repeat was handled.
    const [first, second] = trainees as [(typeof trainees)[0], (typeof trainees)[0]];
    await produce(
      activityEvents.TrainingCompleted,
      trainingClass.eventId,
      completion(first.id, '农村电商培训', 'TC-9PLM-2RTS'),
    );
    await until('the later event', async () =>
      (await inboxOf(first.id)).some((delivery) => delivery.kind === 'training.completed'),
    );

    for (const trainee of [first, second]) {
      const notices = (await inboxOf(trainee.id)).filter(
        (delivery) => delivery.kind === 'event.rescheduled',
      );
      expect(notices.map((delivery) => delivery.noticeId)).toEqual([id]);
      expect(notices[0]?.title).toContain('电商实用技能培训班');
    }
  });
});

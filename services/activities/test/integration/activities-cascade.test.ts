import { randomUUID } from 'node:crypto';
import { activityEvents, enrollmentEvents } from '@learning/contracts';
import { topics } from '@learning/events';
import { describeWithServers, eventually, watchTopics, type TopicWatch } from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  about,
  draftBody,
  eventOf,
  idNumberOf,
  idOf,
  peopleOf,
  request,
  T1_V1,
} from '../support/activities.js';
import { useActivitiesStack } from '../support/stack.js';

interface Enrollment {
  id: string;
  status: string;
  eventId: string;
  cancellationReason: string | null;
}

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'an activity cancelled with people signed up',
  (servers) => {
    const stack = useActivitiesStack(servers);
    let people: Awaited<ReturnType<typeof peopleOf>>;
    let watch: TopicWatch;
    const citizens: string[] = [];

    const registrationCall = async (
      method: string,
      path: string,
      token: string,
      body?: unknown,
    ) => {
      const response = await stack.registration.send(method, path, token, body);
      const text = await response.text();
      return {
        status: response.status,
        body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
      };
    };

    beforeAll(async () => {
      people = await peopleOf(stack);
      watch = await watchTopics(servers.kafka, [
        topics.activitiesActivities.name,
        topics.registrationEnrollments.name,
      ]);
      for (const n of [1, 2, 3, 4]) {
        const token = await stack.token({
          // Self-registration is limited per account per hour in the shared Redis: fresh accounts each run.
          subject: `cascade-citizen-${n}-${randomUUID().slice(0, 8)}`,
          roles: ['participant'],
        });
        const registered = await registrationCall('POST', '/v1/participants', token, {
          name: `市民${n}`,
          tier: 'ordinary_citizen',
          homeJurisdiction: T1_V1,
          idNumber: idNumberOf(700 + n),
          language: 'zh-CN',
          consent: { notifications: true },
        });
        if (registered.status !== 201)
          throw new Error(
            `registering a citizen: ${registered.status} ${JSON.stringify(registered.body)}`,
          );
        citizens.push(token);
      }
    });
    afterAll(async () => {
      await watch.stop();
    });

    it('when it is cancelled with a reason, then registration cancels every enrollment exactly once, and cancelling again changes nothing', async () => {
      const id = idOf(
        await request(
          stack,
          'POST',
          '/v1/activities',
          people.adminA,
          draftBody(people.orgA, { capacity: 2 }),
        ),
      );
      expect(
        (await request(stack, 'POST', `/v1/activities/${id}:publish`, people.adminA, {})).status,
      ).toBe(200);

      // Two seats taken and one person waiting, through registration, which asks activities for the seats.
      const statuses: string[] = [];
      const enrollmentIds: string[] = [];
      for (const token of citizens.slice(0, 3)) {
        const signUp = await registrationCall('POST', '/v1/enrollments', token, {
          owner: 'activities',
          eventId: id,
        });
        expect(signUp.status, JSON.stringify(signUp.body)).toBe(201);
        statuses.push(signUp.body['status'] as string);
        enrollmentIds.push(signUp.body['id'] as string);
      }
      expect(statuses).toEqual(['confirmed', 'confirmed', 'waitlisted']);

      // Registration's figures now bind the organizer.
      const below = await request(
        stack,
        'POST',
        `/v1/activities/${id}:change-capacity`,
        people.adminA,
        {
          capacity: 1,
        },
      );
      expect(below.status).toBe(409);
      expect(below.body['code']).toBe('ACTIVITY_CAPACITY_BELOW_ENROLLMENT');
      const noReason = await request(
        stack,
        'POST',
        `/v1/activities/${id}:cancel`,
        people.adminA,
        {},
      );
      expect(noReason.status).toBe(400);
      expect(noReason.body['code']).toBe('ACTIVITY_CANCEL_REASON_REQUIRED');

      const cancelled = await request(stack, 'POST', `/v1/activities/${id}:cancel`, people.adminA, {
        reason: '暴雨预警，活动取消',
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        cancellation: { reason: '暴雨预警，活动取消' },
      });
      const [announcement] = await watch.waitFor(
        'ActivityCancelled',
        about(id, activityEvents.ActivityCancelled.type),
      );
      if (announcement === undefined) throw new Error('no event');
      expect(
        activityEvents.ActivityCancelled.codec.fromJSON(eventOf(announcement).data),
      ).toMatchObject({ activityId: id, reason: '暴雨预警，活动取消', signedUp: 3 });

      // Each person's enrollment is cancelled, each with one EnrollmentCancelled.
      const key = `activities:${id}`;
      const cancelledType = enrollmentEvents.EnrollmentCancelled.type;
      const events = await watch.waitFor(
        'EnrollmentCancelled for each',
        about(key, cancelledType),
        3,
        30_000,
      );
      const cancelledIds = events.map(
        (message) =>
          enrollmentEvents.EnrollmentCancelled.codec.fromJSON(eventOf(message).data).enrollmentId,
      );
      expect(cancelledIds.sort()).toEqual([...enrollmentIds].sort());
      for (const token of citizens.slice(0, 3)) {
        const mine = await eventually('the enrollment cancelled', async () => {
          const reply = await registrationCall('GET', '/v1/me/enrollments', token);
          const found = (reply.body['items'] as Enrollment[]).find((e) => e.eventId === id);
          return found?.status === 'cancelled' ? found : undefined;
        });
        expect(mine.status).toBe('cancelled');
      }

      // Nobody new can sign up for it.
      const late = await registrationCall('POST', '/v1/enrollments', citizens[3] ?? '', {
        owner: 'activities',
        eventId: id,
      });
      expect(late.status).toBe(409);

      // Cancelling again is refused and publishes nothing; registration cancels nothing more.
      const again = await request(stack, 'POST', `/v1/activities/${id}:cancel`, people.adminA, {
        reason: '再次取消',
      });
      expect(again.status).toBe(409);
      expect(again.body['code']).toBe('ACTIVITY_TRANSITION_NOT_ALLOWED');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(watch.messages.filter(about(id, activityEvents.ActivityCancelled.type))).toHaveLength(
        1,
      );
      expect(watch.messages.filter(about(key, cancelledType))).toHaveLength(3);
    });
  },
);

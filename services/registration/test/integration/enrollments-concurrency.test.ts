import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { call } from '../support/http.js';
import { connectTo, seedParticipants } from '../support/people.js';
import { usePublishedEvents } from '../support/events.js';
import { openActivity, useFakeOwner } from '../support/fake-owner.js';

const T1 = '330281001000';
const PEOPLE = 300;
const CAPACITY = 50;
const CANCELLATIONS = 20;
/** The race: a full event whose capacity is lowered, then sign-ups and cancellations at once. */
const RACE_FIRST = 120;
const RACE_CAPACITY = 30;
const RACE_LOWERED = 20;
const RACE_LEAVING = 15;
const RACE_LATE = 100;

interface Enrollment {
  id: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  sequence: number;
  waitlistPosition: number | null;
}

interface StoredEnrollment {
  _id: string;
  status: string;
  sequence: number;
  seat: number | null;
}

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'registration enrollment concurrency',
  (servers) => {
    const owner = useFakeOwner();
    const database = uniqueName('registration');
    const running = useRegistrationApp(servers, () => ({
      ...owner.env(),
      MONGODB_DATABASE: database,
    }));
    const published = usePublishedEvents(servers, [topics.registrationEnrollments.name]);
    let db: Connection;
    const tokens: string[] = [];

    beforeAll(async () => {
      db = await connectTo(servers.mongo.uri, database);
      const subjects = Array.from({ length: PEOPLE }, (_, i) => `person-${i}`);
      await seedParticipants(
        db,
        subjects.map((subject) => ({
          subject,
          tier: 'ordinary_citizen',
          path: ['330281000000', T1],
        })),
      );
      for (const subject of subjects)
        tokens.push(await running.issuer.sign({ subject, roles: ['participant'] }));
      owner.put(openActivity('busy', T1, { capacity: CAPACITY }));
    });
    afterAll(async () => {
      await db.close();
    });

    const stored = async (eventKey = 'activities:busy'): Promise<StoredEnrollment[]> =>
      db
        .collection<StoredEnrollment>('enrollments')
        .find({ eventKey }, { projection: { status: 1, sequence: 1, seat: 1 } })
        .sort({ sequence: 1 })
        .toArray();

    it(`when ${PEOPLE} people sign up at once for ${CAPACITY} seats, then exactly ${CAPACITY} are confirmed, each on its own seat, and the rest wait in arrival order`, async () => {
      const responses = await Promise.all(
        tokens.map((token) =>
          call(running.base, 'POST', '/v1/enrollments', token, {
            owner: 'activities',
            eventId: 'busy',
          }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(PEOPLE).fill(201));

      const all = await stored();
      const confirmed = all.filter((e) => e.status === 'confirmed');
      const waitlisted = all.filter((e) => e.status === 'waitlisted');
      expect(confirmed).toHaveLength(CAPACITY);
      expect(new Set(confirmed.map((e) => e.seat)).size).toBe(CAPACITY);
      expect(waitlisted).toHaveLength(PEOPLE - CAPACITY);
      // Every confirmed person arrived before every waiting one.
      expect(Math.max(...confirmed.map((e) => e.sequence))).toBeLessThan(
        Math.min(...waitlisted.map((e) => e.sequence)),
      );
      // Each waiting person sees their place: 1, 2, 3… in arrival order.
      const waiting = responses
        .map((r, index) => ({
          enrollment: r.body as unknown as Enrollment,
          token: tokens[index] ?? '',
        }))
        .filter(({ enrollment }) => enrollment.status === 'waitlisted')
        .sort((a, b) => a.enrollment.sequence - b.enrollment.sequence);
      const positions = await Promise.all(
        waiting.map(async ({ token }) => {
          const mine = await call(running.base, 'GET', '/v1/me/enrollments', token);
          return (mine.body['items'] as Enrollment[])[0]?.waitlistPosition;
        }),
      );
      expect(positions).toEqual(Array.from({ length: PEOPLE - CAPACITY }, (_, i) => i + 1));
      await published.waitFor('registration.enrollment.confirmed.v1', 'activities:busy', CAPACITY);
      await published.waitFor(
        'registration.enrollment.waitlisted.v1',
        'activities:busy',
        PEOPLE - CAPACITY,
      );
    });

    it(`when ${CANCELLATIONS} confirmed people cancel at once, then exactly the next ${CANCELLATIONS} in line are promoted and the seats never exceed ${CAPACITY}`, async () => {
      const before = await stored();
      const confirmedBefore = before.filter((e) => e.status === 'confirmed');
      const nextInLine = before
        .filter((e) => e.status === 'waitlisted')
        .slice(0, CANCELLATIONS)
        .map((e) => e._id)
        .sort();
      const leaving = confirmedBefore.slice(0, CANCELLATIONS);
      const byId = new Map(
        (
          await db
            .collection<{ _id: string; accountSubject: string }>('enrollments')
            .find(
              { _id: { $in: leaving.map((e) => e._id) } },
              { projection: { accountSubject: 1 } },
            )
            .toArray()
        ).map((e) => [e._id, e.accountSubject]),
      );
      const responses = await Promise.all(
        leaving.map((e) => {
          const index = Number((byId.get(e._id) ?? '').replace('person-', ''));
          return call(running.base, 'DELETE', `/v1/enrollments/${e._id}`, tokens[index] ?? '');
        }),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(CANCELLATIONS).fill(200));

      const after = await stored();
      const confirmedAfter = after.filter((e) => e.status === 'confirmed');
      expect(confirmedAfter).toHaveLength(CAPACITY);
      expect(new Set(confirmedAfter.map((e) => e.seat)).size).toBe(CAPACITY);
      const promoted = confirmedAfter
        .filter((e) => !confirmedBefore.some((c) => c._id === e._id))
        .map((e) => e._id)
        .sort();
      expect(promoted).toEqual(nextInLine);
      await published.waitFor(
        'registration.enrollment.waitlist-promoted.v1',
        'activities:busy',
        CANCELLATIONS,
      );
    });

    it(`when the capacity of a full event is lowered from ${RACE_CAPACITY} to ${RACE_LOWERED}, then ${RACE_LEAVING} cancel while ${RACE_LATE} more sign up, then the confirmed end at ${RACE_LOWERED} within seats 1..${RACE_LOWERED} and exactly the first in line were promoted`, async () => {
      // Its own id each run: the owner's answers are cached in Redis, which outlives a run.
      const eventId = `race-${randomUUID()}`;
      const eventKey = `activities:${eventId}`;
      const event = openActivity(eventId, T1, { capacity: RACE_CAPACITY });
      owner.put(event);
      const signUp = (token: string) =>
        call(running.base, 'POST', '/v1/enrollments', token, {
          owner: 'activities',
          eventId,
        });
      const first = await Promise.all(tokens.slice(0, RACE_FIRST).map(signUp));
      expect(first.map((r) => r.status)).toEqual(Array(RACE_FIRST).fill(201));
      expect(first.filter((r) => r.body['status'] === 'confirmed')).toHaveLength(RACE_CAPACITY);

      owner.put({ ...event, capacity: RACE_LOWERED });
      const producer = new Kafka({
        brokers: servers.kafka.brokers,
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      try {
        const lowered = toCloudEvent(
          newEvent(activityEvents.ActivityRescheduled, eventId, {
            activityId: eventId,
            startsAt: event.startsAt,
            endsAt: event.endsAt,
            previousStartsAt: event.startsAt,
            previousEndsAt: event.endsAt,
            capacity: RACE_LOWERED,
            capacityUnlimited: false,
            reason: 'a smaller room',
            rescheduledAt: new Date(),
            jurisdictionPath: ['330281000000', T1],
          } as never),
          '/learning/activities',
        );
        await producer.send({
          topic: topics.activitiesActivities.name,
          messages: [toKafkaMessage(lowered)],
        });
      } finally {
        await producer.disconnect();
      }
      await eventually('the lowered capacity in the ledger', async () => {
        const ledger = await db
          .collection<{ _id: string; capacity: number }>('seated_events')
          .findOne({ _id: eventKey });
        return ledger?.capacity === RACE_LOWERED ? true : undefined;
      });

      const before = await stored(eventKey);
      const leaving = before.filter((e) => e.status === 'confirmed').slice(0, RACE_LEAVING);
      const subjects = new Map(
        (
          await db
            .collection<{ _id: string; accountSubject: string }>('enrollments')
            .find(
              { _id: { $in: leaving.map((e) => e._id) } },
              { projection: { accountSubject: 1 } },
            )
            .toArray()
        ).map((e) => [e._id, e.accountSubject]),
      );
      const tokenOf = (id: string) =>
        tokens[Number((subjects.get(id) ?? '').replace('person-', ''))] ?? '';
      const promotable = RACE_LOWERED - (RACE_CAPACITY - RACE_LEAVING);
      const nextInLine = before
        .filter((e) => e.status === 'waitlisted')
        .slice(0, promotable)
        .map((e) => e._id)
        .sort();

      const responses = await Promise.all([
        ...leaving.map((e) =>
          call(running.base, 'DELETE', `/v1/enrollments/${e._id}`, tokenOf(e._id)),
        ),
        ...tokens.slice(RACE_FIRST, RACE_FIRST + RACE_LATE).map(signUp),
      ]);
      expect(responses.map((r) => r.status)).toEqual([
        ...Array<number>(RACE_LEAVING).fill(200),
        ...Array<number>(RACE_LATE).fill(201),
      ]);

      const after = await stored(eventKey);
      const confirmed = after.filter((e) => e.status === 'confirmed');
      expect(confirmed).toHaveLength(RACE_LOWERED);
      expect(new Set(confirmed.map((e) => e.seat)).size).toBe(RACE_LOWERED);
      expect(confirmed.every((e) => e.seat !== null && e.seat <= RACE_LOWERED)).toBe(true);
      const promoted = confirmed
        .filter((e) => !before.some((b) => b._id === e._id && b.status === 'confirmed'))
        .map((e) => e._id)
        .sort();
      expect(promoted).toEqual(nextInLine);
      // Everyone still waiting arrived after everyone confirmed.
      const waiting = after.filter((e) => e.status === 'waitlisted');
      expect(waiting).toHaveLength(RACE_FIRST + RACE_LATE - RACE_CAPACITY - promotable);
      expect(Math.max(...confirmed.map((e) => e.sequence))).toBeLessThan(
        Math.min(...waiting.map((e) => e.sequence)),
      );
    });
  },
);

import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import type { seating } from '@learning/proto';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { usePublishedEvents } from '../support/events.js';
import { openActivity, useFakeOwner } from '../support/fake-owner.js';
import { call } from '../support/http.js';
import { connectTo, seedParticipants } from '../support/people.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';

const CHECKED_IN = 'registration.enrollment.checked-in.v1';
const SESSION_CHECKED_IN = 'registration.enrollment.session-checked-in.v1';
const CANCELLED = 'registration.enrollment.cancelled.v1';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Enrollment {
  id: string;
  status: string;
  checkInCode: string;
  qrPayload: string;
  sessionCheckIns: { sessionId: string; at: string }[];
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration: training classes', (servers) => {
  const owner = useFakeOwner();
  const database = uniqueName('registration');
  const running = useRegistrationApp(servers, () => ({
    ...owner.env(),
    // The fake owner serves the training classes too.
    SEATING_TRAINING_GRPC_ADDRESS: owner.address,
    MONGODB_DATABASE: database,
  }));
  const published = usePublishedEvents(servers, [topics.registrationEnrollments.name]);
  let db: Connection;
  let producer: Producer;
  const people: Record<string, { id: string; token: string }> = {};
  let officer: string;

  const person = (name: string) => {
    const found = people[name];
    if (found === undefined) throw new Error(`no person ${name}`);
    return found;
  };

  beforeAll(async () => {
    db = await connectTo(servers.mongo.uri, database);
    const names = ['ann', 'bob', 'cat', 'dan', 'eve'];
    const seeds = names.map((name) => ({
      subject: uniqueName(name),
      tier: 'ordinary_citizen' as const,
      path: [CITY, T1, T1_V1],
    }));
    const ids = await seedParticipants(db, seeds);
    for (const [index, name] of names.entries())
      people[name] = {
        id: ids[index] ?? '',
        token: await running.issuer.sign({
          subject: seeds[index]?.subject ?? '',
          roles: ['participant'],
        }),
      };
    // Ann is on the staff of the enterprise; Bob was, and has left.
    const membership = (name: string, status: 'active' | 'ended') => ({
      _id: `org-staff:${person(name).id}`,
      organizationId: 'org-staff',
      participantId: person(name).id,
      organizationKind: 'enterprise',
      role: 'member',
      status,
      since: new Date(),
      endedAt: status === 'ended' ? new Date() : null,
      jurisdictionPath: [CITY, T1],
      version: 1,
    });
    await db
      .collection<{ _id: string }>('memberships')
      .insertMany([membership('ann', 'active'), membership('bob', 'ended')]);
    officer = await running.issuer.sign({
      subject: 'officer-t1',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await db.close();
  });

  /**
   * A class meeting tonight (under way: its first session began half an hour
   * ago) and a week later; its own id each run, since the owner's answers are
   * cached in Redis, which outlives a run.
   */
  function trainingClass(overrides: Partial<seating.SeatedEvent> = {}) {
    const tonight = new Date(Date.now() - 30 * MINUTE);
    const nextWeek = new Date(tonight.getTime() + 7 * DAY);
    const classId = `class-${randomUUID()}`;
    owner.put(
      openActivity(classId, T1, {
        title: `Class ${classId}`,
        startsAt: tonight,
        endsAt: new Date(nextWeek.getTime() + 90 * MINUTE),
        sessions: [
          {
            sessionId: 's-1',
            startsAt: tonight,
            endsAt: new Date(tonight.getTime() + 90 * MINUTE),
            learningMinutes: 90,
          },
          {
            sessionId: 's-2',
            startsAt: nextWeek,
            endsAt: new Date(nextWeek.getTime() + 90 * MINUTE),
            learningMinutes: 90,
          },
        ],
        ...overrides,
      }),
    );
    return { classId, eventKey: `training:${classId}` };
  }

  const signUp = (who: string, classId: string) =>
    call(running.base, 'POST', '/v1/enrollments', person(who).token, {
      owner: 'training',
      eventId: classId,
    });
  const enrolled = async (who: string, classId: string): Promise<Enrollment> => {
    const response = await signUp(who, classId);
    expect(response.status).toBe(201);
    return response.body as unknown as Enrollment;
  };
  const scan = (body: Record<string, unknown>) =>
    call(running.base, 'POST', '/v1/check-ins', officer, body);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));
  const count = (eventKey: string, type: string) =>
    published.about(eventKey).filter((event) => event.type === type).length;

  describe('a members-only class', () => {
    it('when a former member and a member sign up, then the former is refused with NOT_A_MEMBER and the member gets a seat', async () => {
      const { classId } = trainingClass({
        audience: {
          targetTiers: openActivity('x', T1).audience?.targetTiers ?? [],
          areaRootCodes: [T1],
          pupilAgeBand: undefined,
          organizationIds: ['org-staff'],
        },
      });

      const refused = await signUp('bob', classId);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        code: 'ENROLLMENT_NOT_ELIGIBLE',
        details: [expect.objectContaining({ field: 'NOT_A_MEMBER' })],
      });
      const accepted = await signUp('ann', classId);
      expect(accepted.status).toBe(201);
      expect(accepted.body).toMatchObject({ status: 'confirmed', sessionCheckIns: [] });
    });

    it('when the class names no organization, then anyone of its audience signs up, members or not', async () => {
      const { classId } = trainingClass();
      expect((await signUp('bob', classId)).status).toBe(201);
    });
  });

  describe('check-in by the session', () => {
    it('when an officer scans the QR for tonight’s session twice, then it is checked in once with SessionCheckedIn and CheckedIn, and the enrollment shows the session', async () => {
      const { classId, eventKey } = trainingClass();
      const ann = await enrolled('ann', classId);

      const first = await scan({ qr: ann.qrPayload, sessionId: 's-1' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        outcome: 'checked_in',
        enrollmentId: ann.id,
        sessionId: 's-1',
      });
      const second = await scan({ qr: ann.qrPayload, sessionId: 's-1' });
      expect(second.body).toMatchObject({
        outcome: 'already_checked_in',
        sessionId: 's-1',
        checkedInAt: first.body['checkedInAt'],
      });

      const [sessionEvent] = await published.waitFor(SESSION_CHECKED_IN, eventKey);
      expect(sessionEvent?.data).toMatchObject({
        enrollmentId: ann.id,
        event: { owner: 'training', eventId: classId },
        participantId: person('ann').id,
        sessionId: 's-1',
        checkedInAt: first.body['checkedInAt'],
      });
      const [checkedIn] = await published.waitFor(CHECKED_IN, eventKey);
      expect(checkedIn?.data).toMatchObject({
        enrollmentId: ann.id,
        checkedInAt: first.body['checkedInAt'],
      });
      await settle();
      expect(count(eventKey, SESSION_CHECKED_IN)).toBe(1);
      expect(count(eventKey, CHECKED_IN)).toBe(1);

      const mine = await call(running.base, 'GET', '/v1/me/enrollments', person('ann').token);
      const shown = (mine.body['items'] as Enrollment[]).find((e) => e.id === ann.id);
      expect(shown?.sessionCheckIns).toEqual([{ sessionId: 's-1', at: first.body['checkedInAt'] }]);
    });

    it('when a scan names an unknown session, next week’s session, or none, then 400 CHECK_IN_SESSION_UNKNOWN, 409 CHECK_IN_NOT_OPEN and 400 CHECK_IN_SESSION_REQUIRED, and nothing is recorded', async () => {
      const { classId, eventKey } = trainingClass();
      const cat = await enrolled('cat', classId);

      const unknown = await scan({ qr: cat.qrPayload, sessionId: 's-9' });
      expect(unknown.status).toBe(400);
      expect(unknown.body['code']).toBe('CHECK_IN_SESSION_UNKNOWN');
      const early = await scan({ qr: cat.qrPayload, sessionId: 's-2' });
      expect(early.status).toBe(409);
      expect(early.body['code']).toBe('CHECK_IN_NOT_OPEN');
      expect(early.body['message']).toMatch(/before the session starts/);
      const none = await scan({ qr: cat.qrPayload });
      expect(none.status).toBe(400);
      expect(none.body['code']).toBe('CHECK_IN_SESSION_REQUIRED');

      const stored = await db
        .collection<{ _id: string; checkedInAt: Date | null; sessionCheckIns?: unknown[] }>(
          'enrollments',
        )
        .findOne({ _id: cat.id });
      expect(stored?.checkedInAt).toBeNull();
      expect(stored?.sessionCheckIns ?? []).toEqual([]);
      expect(published.about(eventKey).some((e) => e.type === SESSION_CHECKED_IN)).toBe(false);
    });

    it('when a typed code names a session, then that session is checked in like a QR', async () => {
      const { classId, eventKey } = trainingClass();
      const dan = await enrolled('dan', classId);

      const typed = await scan({
        code: dan.checkInCode.toLowerCase(),
        owner: 'training',
        eventId: classId,
        sessionId: 's-1',
      });
      expect(typed.status).toBe(200);
      expect(typed.body).toMatchObject({
        outcome: 'checked_in',
        enrollmentId: dan.id,
        sessionId: 's-1',
      });
      await published.waitFor(SESSION_CHECKED_IN, eventKey);
    });

    it('when an offline batch holds a person’s session twice and is uploaded twice, then each (person, session) is checked in once at its earliest scan', async () => {
      const { classId, eventKey } = trainingClass();
      const eve = await enrolled('eve', classId);
      const bob = await enrolled('bob', classId);
      const early = new Date(Date.now() - 20 * MINUTE).toISOString();
      const late = new Date(Date.now() - 10 * MINUTE).toISOString();
      const scans = [
        {
          code: eve.checkInCode,
          owner: 'training',
          eventId: classId,
          sessionId: 's-1',
          scannedAt: late,
        },
        { qr: eve.qrPayload, sessionId: 's-1', scannedAt: early },
        { qr: bob.qrPayload, sessionId: 's-1', scannedAt: late },
        { qr: bob.qrPayload, sessionId: 's-9', scannedAt: late },
      ];

      const first = await call(running.base, 'POST', '/v1/check-ins:batch', officer, { scans });
      expect(first.status).toBe(200);
      expect(first.body['results']).toEqual([
        expect.objectContaining({
          index: 0,
          outcome: 'already_checked_in',
          sessionId: 's-1',
          checkedInAt: early,
        }),
        expect.objectContaining({
          index: 1,
          outcome: 'checked_in',
          sessionId: 's-1',
          checkedInAt: early,
        }),
        expect.objectContaining({
          index: 2,
          outcome: 'checked_in',
          sessionId: 's-1',
          checkedInAt: late,
        }),
        expect.objectContaining({ index: 3, outcome: 'refused', code: 'CHECK_IN_SESSION_UNKNOWN' }),
      ]);
      const again = await call(running.base, 'POST', '/v1/check-ins:batch', officer, { scans });
      expect((again.body['results'] as { outcome: string }[]).map((r) => r.outcome)).toEqual([
        'already_checked_in',
        'already_checked_in',
        'already_checked_in',
        'refused',
      ]);

      await published.waitFor(SESSION_CHECKED_IN, eventKey, 2);
      await published.waitFor(CHECKED_IN, eventKey, 2);
      await settle();
      expect(count(eventKey, SESSION_CHECKED_IN)).toBe(2);
      expect(count(eventKey, CHECKED_IN)).toBe(2);
      const stored = await db
        .collection<{ _id: string; checkedInAt: Date | null; sessionCheckIns?: unknown[] }>(
          'enrollments',
        )
        .findOne({ _id: eve.id });
      expect(stored?.checkedInAt?.toISOString()).toBe(early);
      expect(stored?.sessionCheckIns).toEqual([{ sessionId: 's-1', at: new Date(early) }]);
    });
  });

  describe('the training owner’s changes', () => {
    it('when the class is moved with a seat more, then the enrollments are flagged and the first in line is promoted', async () => {
      const startsAt = new Date(Date.now() + 2 * DAY);
      const { classId, eventKey } = trainingClass({
        capacity: 1,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 7 * DAY),
      });
      await enrolled('ann', classId);
      const waiting = await enrolled('cat', classId);
      expect(waiting.status).toBe('waitlisted');
      const movedTo = new Date(startsAt.getTime() + DAY);
      const entry = newEvent(activityEvents.TrainingClassRescheduled, classId, {
        classId,
        startsAt: movedTo,
        endsAt: new Date(movedTo.getTime() + 7 * DAY),
        capacity: 2,
        capacityUnlimited: false,
        reason: 'the hall is taken',
        rescheduledAt: new Date(),
        previousStartsAt: startsAt,
        previousEndsAt: new Date(startsAt.getTime() + 7 * DAY),
      });
      await producer.send({
        topic: topics.activitiesTraining.name,
        messages: [toKafkaMessage(toCloudEvent(entry, '/learning/activities'))],
      });

      const [promoted] = await published.waitFor(
        'registration.enrollment.waitlist-promoted.v1',
        eventKey,
      );
      expect(promoted?.data).toMatchObject({ enrollmentId: waiting.id });
      const mine = await call(running.base, 'GET', '/v1/me/enrollments', person('cat').token);
      expect(
        (mine.body['items'] as (Enrollment & { rescheduled: unknown })[]).find(
          (e) => e.id === waiting.id,
        ),
      ).toMatchObject({ status: 'confirmed', rescheduled: { startsAt: movedTo.toISOString() } });
    });

    it('when the class is cancelled (the event arriving twice), then each enrollment is cancelled once with the reason', async () => {
      const { classId, eventKey } = trainingClass({
        startsAt: new Date(Date.now() + 2 * DAY),
        endsAt: new Date(Date.now() + 9 * DAY),
      });
      await enrolled('ann', classId);
      await enrolled('cat', classId);
      const entry = newEvent(activityEvents.TrainingClassCancelled, classId, {
        classId,
        reason: 'the trainer is ill',
        cancelledAt: new Date(),
      });
      const event = toCloudEvent(entry, '/learning/activities');
      for (let times = 0; times < 2; times += 1)
        await producer.send({
          topic: topics.activitiesTraining.name,
          messages: [toKafkaMessage(event)],
        });

      const cancelled = await published.waitFor(CANCELLED, eventKey, 2);
      for (const one of cancelled)
        expect(one.data).toMatchObject({
          event: { owner: 'training', eventId: classId },
          reason: 'CANCELLATION_REASON_EVENT_CANCELLED',
          note: 'the trainer is ill',
        });
      await settle();
      expect(count(eventKey, CANCELLED)).toBe(2);
      const late = await signUp('eve', classId);
      expect(late.status).toBe(409);
      expect(late.body['code']).toBe('ENROLLMENT_EVENT_CANCELLED');
      await eventually('both enrollments cancelled', async () => {
        const statuses = await db
          .collection<{ eventKey: string; status: string }>('enrollments')
          .find({ eventKey })
          .toArray();
        return statuses.length === 2 && statuses.every((e) => e.status === 'cancelled')
          ? true
          : undefined;
      });
    });
  });
});

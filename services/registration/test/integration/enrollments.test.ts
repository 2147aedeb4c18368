import { randomUUID } from 'node:crypto';
import { createGrpcClient } from '@learning/grpc';
import { activityEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { registration } from '@learning/proto';
import {
  describeWithServers,
  eventually,
  captureLogger,
  jurisdictionTree,
  uniqueName,
} from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { call, seedJurisdictions, send, type Call } from '../support/http.js';
import { connectTo, idNumberOf, seedParticipants } from '../support/people.js';
import { usePublishedEvents } from '../support/events.js';
import { openActivity, useFakeOwner } from '../support/fake-owner.js';

const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2 = '330281002000';
const T2_V1 = '330281002001';
const CITY = '330281000000';

/** What every enrollment event tells of its event (the fake owner's activities have no organizer, left out as empty). */
const summaryOf = (eventId: string) => ({
  eventSummary: { title: `Activity ${eventId}`, jurisdictionPath: [CITY, T1] },
});

const CONFIRMED = 'registration.enrollment.confirmed.v1';
const WAITLISTED = 'registration.enrollment.waitlisted.v1';
const PROMOTED = 'registration.enrollment.waitlist-promoted.v1';
const CANCELLED = 'registration.enrollment.cancelled.v1';
const CHECKED_IN = 'registration.enrollment.checked-in.v1';
const ATTENDED = 'registration.enrollment.attendance-recorded.v1';
const CHECK_IN_INVALIDATED = 'registration.enrollment.check-in-invalidated.v1';

interface Enrollment {
  id: string;
  status: string;
  sequence: number;
  waitlistPosition: number | null;
  checkInCode: string;
  qrPayload: string;
  cancellationReason: string | null;
  rescheduled: { startsAt: string } | null;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration enrollments', (servers) => {
  const owner = useFakeOwner();
  const database = uniqueName('registration');
  const running = useRegistrationApp(servers, () => ({
    ...owner.env(),
    MONGODB_DATABASE: database,
    // Nothing listens on port 1: the lectures owner is unreachable.
    SEATING_LECTURES_GRPC_ADDRESS: '127.0.0.1:1',
  }));
  const published = usePublishedEvents(servers, [topics.registrationEnrollments.name]);
  let db: Connection;
  let producer: Producer;
  const people: Record<string, { id: string; token: string }> = {};
  let officerT1: string;
  let officerT2: string;

  const person = (name: string) => {
    const found = people[name];
    if (found === undefined) throw new Error(`no person ${name}`);
    return found;
  };

  beforeAll(async () => {
    db = await connectTo(servers.mongo.uri, database);
    const seeds = [
      { subject: 'ann', tier: 'ordinary_citizen' as const, path: [CITY, T1, T1_V1] },
      { subject: 'bob', tier: 'ordinary_citizen' as const, path: [CITY, T1, T1_V1] },
      { subject: 'cat', tier: 'ordinary_citizen' as const, path: [CITY, T1, T1_V1] },
      { subject: 'dan', tier: 'leading_cadre' as const, path: [CITY, T2, T2_V1] },
      { subject: 'eve', tier: 'ordinary_citizen' as const, path: [CITY, T1] },
    ];
    const ids = await seedParticipants(db, seeds);
    for (const [index, seed] of seeds.entries()) {
      people[seed.subject] = {
        id: ids[index] ?? '',
        token: await running.issuer.sign({ subject: seed.subject, roles: ['participant'] }),
      };
    }
    officerT1 = await running.issuer.sign({
      subject: 'officer-t1',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    officerT2 = await running.issuer.sign({
      subject: 'officer-t2',
      roles: ['area_officer'],
      jurisdictions: [T2],
    });
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await db.close();
  });

  const signUp = (who: string, eventId: string, owner_ = 'activities') =>
    call(running.base, 'POST', '/v1/enrollments', person(who).token, { owner: owner_, eventId });

  describe('sign-up', () => {
    it('when an eligible participant signs up, then the seat is confirmed with a code and a signed QR payload, and EnrollmentConfirmed is published once', async () => {
      owner.put(openActivity('a-1', T1, { capacity: 1 }));
      const first = await signUp('ann', 'a-1');
      expect(first.status).toBe(201);
      const enrollment = first.body as unknown as Enrollment;
      expect(enrollment.status).toBe('confirmed');
      expect(enrollment.checkInCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
      expect(enrollment.qrPayload).toMatch(
        new RegExp(`^LSQ1\\.${enrollment.id}\\.${enrollment.checkInCode}\\.[A-Za-z0-9_-]{22}$`),
      );
      const [event] = await published.waitFor(CONFIRMED, 'activities:a-1');
      expect(event?.data).toMatchObject({
        enrollmentId: enrollment.id,
        participantId: person('ann').id,
        ...summaryOf('a-1'),
      });
      const summary = (event?.data as { eventSummary: { startsAt: string; endsAt: string } })
        .eventSummary;
      expect(new Date(summary.endsAt).getTime()).toBeGreaterThan(
        new Date(summary.startsAt).getTime(),
      );
    });

    it('when the same person signs up again, then the existing enrollment comes back with 200 and nothing is published', async () => {
      const again = await signUp('ann', 'a-1');
      expect(again.status).toBe(200);
      expect((again.body as unknown as Enrollment).status).toBe('confirmed');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(published.about('activities:a-1').filter((e) => e.type === CONFIRMED)).toHaveLength(1);
    });

    it('when the seats are taken, then the next person is waitlisted at position 1 and EnrollmentWaitlisted is published', async () => {
      const response = await signUp('bob', 'a-1');
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
      const [waitlisted] = await published.waitFor(WAITLISTED, 'activities:a-1');
      expect(waitlisted?.data).toMatchObject(summaryOf('a-1'));
    });

    it('when tier and area both miss the audience, then 403 ENROLLMENT_NOT_ELIGIBLE lists every refusal', async () => {
      const response = await signUp('dan', 'a-1');
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({
        code: 'ENROLLMENT_NOT_ELIGIBLE',
        details: [
          { field: 'TIER_NOT_TARGETED', message: 'This event is not open to your group.' },
          { field: 'OUTSIDE_AREA', message: 'This event is for residents of another area.' },
        ],
      });
    });

    it('when the sign-up window has closed, then 409 ENROLLMENT_WINDOW_CLOSED', async () => {
      owner.put(openActivity('a-closed', T1, { signUpClosesAt: new Date(Date.now() - 1000) }));
      const response = await signUp('ann', 'a-closed');
      expect(response.status).toBe(409);
      expect(response.body['code']).toBe('ENROLLMENT_WINDOW_CLOSED');
    });

    it('when the owner does not know the event, then 404 SEATED_EVENT_NOT_FOUND', async () => {
      const response = await signUp('ann', 'no-such-event');
      expect(response.status).toBe(404);
      expect(response.body['code']).toBe('SEATED_EVENT_NOT_FOUND');
    });

    it('when the owner is unreachable, then 503 UPSTREAM_UNAVAILABLE comes within the deadline', async () => {
      const started = Date.now();
      const response = await signUp('ann', 'l-1', 'lectures');
      expect(response.status).toBe(503);
      expect(response.body['code']).toBe('UPSTREAM_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('when the body smuggles an operator or an unknown owner, then 400 and nothing is stored', async () => {
      const operator = await call(running.base, 'POST', '/v1/enrollments', person('ann').token, {
        owner: 'activities',
        eventId: { $ne: null },
      });
      expect(operator.status).toBe(400);
      const unknownOwner = await call(
        running.base,
        'POST',
        '/v1/enrollments',
        person('ann').token,
        {
          owner: 'scoring',
          eventId: 'x',
        },
      );
      expect(unknownOwner.status).toBe(400);
      expect(unknownOwner.body['code']).toBe('VALIDATION_FAILED');
    });

    it('when the owner answers, then the answer is cached and the owner is asked once for a burst', async () => {
      owner.put(openActivity('a-cache', T1, { capacity: 5 }));
      const before = owner.calls;
      await signUp('ann', 'a-cache');
      await signUp('bob', 'a-cache');
      await signUp('cat', 'a-cache');
      expect(owner.calls - before).toBe(1);
    });
  });

  describe('cancel, my enrollments and the roster', () => {
    it('when the confirmed person cancels, then the first in line is promoted and both events are published', async () => {
      const mine = await call(running.base, 'GET', '/v1/me/enrollments', person('ann').token);
      const ann = (mine.body['items'] as Enrollment[]).find((e) => e.status === 'confirmed');
      expect(ann).toBeDefined();
      const response = await call(
        running.base,
        'DELETE',
        `/v1/enrollments/${ann?.id ?? ''}`,
        person('ann').token,
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'cancelled', cancellationReason: 'self' });
      const [cancelled] = await published.waitFor(CANCELLED, 'activities:a-1');
      expect(cancelled?.data).toMatchObject({
        reason: 'CANCELLATION_REASON_SELF',
        freedSeat: true,
        ...summaryOf('a-1'),
      });
      const [promoted] = await published.waitFor(PROMOTED, 'activities:a-1');
      expect(promoted?.data).toMatchObject({
        participantId: person('bob').id,
        ...summaryOf('a-1'),
      });
    });

    it('when someone else tries to cancel a person’s enrollment, then 404 and it stays', async () => {
      const mine = await call(running.base, 'GET', '/v1/me/enrollments', person('bob').token);
      const bob = (mine.body['items'] as Enrollment[])[0];
      const response = await call(
        running.base,
        'DELETE',
        `/v1/enrollments/${bob?.id ?? ''}`,
        person('cat').token,
      );
      expect(response.status).toBe(404);
      expect(response.body['code']).toBe('ENROLLMENT_NOT_FOUND');
      const byOtherOfficer = await call(
        running.base,
        'DELETE',
        `/v1/enrollments/${bob?.id ?? ''}`,
        officerT2,
      );
      expect(byOtherOfficer.status).toBe(404);
    });

    it('when an officer of the event’s township reads the roster, then it is in arrival order without codes; another township’s officer gets 404', async () => {
      const roster = await call(
        running.base,
        'GET',
        '/v1/events/activities/a-1/enrollments',
        officerT1,
      );
      expect(roster.status).toBe(200);
      const items = roster.body['items'] as Record<string, unknown>[];
      expect(items.map((e) => e['status'])).toEqual(['cancelled', 'confirmed']);
      expect(items.every((e) => !('checkInCode' in e))).toBe(true);
      const outside = await call(
        running.base,
        'GET',
        '/v1/events/activities/a-1/enrollments',
        officerT2,
      );
      expect(outside.status).toBe(404);
    });

    it('when an officer of the event cancels with a note, then the person’s EnrollmentCancelled carries the note', async () => {
      const mine = await call(running.base, 'GET', '/v1/me/enrollments', person('bob').token);
      const bob = (mine.body['items'] as Enrollment[]).find((e) => e.status === 'confirmed');
      expect(bob).toBeDefined();
      const note = 'The hall is closed for repairs; please sign up for the next session.';
      const response = await call(
        running.base,
        'DELETE',
        `/v1/enrollments/${bob?.id ?? ''}?note=${encodeURIComponent(note)}`,
        officerT1,
      );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'cancelled', cancellationReason: 'officer' });
      const cancelled = await eventually('the officer’s cancellation published', async () =>
        published
          .about('activities:a-1')
          .find(
            (e) =>
              e.type === CANCELLED &&
              (e.data as { participantId: string }).participantId === person('bob').id,
          ),
      );
      expect(cancelled.data).toMatchObject({
        reason: 'CANCELLATION_REASON_OFFICER',
        note,
        ...summaryOf('a-1'),
      });
    });
  });

  describe('check-in and attendance', () => {
    let qr: string;
    let code: string;
    let enrollmentId: string;

    beforeAll(async () => {
      // Starting in half an hour: check-in is open (from an hour before the start).
      owner.put(
        openActivity('a-door', T1, {
          capacity: 10,
          startsAt: new Date(Date.now() + 30 * 60_000),
          endsAt: new Date(Date.now() + 150 * 60_000),
        }),
      );
      const response = await signUp('cat', 'a-door');
      ({
        qrPayload: qr,
        checkInCode: code,
        id: enrollmentId,
      } = response.body as unknown as Enrollment);
      await signUp('eve', 'a-door');
    });

    it('when an officer scans the QR twice, then the first checks in, the second reports already_checked_in, and CheckedIn is published once', async () => {
      const first = await call(running.base, 'POST', '/v1/check-ins', officerT1, { qr });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ outcome: 'checked_in', enrollmentId });
      const second = await call(running.base, 'POST', '/v1/check-ins', officerT1, { qr });
      expect(second.body).toMatchObject({
        outcome: 'already_checked_in',
        checkedInAt: first.body['checkedInAt'],
      });
      await published.waitFor(CHECKED_IN, 'activities:a-door');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(
        published.about('activities:a-door').filter((e) => e.type === CHECKED_IN),
      ).toHaveLength(1);
    });

    it('when an officer scans two days before the event, then 409 CHECK_IN_NOT_OPEN and nothing is recorded', async () => {
      owner.put(openActivity('a-later', T1, { capacity: 10 }));
      const early = (await signUp('bob', 'a-later')).body as unknown as Enrollment;
      const response = await call(running.base, 'POST', '/v1/check-ins', officerT1, {
        qr: early.qrPayload,
      });
      expect(response.status).toBe(409);
      expect(response.body['code']).toBe('CHECK_IN_NOT_OPEN');
      expect(response.body['message']).toMatch(/opens at .*60 minutes before/);
      const stored = await db
        .collection<{ _id: string; checkedInAt: Date | null }>('enrollments')
        .findOne({ _id: early.id });
      expect(stored?.checkedInAt).toBeNull();
    });

    it('when a QR payload is forged, then 400 CHECK_IN_QR_INVALID', async () => {
      const forged = qr.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA');
      const response = await call(running.base, 'POST', '/v1/check-ins', officerT1, { qr: forged });
      expect(response.status).toBe(400);
      expect(response.body['code']).toBe('CHECK_IN_QR_INVALID');
    });

    it('when an officer of another township scans a genuine code, then 404 CHECK_IN_CODE_UNKNOWN', async () => {
      const response = await call(running.base, 'POST', '/v1/check-ins', officerT2, {
        code: code.toLowerCase(),
        owner: 'activities',
        eventId: 'a-door',
      });
      expect(response.status).toBe(404);
      expect(response.body['code']).toBe('CHECK_IN_CODE_UNKNOWN');
    });

    it('when an offline batch holds a person twice and is uploaded twice, then each scan has a result and the person is checked in once at the earliest scan', async () => {
      const mine = await call(running.base, 'GET', '/v1/me/enrollments', person('eve').token);
      const eve = (mine.body['items'] as Enrollment[]).find((e) => e.id !== enrollmentId);
      const early = new Date(Date.now() - 60_000).toISOString();
      const late = new Date(Date.now() - 30_000).toISOString();
      const scans = [
        { code: eve?.checkInCode, owner: 'activities', eventId: 'a-door', scannedAt: late },
        { qr: eve?.qrPayload, scannedAt: early },
        { code: 'ZZZZZZZZ', owner: 'activities', eventId: 'a-door', scannedAt: early },
        { scannedAt: early },
      ];
      const first = await call(running.base, 'POST', '/v1/check-ins:batch', officerT1, { scans });
      expect(first.status).toBe(200);
      expect(first.body['results']).toEqual([
        expect.objectContaining({ index: 0, outcome: 'already_checked_in', checkedInAt: early }),
        expect.objectContaining({ index: 1, outcome: 'checked_in', checkedInAt: early }),
        expect.objectContaining({ index: 2, outcome: 'refused', code: 'CHECK_IN_CODE_UNKNOWN' }),
        expect.objectContaining({ index: 3, outcome: 'refused', code: 'CHECK_IN_TARGET_MISSING' }),
      ]);
      const again = await call(running.base, 'POST', '/v1/check-ins:batch', officerT1, { scans });
      expect((again.body['results'] as { outcome: string }[]).map((r) => r.outcome)).toEqual([
        'already_checked_in',
        'already_checked_in',
        'refused',
        'refused',
      ]);
      await published.waitFor(CHECKED_IN, 'activities:a-door', 2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(
        published.about('activities:a-door').filter((e) => e.type === CHECKED_IN),
      ).toHaveLength(2);
    });

    /** `count` requests at most `inFlight` at a time; their statuses in order. */
    const statusesOf = async (count: number, inFlight: number, one: () => Promise<Call>) => {
      const statuses: number[] = [];
      for (let sent = 0; sent < count; sent += inFlight) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(inFlight, count - sent) }, one),
        );
        statuses.push(...batch.map((r) => r.status));
      }
      return statuses;
    };
    const rateLimitedOfficer = () =>
      running.issuer.sign({
        subject: `officer-${randomUUID()}`,
        roles: ['area_officer'],
        jurisdictions: [T1],
      });

    it('when an officer sends a 601st check-in within a minute, then 429 RATE_LIMITED, while another officer is still served', async () => {
      const busy = await rateLimitedOfficer();
      const unknownCode = { code: 'ZZZZZZZZ', owner: 'activities', eventId: 'a-door' };
      const statuses = await statusesOf(600, 50, () =>
        call(running.base, 'POST', '/v1/check-ins', busy, unknownCode),
      );
      expect(statuses).toEqual(Array<number>(600).fill(404));

      const over = await call(running.base, 'POST', '/v1/check-ins', busy, unknownCode);
      expect(over.status).toBe(429);
      expect(over.body['code']).toBe('RATE_LIMITED');
      const other = await call(
        running.base,
        'POST',
        '/v1/check-ins',
        await rateLimitedOfficer(),
        unknownCode,
      );
      expect(other.status).toBe(404);
    });

    it('when an officer sends a 61st offline batch within a minute, then 429 RATE_LIMITED', async () => {
      const busy = await rateLimitedOfficer();
      const batch = { scans: [{ code: 'ZZZZZZZZ', owner: 'activities', eventId: 'a-door' }] };
      const statuses = await statusesOf(60, 20, () =>
        call(running.base, 'POST', '/v1/check-ins:batch', busy, batch),
      );
      expect(statuses).toEqual(Array<number>(60).fill(200));

      const over = await call(running.base, 'POST', '/v1/check-ins:batch', busy, batch);
      expect(over.status).toBe(429);
      expect(over.body['code']).toBe('RATE_LIMITED');
    });

    it('when attendance is confirmed before the event ends, then 409 ENROLLMENT_EVENT_NOT_ENDED', async () => {
      const response = await call(
        running.base,
        'POST',
        '/v1/events/activities/a-door/attendance',
        officerT1,
        { by: 'check_in' },
      );
      expect(response.status).toBe(409);
      expect(response.body['code']).toBe('ENROLLMENT_EVENT_NOT_ENDED');
    });

    it('when the event has ended, then attendance from check-ins is recorded once and a vouched person too', async () => {
      owner.put(
        openActivity('a-past', T1, {
          endsAt: new Date(Date.now() - 1000),
          startsAt: new Date(Date.now() - 3_600_000),
        }),
      );
      const annSignUp = await signUp('ann', 'a-past');
      const bobSignUp = await signUp('bob', 'a-past');
      await call(running.base, 'POST', '/v1/check-ins', officerT1, {
        qr: (annSignUp.body as unknown as Enrollment).qrPayload,
      });
      const fromCheckIns = await call(
        running.base,
        'POST',
        '/v1/events/activities/a-past/attendance',
        officerT1,
        { by: 'check_in' },
      );
      expect(fromCheckIns.body).toEqual({ recorded: 1, alreadyRecorded: 0, refused: [] });
      const vouched = await call(
        running.base,
        'POST',
        '/v1/events/activities/a-past/attendance',
        officerT1,
        {
          by: 'officer',
          enrollmentIds: [
            (bobSignUp.body as unknown as Enrollment).id,
            (annSignUp.body as unknown as Enrollment).id,
          ],
        },
      );
      expect(vouched.body).toEqual({ recorded: 1, alreadyRecorded: 1, refused: [] });
      const attended = await published.waitFor(ATTENDED, 'activities:a-past', 2);
      // Each carries the attendee's account, so the owner can let them rate without asking back.
      expect(
        attended.map((event) => (event.data as { accountSubject: string }).accountSubject).sort(),
      ).toEqual(['ann', 'bob']);
      const otherTownship = await call(
        running.base,
        'POST',
        '/v1/events/activities/a-past/attendance',
        officerT2,
        { by: 'check_in' },
      );
      expect(otherTownship.status).toBe(404);
    });
  });

  describe('the area rule after a move of home', () => {
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      const admin = await running.issuer.sign({ subject: 'admin', roles: ['city_admin'] });
      await seedJurisdictions(
        running.base,
        admin,
        jurisdictionTree({ townships: 2, villagesPerTownship: 1 }),
      );
      // Registered through the API: a correction unseals what the seeded records only pretend to hold.
      const movers = [
        { name: 'gus', home: T2_V1 },
        { name: 'hal', home: T1_V1 },
      ];
      for (const [index, { name, home }] of movers.entries()) {
        // Accounts of their own each run: self-registration is limited per account per hour.
        const subject = `${name}-${randomUUID()}`;
        const token = await running.issuer.sign({ subject, roles: ['participant'] });
        tokens[name] = token;
        const registered = await call(running.base, 'POST', '/v1/participants', token, {
          name: '李明',
          tier: 'ordinary_citizen',
          homeJurisdiction: home,
          idNumber: idNumberOf('19800101', String(900 + index)),
          language: 'zh-CN',
          consent: { notifications: false },
        });
        expect(registered.status).toBe(201);
      }
    });

    const moveHome = async (subject: string, homeJurisdiction: string) => {
      const token = tokens[subject] ?? '';
      const mine = await send(running.base, 'GET', '/v1/me/participant', token);
      const moved = await send(
        running.base,
        'PATCH',
        '/v1/me/participant',
        token,
        { homeJurisdiction },
        { headers: { 'if-match': mine.headers.get('etag') ?? '' } },
      );
      expect(moved.status).toBe(200);
    };
    const signUpAs = (subject: string) =>
      call(running.base, 'POST', '/v1/enrollments', tokens[subject] ?? '', {
        owner: 'activities',
        eventId: 'a-area',
      });

    it('when a person refused for living outside the area moves in, signs up and moves back, then the seat is cancelled as no longer eligible and goes to the next in line', async () => {
      owner.put(openActivity('a-area', T1, { capacity: 1 }));
      const refused = await signUpAs('gus');
      expect(refused.status).toBe(403);
      expect(refused.body['code']).toBe('ENROLLMENT_NOT_ELIGIBLE');

      await moveHome('gus', T1_V1);
      const dodged = await signUpAs('gus');
      expect(dodged.body).toMatchObject({ status: 'confirmed' });
      expect((await signUpAs('hal')).body).toMatchObject({ status: 'waitlisted' });
      await moveHome('gus', T2_V1);

      const [cancelled] = await published.waitFor(CANCELLED, 'activities:a-area');
      expect(cancelled?.data).toMatchObject({
        enrollmentId: dodged.body['id'],
        reason: 'CANCELLATION_REASON_NO_LONGER_ELIGIBLE',
        freedSeat: true,
        ...summaryOf('a-area'),
      });
      await published.waitFor(PROMOTED, 'activities:a-area');
      const mine = await call(running.base, 'GET', '/v1/me/enrollments', tokens['gus'] ?? '');
      expect(
        (mine.body['items'] as Enrollment[]).find((e) => e.id === dodged.body['id']),
      ).toMatchObject({ status: 'cancelled', cancellationReason: 'no_longer_eligible' });
      const hal = await call(running.base, 'GET', '/v1/me/enrollments', tokens['hal'] ?? '');
      expect((hal.body['items'] as Enrollment[])[0]).toMatchObject({ status: 'confirmed' });
    });
  });

  describe('gRPC EnrollmentService', () => {
    it('when a service asks for eligibility, counts and the roster, then it gets them without personal data', async () => {
      const token = await running.issuer.sign({
        subject: 'activities',
        roles: ['service'],
        service: 'activities',
      });
      const client = createGrpcClient(registration.EnrollmentServiceClient, {
        address: `127.0.0.1:${running.ports.grpcPort}`,
        logger: captureLogger('client').logger,
        idempotentMethods: ['checkEligibility', 'getEnrollmentCounts', 'listRoster'],
        tokenProvider: () => token,
      });
      try {
        const refused = await client.call.checkEligibility({
          participantId: person('dan').id,
          event: { owner: 'activities', eventId: 'a-1' },
        });
        expect(refused.eligible).toBe(false);
        expect(refused.refusals.map((r) => r.code)).toEqual(['TIER_NOT_TARGETED', 'OUTSIDE_AREA']);
        const counts = await client.call.getEnrollmentCounts({
          events: [
            { owner: 'activities', eventId: 'a-door' },
            { owner: 'activities', eventId: 'a-past' },
          ],
        });
        expect(
          counts.counts.map(({ confirmed, waitlisted, checkedIn, attended }) => ({
            confirmed,
            waitlisted,
            checkedIn,
            attended,
          })),
        ).toEqual([
          { confirmed: 2, waitlisted: 0, checkedIn: 2, attended: 0 },
          { confirmed: 2, waitlisted: 0, checkedIn: 1, attended: 2 },
        ]);
        const firstPage = await client.call.listRoster({
          event: { owner: 'activities', eventId: 'a-door' },
          page: { pageSize: 1, pageToken: '' },
        });
        expect(firstPage.entries).toHaveLength(1);
        expect(firstPage.page?.nextPageToken).not.toBe('');
        const secondPage = await client.call.listRoster({
          event: { owner: 'activities', eventId: 'a-door' },
          page: { pageSize: 1, pageToken: firstPage.page?.nextPageToken ?? '' },
        });
        expect(secondPage.entries.map((e) => e.sequence)).toEqual(['2']);
        expect(secondPage.page?.nextPageToken).toBe('');
      } finally {
        client.close();
      }
    });
  });

  describe('the owners’ changes', () => {
    const publishActivityEvent = async (
      type: 'cancelled' | 'rescheduled',
      data: unknown,
      id = randomUUID(),
    ) => {
      const entry =
        type === 'cancelled'
          ? newEvent(activityEvents.ActivityCancelled, 'a-owner', data as never)
          : newEvent(activityEvents.ActivityRescheduled, 'a-owner', data as never);
      const event = { ...toCloudEvent(entry, '/learning/activities'), id };
      await producer.send({
        topic: topics.activitiesActivities.name,
        messages: [toKafkaMessage(event)],
      });
    };

    it('when the owner reschedules with a larger capacity, then enrollments are flagged and the waitlist is promoted', async () => {
      owner.put(openActivity('a-owner', T1, { capacity: 1 }));
      await signUp('ann', 'a-owner');
      await signUp('bob', 'a-owner');
      const startsAt = new Date(Date.now() + 72 * 3_600_000);
      await publishActivityEvent('rescheduled', {
        activityId: 'a-owner',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        capacity: 2,
        capacityUnlimited: false,
        reason: 'moved',
        rescheduledAt: new Date(),
        jurisdictionPath: [CITY, T1],
      });
      await published.waitFor(PROMOTED, 'activities:a-owner');
      const mine = await call(running.base, 'GET', '/v1/me/enrollments', person('bob').token);
      const bob = (mine.body['items'] as Enrollment[]).find((e) => e.rescheduled !== null);
      expect(bob).toMatchObject({
        status: 'confirmed',
        rescheduled: { startsAt: startsAt.toISOString() },
      });
    });

    it('when the owner only changes the capacity (times as before), then the waitlist is promoted and nobody is flagged rescheduled', async () => {
      const event = openActivity('a-capacity', T1, { capacity: 1 });
      owner.put(event);
      await signUp('ann', 'a-capacity');
      const waiting = await signUp('cat', 'a-capacity');
      await publishActivityEvent('rescheduled', {
        activityId: 'a-capacity',
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        previousStartsAt: event.startsAt,
        previousEndsAt: event.endsAt,
        capacity: 2,
        capacityUnlimited: false,
        reason: '',
        rescheduledAt: new Date(),
        jurisdictionPath: [CITY, T1],
      });
      await published.waitFor(PROMOTED, 'activities:a-capacity');
      const mine = await call(running.base, 'GET', '/v1/me/enrollments', person('cat').token);
      expect(
        (mine.body['items'] as Enrollment[]).find((e) => e.id === waiting.body['id']),
      ).toMatchObject({
        status: 'confirmed',
        rescheduled: null,
      });
    });

    it('when the owner moves a started event by three days after a check-in, then the check-in is withdrawn with one CheckInInvalidated, even when the move arrives twice', async () => {
      // Its own id each run: the owner's answers are cached in Redis, which outlives a run.
      const eventId = `a-moved-${randomUUID()}`;
      const eventKey = `activities:${eventId}`;
      const event = openActivity(eventId, T1, {
        startsAt: new Date(Date.now() + 30 * 60_000),
        endsAt: new Date(Date.now() + 90 * 60_000),
      });
      owner.put(event);
      const ann = (await signUp('ann', eventId)).body as unknown as Enrollment;
      const scanned = await call(running.base, 'POST', '/v1/check-ins', officerT1, {
        qr: ann.qrPayload,
      });
      expect(scanned.body).toMatchObject({ outcome: 'checked_in' });
      const startsAt = new Date((event.startsAt ?? new Date()).getTime() + 3 * 86_400_000);
      const moved = {
        activityId: eventId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
        previousStartsAt: event.startsAt,
        previousEndsAt: event.endsAt,
        capacityUnlimited: false,
        reason: 'the hall is taken',
        rescheduledAt: new Date(),
        jurisdictionPath: [CITY, T1],
      };
      // The owner moves its event, then says so.
      owner.put({ ...event, startsAt, endsAt: moved.endsAt });
      const id = randomUUID();
      await publishActivityEvent('rescheduled', moved, id);
      await publishActivityEvent('rescheduled', moved, id);
      await publishActivityEvent('rescheduled', moved);
      const [invalidated] = await published.waitFor(CHECK_IN_INVALIDATED, eventKey);
      expect(invalidated?.data).toMatchObject({
        enrollmentId: ann.id,
        checkedInAt: scanned.body['checkedInAt'],
        startsAt: startsAt.toISOString(),
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(published.about(eventKey).filter((e) => e.type === CHECK_IN_INVALIDATED)).toHaveLength(
        1,
      );
      const stored = await db
        .collection<{ _id: string; checkedInAt: Date | null }>('enrollments')
        .findOne({ _id: ann.id });
      expect(stored?.checkedInAt).toBeNull();
    });

    it('when the same cancellation arrives twice (same event id, then a new id), then every enrollment is cancelled once, with one event each', async () => {
      const cancellation = {
        activityId: 'a-owner',
        reason: 'storm',
        cancelledAt: new Date(),
        organizerKind: 0,
        leadDepartment: '',
        jurisdictionPath: [CITY, T1],
      };
      const id = randomUUID();
      await publishActivityEvent('cancelled', cancellation, id);
      await publishActivityEvent('cancelled', cancellation, id);
      await publishActivityEvent('cancelled', cancellation);
      const events = await published.waitFor(CANCELLED, 'activities:a-owner', 2);
      expect(events.map((e) => (e.data as { reason: string }).reason)).toEqual([
        'CANCELLATION_REASON_EVENT_CANCELLED',
        'CANCELLATION_REASON_EVENT_CANCELLED',
      ]);
      // The owner's reason reaches each person.
      expect(events.map((e) => (e.data as { note: string }).note)).toEqual(['storm', 'storm']);
      for (const event of events) expect(event.data).toMatchObject(summaryOf('a-owner'));
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(
        published.about('activities:a-owner').filter((e) => e.type === CANCELLED),
      ).toHaveLength(2);
      const after = await signUp('cat', 'a-owner');
      expect(after.status).toBe(409);
      expect(after.body['code']).toBe('ENROLLMENT_EVENT_CANCELLED');
      await eventually('both enrollments cancelled', async () => {
        const roster = await call(
          running.base,
          'GET',
          '/v1/events/activities/a-owner/enrollments',
          officerT1,
        );
        const statuses = (roster.body['items'] as { status: string }[]).map((e) => e.status);
        return statuses.every((s) => s === 'cancelled') && statuses.length === 2 ? true : undefined;
      });
    });
  });
});

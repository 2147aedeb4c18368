import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage, topics } from '@learning/events';
import { common } from '@learning/proto';
import { describeWithServers, uniqueName } from '@learning/testing';
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
const T2 = '330281002000';

const ATTENDED = 'registration.enrollment.attendance-recorded.v1';
const WITHDRAWN = 'registration.enrollment.attendance-withdrawn.v1';
const CHECK_IN_INVALIDATED = 'registration.enrollment.check-in-invalidated.v1';

const HOUR = 3_600_000;

interface Enrollment {
  id: string;
  qrPayload: string;
}

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'registration attendance for scoring',
  (servers) => {
    const owner = useFakeOwner();
    const database = uniqueName('registration');
    const running = useRegistrationApp(servers, () => ({
      ...owner.env(),
      MONGODB_DATABASE: database,
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
        { subject: uniqueName('ann'), tier: 'pupil' as const, path: [CITY, T1, T1_V1] },
        { subject: uniqueName('bob'), tier: 'ordinary_citizen' as const, path: [CITY, T1, T1_V1] },
      ];
      const ids = await seedParticipants(db, seeds);
      for (const [index, name] of ['ann', 'bob'].entries()) {
        people[name] = {
          id: ids[index] ?? '',
          token: await running.issuer.sign({
            subject: seeds[index]?.subject ?? '',
            roles: ['participant'],
          }),
        };
      }
      // Ann belongs to two organizations now and has left a third: only the current ones count.
      const membership = (organizationId: string, status: 'active' | 'ended') => ({
        _id: `${organizationId}:${person('ann').id}`,
        organizationId,
        participantId: person('ann').id,
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
        .insertMany([
          membership('org-b', 'active'),
          membership('org-a', 'active'),
          membership('org-gone', 'ended'),
        ]);
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
      producer = new Kafka({
        brokers: servers.kafka.brokers,
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
    });
    afterAll(async () => {
      await producer.disconnect();
      await db.close();
    });

    /** An activity that ended a moment ago: check-in is still open, attendance may be confirmed. */
    function justEnded(eventId: string) {
      const event = openActivity(eventId, T1, {
        title: '家庭教育讲座',
        startsAt: new Date(Date.now() - 2 * HOUR),
        endsAt: new Date(Date.now() - 1000),
        categories: [
          common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
          common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
        ],
        campaignId: 'april-learning-month',
        learningMinutes: 90,
        organizerOrganizationId: 'org-organizer',
      });
      owner.put(event);
      return event;
    }

    const signUp = async (who: string, eventId: string): Promise<Enrollment> => {
      const response = await call(running.base, 'POST', '/v1/enrollments', person(who).token, {
        owner: 'activities',
        eventId,
      });
      expect(response.status).toBe(201);
      return response.body as unknown as Enrollment;
    };
    const checkIn = async (enrollment: Enrollment) => {
      const response = await call(running.base, 'POST', '/v1/check-ins', officerT1, {
        qr: enrollment.qrPayload,
      });
      expect(response.body).toMatchObject({ outcome: 'checked_in' });
    };
    const confirm = (eventId: string, body: Record<string, unknown>) =>
      call(running.base, 'POST', `/v1/events/activities/${eventId}/attendance`, officerT1, body);
    const withdrawalPath = (eventId: string, enrollmentId: string) =>
      `/v1/events/activities/${eventId}/enrollments/${enrollmentId}/attendance-withdrawal`;
    const withdraw = (eventId: string, enrollmentId: string, token: string, body: unknown) =>
      call(running.base, 'POST', withdrawalPath(eventId, enrollmentId), token, body);

    describe('attendance recorded', () => {
      it('when attendance is recorded, then the event carries the attendee as registration holds them and the event as its owner describes it', async () => {
        const eventId = `a-${randomUUID()}`;
        const event = justEnded(eventId);
        const ann = await signUp('ann', eventId);
        await checkIn(ann);

        const confirmed = await confirm(eventId, { by: 'check_in' });
        expect(confirmed.body).toEqual({ recorded: 1, alreadyRecorded: 0, refused: [] });

        const [attended] = await published.waitFor(ATTENDED, `activities:${eventId}`);
        expect(attended?.data).toMatchObject({
          enrollmentId: ann.id,
          participantId: person('ann').id,
          basis: 'ATTENDANCE_BASIS_CHECK_IN',
          attendee: {
            tier: 'TIER_PUPIL',
            jurisdictionPath: [CITY, T1, T1_V1],
            organizationIds: ['org-a', 'org-b'],
          },
          attendedEvent: {
            title: '家庭教育讲座',
            categories: [
              'CONTENT_CATEGORY_ETHICS_ETIQUETTE',
              'CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS',
            ],
            campaignId: 'april-learning-month',
            startsAt: event.startsAt?.toISOString(),
            endsAt: event.endsAt?.toISOString(),
            learningMinutes: 90,
            jurisdictionPath: [CITY, T1],
            organizerOrganizationId: 'org-organizer',
          },
        });
      });

      it('when a vouched person belongs to no organization, then the attendee has none and the event names no campaign when the owner gave none', async () => {
        const eventId = `a-${randomUUID()}`;
        owner.put(
          openActivity(eventId, T1, {
            startsAt: new Date(Date.now() - 2 * HOUR),
            endsAt: new Date(Date.now() - 1000),
          }),
        );
        const bob = await signUp('bob', eventId);

        const confirmed = await confirm(eventId, { by: 'officer', enrollmentIds: [bob.id] });
        expect(confirmed.body).toEqual({ recorded: 1, alreadyRecorded: 0, refused: [] });

        const [attended] = await published.waitFor(ATTENDED, `activities:${eventId}`);
        const data = attended?.data as {
          attendee: { tier: string; organizationIds?: string[] };
          attendedEvent: { campaignId?: string; learningMinutes: number };
        };
        expect(data.attendee.tier).toBe('TIER_ORDINARY_CITIZEN');
        expect(data.attendee.organizationIds ?? []).toEqual([]);
        expect(data.attendedEvent.campaignId ?? '').toBe('');
        expect(data.attendedEvent.learningMinutes).toBe(120);
      });
    });

    describe('an officer withdraws an attendance recorded in error', () => {
      let eventId: string;
      let ann: Enrollment;
      let bob: Enrollment;

      beforeAll(async () => {
        eventId = `a-${randomUUID()}`;
        justEnded(eventId);
        ann = await signUp('ann', eventId);
        bob = await signUp('bob', eventId);
        await checkIn(ann);
        expect((await confirm(eventId, { by: 'check_in' })).body).toMatchObject({ recorded: 1 });
      });

      it('when an officer of another township withdraws it, then 404 and nothing changes', async () => {
        const response = await withdraw(eventId, ann.id, officerT2, { note: 'not here' });

        expect(response.status).toBe(404);
        expect(response.body['code']).toBe('SEATED_EVENT_NOT_FOUND');
      });

      it('when the note is missing, empty, blank or too long, or the body has more, then 400 VALIDATION_FAILED', async () => {
        for (const body of [
          {},
          { note: '' },
          { note: '   ' },
          { note: 'x'.repeat(501) },
          { note: 'ok', attendedAt: null },
        ]) {
          const response = await withdraw(eventId, ann.id, officerT1, body);
          expect(response.status, JSON.stringify(body)).toBe(400);
          expect(response.body['code']).toBe('VALIDATION_FAILED');
        }
      });

      it('when it is asked without an Idempotency-Key, then 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
        const response = await fetch(`${running.base}${withdrawalPath(eventId, ann.id)}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${officerT1}`, 'content-type': 'application/json' },
          body: JSON.stringify({ note: 'scanned by mistake' }),
        });

        expect(response.status).toBe(400);
        expect(((await response.json()) as { code: string }).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      });

      it('when the enrollment has no attendance, then 409 ENROLLMENT_NOT_ATTENDED', async () => {
        const response = await withdraw(eventId, bob.id, officerT1, { note: 'never here' });

        expect(response.status).toBe(409);
        expect(response.body['code']).toBe('ENROLLMENT_NOT_ATTENDED');
      });

      it('when the enrollment is of another event, then 404 ENROLLMENT_NOT_FOUND', async () => {
        const other = `a-${randomUUID()}`;
        justEnded(other);

        const response = await withdraw(other, ann.id, officerT1, { note: 'wrong event' });

        expect(response.status).toBe(404);
        expect(response.body['code']).toBe('ENROLLMENT_NOT_FOUND');
      });

      it('when withdrawn, and withdrawn again, then the attendance is cleared once and AttendanceWithdrawn published once with the note', async () => {
        const note = 'Scanned for her neighbour, who was not there.';
        const first = await withdraw(eventId, ann.id, officerT1, { note });
        const again = await withdraw(eventId, ann.id, officerT1, { note: 'once more' });

        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({
          outcome: 'withdrawn',
          enrollment: { id: ann.id, attendedAt: null },
        });
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({
          outcome: 'already_withdrawn',
          withdrawnAt: first.body['withdrawnAt'],
        });
        const [withdrawn] = await published.waitFor(WITHDRAWN, `activities:${eventId}`);
        const [attended] = published
          .about(`activities:${eventId}`)
          .filter((event) => event.type === ATTENDED);
        expect(withdrawn?.data).toMatchObject({
          enrollmentId: ann.id,
          event: { owner: 'activities', eventId },
          participantId: person('ann').id,
          reason: 'ATTENDANCE_WITHDRAWAL_REASON_OFFICER_CORRECTION',
          note,
          attendedAt: (attended?.data as { attendedAt: string }).attendedAt,
          withdrawnAt: first.body['withdrawnAt'],
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(
          published.about(`activities:${eventId}`).filter((event) => event.type === WITHDRAWN),
        ).toHaveLength(1);
      });

      it('when attendance is confirmed from check-ins again, then the withdrawn one is not brought back; an officer vouching records it again', async () => {
        const fromCheckIns = await confirm(eventId, { by: 'check_in' });
        expect(fromCheckIns.body).toEqual({ recorded: 0, alreadyRecorded: 0, refused: [] });

        const vouched = await confirm(eventId, { by: 'officer', enrollmentIds: [ann.id] });
        expect(vouched.body).toEqual({ recorded: 1, alreadyRecorded: 0, refused: [] });
        const attended = await published.waitFor(ATTENDED, `activities:${eventId}`, 2);
        expect((attended[1]?.data as { basis: string }).basis).toBe('ATTENDANCE_BASIS_OFFICER');

        // The new attendance may be withdrawn in its turn.
        const withdrawnAgain = await withdraw(eventId, ann.id, officerT1, { note: 'again wrong' });
        expect(withdrawnAgain.body).toMatchObject({ outcome: 'withdrawn' });
        await published.waitFor(WITHDRAWN, `activities:${eventId}`, 2);
      });
    });

    describe('a reschedule invalidates a check-in that attendance rested on', () => {
      const publishReschedule = async (data: unknown, id = randomUUID()) => {
        const entry = newEvent(activityEvents.ActivityRescheduled, 'moved', data as never);
        await producer.send({
          topic: topics.activitiesActivities.name,
          messages: [toKafkaMessage({ ...toCloudEvent(entry, '/learning/activities'), id })],
        });
      };

      it('when the event moves away from the check-in, then CheckInInvalidated and AttendanceWithdrawn (CHECK_IN_INVALIDATED) are published once each, even when the move arrives twice', async () => {
        const eventId = `a-${randomUUID()}`;
        const eventKey = `activities:${eventId}`;
        const event = justEnded(eventId);
        const ann = await signUp('ann', eventId);
        await checkIn(ann);
        expect((await confirm(eventId, { by: 'check_in' })).body).toMatchObject({ recorded: 1 });
        const [attended] = await published.waitFor(ATTENDED, eventKey);

        const startsAt = new Date(Date.now() + 72 * HOUR);
        const endsAt = new Date(startsAt.getTime() + HOUR);
        owner.put({ ...event, startsAt, endsAt });
        const moved = {
          activityId: eventId,
          startsAt,
          endsAt,
          previousStartsAt: event.startsAt,
          previousEndsAt: event.endsAt,
          capacityUnlimited: false,
          reason: 'the hall flooded',
          rescheduledAt: new Date(),
          jurisdictionPath: [CITY, T1],
        };
        const id = randomUUID();
        await publishReschedule(moved, id);
        await publishReschedule(moved, id);
        await publishReschedule(moved);

        const [invalidated] = await published.waitFor(CHECK_IN_INVALIDATED, eventKey);
        expect(invalidated?.data).toMatchObject({
          enrollmentId: ann.id,
          attendanceWithdrawn: true,
        });
        const [withdrawn] = await published.waitFor(WITHDRAWN, eventKey);
        expect(withdrawn?.data).toMatchObject({
          enrollmentId: ann.id,
          participantId: person('ann').id,
          reason: 'ATTENDANCE_WITHDRAWAL_REASON_CHECK_IN_INVALIDATED',
          attendedAt: (attended?.data as { attendedAt: string }).attendedAt,
        });
        expect((withdrawn?.data as { note?: string }).note ?? '').toBe('');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const about = published.about(eventKey);
        expect(about.filter((e) => e.type === CHECK_IN_INVALIDATED)).toHaveLength(1);
        expect(about.filter((e) => e.type === WITHDRAWN)).toHaveLength(1);

        // Withdrawn already: an officer's withdrawal changes nothing more.
        const response = await withdraw(eventId, ann.id, officerT1, { note: 'moved' });
        expect(response.body).toMatchObject({ outcome: 'already_withdrawn' });
      });
    });
  },
);

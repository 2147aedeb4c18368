/**
 * Reactions and reminders end to end: registration's and activities' events
 * produced to Kafka with the contracts' codecs (as their relays publish
 * them), consumed by two notifications replicas (group
 * notifications.reactions), dispatched into the inbox (`deliveries`), and
 * reminders sent by the replicas' ticking workers on an injected clock.
 */
import { activityEvents, creditEvents, enrollmentEvents } from '@learning/contracts';
import { DAY_MS } from '@learning/domain';
import { generatePiiEnvironment } from '@learning/pii';
import { activities, registration, scoring } from '@learning/proto';
import { useServiceApp } from '@learning/runtime/testing';
import { describeWithServers, uniqueName } from '@learning/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliveryModel, type DeliveryDocument } from '../../src/adapters/mongo/deliveries.js';
import { reminderModel, type ReminderDocument } from '../../src/adapters/mongo/reminders.js';
import { notificationsService } from '../../src/app.js';
import { loadNotificationsConfig } from '../../src/config.js';
import { until, useEventProducer } from '../support/events.js';
import { useNotificationsStack } from '../support/stack.js';

/** Both replicas' clock: the wall clock moved on by `offset` when a test lets time pass. */
let offset = 0;
const clock = () => new Date(Date.now() + offset);

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'notifications reactions and reminders',
  (servers) => {
    const database = uniqueName('notifications-reactions');
    const shared = {
      MONGODB_DATABASE: database,
      SCHEDULER_TICK_MS: '500',
      ...generatePiiEnvironment(),
    };
    const stack = useNotificationsStack(servers, { clock, notificationsEnvironment: shared });
    const { produce } = useEventProducer(servers, 'reactions-test', '/learning/registration');
    // A second replica on the same database, broker group and Redis.
    useServiceApp(notificationsService, servers, {
      loadConfig: loadNotificationsConfig,
      clock,
      environment: async (issuer) => ({
        REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${stack.registration.ports.grpcPort}`,
        REGISTRATION_SERVICE_TOKEN: await issuer.sign(
          {
            subject: 'service:notifications',
            roles: ['service'],
            service: 'notifications',
            cityWide: true,
          },
          { expiresIn: '2h' },
        ),
        WEBHOOK_TARGET_POLICY: 'allow-private',
        ...shared,
      }),
    });

    let connection: Connection;
    let deliveries: Model<DeliveryDocument>;
    let reminders: Model<ReminderDocument>;

    beforeAll(async () => {
      connection = await mongoose
        .createConnection(servers.mongo.uri, { dbName: database })
        .asPromise();
      deliveries = deliveryModel(connection);
      reminders = reminderModel(connection);
    });
    afterAll(async () => {
      await connection.close();
    });

    const inboxOf = (participantId: string) =>
      deliveries.find({ recipient: participantId, channel: 'inbox' }).sort({ createdAt: 1 }).lean();

    function seat(startsAt: Date) {
      const activityId = randomUUID();
      const participantId = randomUUID();
      const enrollmentId = randomUUID();
      return {
        activityId,
        participantId,
        enrollmentId,
        key: `activities:${activityId}`,
        ref: { owner: 'activities', eventId: activityId },
        summary: {
          title: '读书分享会',
          startsAt,
          endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
          jurisdictionPath: stack.tree.slice(0, 1).map((node) => node.code),
        },
      };
    }

    it('when a sign-up is confirmed, and the event is delivered again, then the person has one confirmation in their inbox and two reminders planned', async () => {
      const s = seat(new Date(clock().getTime() + 3 * DAY_MS));
      const confirmed = registration.EnrollmentConfirmed.fromPartial({
        enrollmentId: s.enrollmentId,
        event: s.ref,
        participantId: s.participantId,
        confirmedAt: clock(),
        eventSummary: s.summary,
      });
      const id = await produce(enrollmentEvents.EnrollmentConfirmed, s.key, confirmed);
      await until('the confirmation', async () => (await inboxOf(s.participantId)).length === 1);

      await produce(enrollmentEvents.EnrollmentConfirmed, s.key, confirmed, id);
      // A later event of the same event key (same partition) shows the repeat was handled before it.
      await produce(
        enrollmentEvents.EnrollmentWaitlisted,
        s.key,
        registration.EnrollmentWaitlisted.fromPartial({
          enrollmentId: randomUUID(),
          event: s.ref,
          participantId: s.participantId,
          waitlistedAt: clock(),
          eventSummary: s.summary,
        }),
      );
      await until('the waitlist notice', async () =>
        (await inboxOf(s.participantId)).some(
          (delivery) => delivery.kind === 'enrollment.waitlisted',
        ),
      );

      const inbox = await inboxOf(s.participantId);
      expect(inbox.map((delivery) => [delivery.kind, delivery.noticeId])).toEqual([
        ['enrollment.confirmed', id],
        ['enrollment.waitlisted', expect.any(String)],
      ]);
      expect(inbox[0]?.title).toContain('读书分享会');
      expect(
        (await reminders.find({ enrollmentId: s.enrollmentId }).lean()).map((r) => r.status),
      ).toEqual(['planned', 'planned']);
    });

    it("when the owner cancels the event, then the person gets event.cancelled with the owner's reason and the reminders are dropped", async () => {
      const s = seat(new Date(clock().getTime() + 3 * DAY_MS));
      await produce(
        enrollmentEvents.EnrollmentConfirmed,
        s.key,
        registration.EnrollmentConfirmed.fromPartial({
          enrollmentId: s.enrollmentId,
          event: s.ref,
          participantId: s.participantId,
          confirmedAt: clock(),
          eventSummary: s.summary,
        }),
      );
      const cancelled = await produce(
        enrollmentEvents.EnrollmentCancelled,
        s.key,
        registration.EnrollmentCancelled.fromPartial({
          enrollmentId: s.enrollmentId,
          event: s.ref,
          participantId: s.participantId,
          reason: registration.CancellationReason.CANCELLATION_REASON_EVENT_CANCELLED,
          cancelledAt: clock(),
          eventSummary: s.summary,
          note: '场馆临时维修',
        }),
      );

      await until('the cancellation', async () =>
        (await inboxOf(s.participantId)).some((delivery) => delivery.kind === 'event.cancelled'),
      );

      expect(
        (await inboxOf(s.participantId)).map((delivery) => [delivery.kind, delivery.noticeId]),
      ).toEqual([
        ['enrollment.confirmed', expect.any(String)],
        ['event.cancelled', cancelled],
      ]);
      const [, notice] = await inboxOf(s.participantId);
      expect(notice?.body).toContain('场馆临时维修');
      expect(
        (await reminders.find({ enrollmentId: s.enrollmentId }).lean()).map((r) => r.status),
      ).toEqual(['dropped', 'dropped']);
    });

    it('when the activity is rescheduled, then its reminders move to the new time', async () => {
      const s = seat(new Date(clock().getTime() + 3 * DAY_MS));
      await produce(
        enrollmentEvents.EnrollmentConfirmed,
        s.key,
        registration.EnrollmentConfirmed.fromPartial({
          enrollmentId: s.enrollmentId,
          event: s.ref,
          participantId: s.participantId,
          confirmedAt: clock(),
          eventSummary: s.summary,
        }),
      );
      await until(
        'the reminders',
        async () => (await reminders.countDocuments({ enrollmentId: s.enrollmentId })) === 2,
      );
      const movedTo = new Date(s.summary.startsAt.getTime() + 2 * DAY_MS);

      await produce(
        activityEvents.ActivityRescheduled,
        s.activityId,
        activities.ActivityRescheduled.fromPartial({
          activityId: s.activityId,
          startsAt: movedTo,
          endsAt: new Date(movedTo.getTime() + 3_600_000),
          previousStartsAt: s.summary.startsAt,
          rescheduledAt: clock(),
          jurisdictionPath: s.summary.jurisdictionPath,
        }),
      );

      await until(
        'the reminders moved',
        async () =>
          (await reminders.findById(`${s.enrollmentId}:hour-before`).lean())?.startsAt.getTime() ===
          movedTo.getTime(),
      );

      const moved = await reminders.find({ enrollmentId: s.enrollmentId }).sort({ _id: 1 }).lean();
      expect(moved.map((reminder) => [reminder.slot, reminder.dueAt, reminder.status])).toEqual([
        ['day-before', new Date(movedTo.getTime() - DAY_MS), 'planned'],
        ['hour-before', new Date(movedTo.getTime() - 3_600_000), 'planned'],
      ]);
    });

    it('when credits are awarded to a person and to an organization, then only the person is told, with the amount and a readable source', async () => {
      const participantId = randomUUID();
      const organizationId = randomUUID();
      const entry = (holderKind: scoring.HolderKind, holderId: string) =>
        scoring.CreditEntry.fromPartial({
          entryId: randomUUID(),
          holderKind,
          holderId,
          amount: '2.5',
          source: scoring.CreditSource.CREDIT_SOURCE_LECTURE_ATTENDED,
          reason: scoring.EntryReason.ENTRY_REASON_AWARDED,
          occurredAt: clock(),
          recordedAt: clock(),
        });
      await produce(
        creditEvents.CreditsAwarded,
        organizationId,
        entry(scoring.HolderKind.HOLDER_KIND_ORGANIZATION, organizationId),
      );
      const awarded = await produce(
        creditEvents.CreditsAwarded,
        participantId,
        entry(scoring.HolderKind.HOLDER_KIND_PERSON, participantId),
      );

      await until('the credits notice', async () => (await inboxOf(participantId)).length === 1);

      const [notice] = await inboxOf(participantId);
      expect(notice).toMatchObject({ kind: 'credits.awarded', noticeId: awarded });
      expect(notice?.body).toContain('2.5');
      expect(notice?.body).toContain('参加讲座');
      expect(await deliveries.countDocuments({ recipient: organizationId })).toBe(0);
    });

    it('when a reminder falls due with two replicas ticking, then it is sent exactly once', async () => {
      const s = seat(new Date(clock().getTime() + 3 * DAY_MS));
      await produce(
        enrollmentEvents.EnrollmentConfirmed,
        s.key,
        registration.EnrollmentConfirmed.fromPartial({
          enrollmentId: s.enrollmentId,
          event: s.ref,
          participantId: s.participantId,
          confirmedAt: clock(),
          eventSummary: s.summary,
        }),
      );
      await until(
        'the reminders',
        async () => (await reminders.countDocuments({ enrollmentId: s.enrollmentId })) === 2,
      );

      // Two days and a minute later, the day-before reminder is due (both replicas see the same clock).
      offset += 2 * DAY_MS + 60_000;
      await until(
        'the day-before reminder sent',
        async () =>
          (await reminders.findById(`${s.enrollmentId}:day-before`).lean())?.status === 'sent',
      );
      // Several more ticks of both replicas.
      await new Promise((resolve) => setTimeout(resolve, 2_000));

      const sent = (await inboxOf(s.participantId)).filter(
        (delivery) => delivery.kind === 'reminder.day-before',
      );
      expect(sent).toHaveLength(1);
      expect(sent[0]?.noticeId).toBe(
        `reminder:${s.enrollmentId}:day-before:${new Date(s.summary.startsAt.getTime() - DAY_MS).toISOString()}`,
      );
      expect((await reminders.findById(`${s.enrollmentId}:hour-before`).lean())?.status).toBe(
        'planned',
      );
    });
  },
);

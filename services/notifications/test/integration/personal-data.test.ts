/**
 * A person's rights in notifications (decision 0022), end to end on the real
 * adapters: their data seeded through the service's own routes and events
 * (preferences, a sign-up's notice and reminders, a read mark, a consent
 * change, an announcement), their copy over gRPC as registration asks for it,
 * erasure on registration's request (once, however often it is delivered),
 * late events about them dropped, and the retention sweeps on a moved clock.
 * The declaration is held to the database: a collection naming a participant
 * is declared or listed below as holding no personal data to export or erase.
 */
import {
  activityEvents,
  enrollmentEvents,
  participantEvents,
  privacyEvents,
} from '@learning/contracts';
import { DAY_MS } from '@learning/domain';
import { fromKafkaMessage, topics, type CloudEvent } from '@learning/events';
import { createGrpcClient, type GrpcClient } from '@learning/grpc';
import { generatePiiEnvironment } from '@learning/pii';
import { privacy, registration } from '@learning/proto';
import { call, serviceToken, useServiceApp } from '@learning/runtime/testing';
import {
  captureLogger,
  describeWithServers,
  eventually,
  residentIdNumber,
  uniqueName,
  watchTopics,
  type TopicWatch,
} from '@learning/testing';
import mongoose, { type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationsService } from '../../src/app.js';
import { loadNotificationsConfig } from '../../src/config.js';
import { PERSONAL_DATA_COLLECTIONS } from '../../src/modules/personal-data.js';
import type { Platform } from '../../src/platform.js';
import { until, useEventProducer } from '../support/events.js';
import { startWebhookTarget, type WebhookTarget } from '../support/receiver.js';
import { useNotificationsStack } from '../support/stack.js';

/**
 * Collections with nothing to export or erase for a person, each with why. A
 * new collection naming a participant fails the declaration test until it is
 * declared (src/modules/personal-data.ts) or listed here.
 */
const WITHOUT_PERSONAL_DATA: Readonly<Record<string, string>> = {
  broadcasts:
    'a broadcast: its texts, criteria (places, tiers), counts and sender (an officer in office); no recipient',
  delivery_reports:
    'an id and a time once its outbox is published; until then the outbox holds the reports (participant ids only) the relay publishes',
  templates: "the office's notice templates",
  webhook_subscriptions: "departments' and officers' subscriptions: URLs, filters, sealed secrets",
  webhook_deliveries:
    "copies of the platform's events for department systems, which carry participant ids only, never a name or an address (decision 0022); removed after WEBHOOK_DELIVERY_RETENTION_DAYS",
  webhook_dead_letters: 'ids of webhook deliveries that failed, and the error',
  privacy_erasures:
    "the kit's record of completed erasures: the random participant id alone, so late events about them are dropped",
  audit_log:
    "officers' changes (templates, announcements); a person's own settings are not audited",
  inbox: "the consumer groups' processed event ids",
};

const DECLARED: ReadonlySet<string> = new Set(Object.values(PERSONAL_DATA_COLLECTIONS).flat());
const KINDS = Object.keys(PERSONAL_DATA_COLLECTIONS);

/** The main app's clock: the wall clock moved on by `offset` while a test seeds "later" data. */
let offset = 0;
const clock = () => new Date(Date.now() + offset);

interface Person {
  readonly subject: string;
  id: string;
  token: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'notifications personal data', (servers) => {
  const database = uniqueName('notifications-personal-data');
  let platform: Platform | undefined;
  const stack = useNotificationsStack(servers, {
    clock,
    notificationsEnvironment: {
      MONGODB_DATABASE: database,
      SCHEDULER_TICK_MS: String(DAY_MS),
    },
    modules: [
      (installed) => {
        platform = installed;
      },
    ],
  });
  const { produce } = useEventProducer(servers, 'personal-data-test', '/learning/registration');
  const run = randomUUID().slice(0, 8);
  const person: Person = { subject: `erased-${run}`, id: '', token: '' };
  const other: Person = { subject: `stays-${run}`, id: '', token: '' };
  const swept: Person = { subject: `swept-${run}`, id: '', token: '' };
  let village = '';
  let connection: Connection;
  let watch: TopicWatch;
  let exporter: GrpcClient<typeof privacy.PersonalDataServiceClient.service>;
  let stranger: GrpcClient<typeof privacy.PersonalDataServiceClient.service>;
  let announcementId = '';
  let readEntryId = '';

  const client = (token: () => Promise<string>) =>
    createGrpcClient(privacy.PersonalDataServiceClient, {
      address: `127.0.0.1:${stack.notifications.ports.grpcPort}`,
      logger: captureLogger('personal-data-client').logger,
      idempotentMethods: ['exportPersonalData', 'checkErasure'],
      tokenProvider: token,
    });
  const db = () => {
    if (connection.db === undefined) throw new Error('not connected');
    return connection.db;
  };
  /** The collections of the service's database holding `participantId` anywhere in a document. */
  const collectionsNaming = async (participantId: string): Promise<string[]> => {
    const names = (await db().listCollections().toArray()).map(({ name }) => name).sort();
    const holding: string[] = [];
    for (const name of names) {
      const documents = await db().collection(name).find({}).toArray();
      if (documents.some((document) => JSON.stringify(document).includes(participantId)))
        holding.push(name);
    }
    return holding;
  };
  const me = (who: Person, path: string) => call(stack.notifications.base, 'GET', path, who.token);
  const inboxIds = async (who: Person): Promise<string[]> => {
    const answer = await me(who, '/v1/me/inbox');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return (answer.body['items'] as { id: string }[]).map(({ id }) => id);
  };
  const enrollment = (who: Person, startsAt: Date) => {
    const activityId = randomUUID();
    const enrollmentId = randomUUID();
    const key = `activities:${activityId}`;
    const payload = {
      enrollmentId,
      event: { owner: 'activities', eventId: activityId },
      participantId: who.id,
      eventSummary: {
        title: '读书分享会',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
        jurisdictionPath: [village],
      },
    };
    return {
      key,
      enrollmentId,
      confirm: () =>
        produce(
          enrollmentEvents.EnrollmentConfirmed,
          key,
          registration.EnrollmentConfirmed.fromPartial({ ...payload, confirmedAt: clock() }),
        ),
      cancel: () =>
        produce(
          enrollmentEvents.EnrollmentCancelled,
          key,
          registration.EnrollmentCancelled.fromPartial({
            ...payload,
            reason: registration.CancellationReason.CANCELLATION_REASON_SELF,
            cancelledAt: clock(),
          }),
        ),
    };
  };
  const consent = (who: Person, key: string, given: boolean, version: number) =>
    produce(
      participantEvents.participantConsentChanged,
      key,
      registration.ParticipantConsentChanged.fromPartial({
        participantId: who.id,
        purpose: registration.ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_EMAIL,
        given,
        textVersion: '2026-12',
        changedAt: clock(),
        changedBy: who.subject,
        version: String(version),
      }),
    );
  const erasureRequest = (requestId: string, id?: string) =>
    produce(
      privacyEvents.erasureRequested,
      person.id,
      privacy.ErasureRequested.fromPartial({
        requestId,
        participantId: person.id,
        requestedAt: new Date(),
      }),
      id,
    );
  /**
   * This app's completions of a request, one per event id (the watch's throwaway group may
   * read a message again). Every notifications app on the shared topics completes every
   * request in its own database (the other test files' apps too), so this app's is the one
   * whose completion time is its `privacy_erasures` record's.
   */
  const ours = async (requestId: string): Promise<CloudEvent<privacy.ErasureCompleted>[]> => {
    const record = await db()
      .collection<{ _id: string; completedAt: Date }>('privacy_erasures')
      .findOne({ _id: requestId });
    if (record === null) return [];
    return [
      ...new Map(
        watch.messages
          .map(({ message }) => fromKafkaMessage(message))
          .filter((event) => event.type === 'notifications.erasure.completed.v1')
          .map((event) => ({ ...event, data: privacy.ErasureCompleted.fromJSON(event.data) }))
          .filter(
            (event) =>
              event.data.requestId === requestId &&
              event.data.completedAt?.getTime() === record.completedAt.getTime(),
          )
          .map((event) => [event.id, event] as const),
      ).values(),
    ];
  };
  const count = (collection: string, filter: Record<string, unknown>) =>
    db().collection(collection).countDocuments(filter);

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    watch = await watchTopics(servers.kafka, [topics.privacyErasures.name]);
    const registrationToken = await serviceToken(stack.notifications.issuer, 'registration');
    const scoringToken = await serviceToken(stack.notifications.issuer, 'scoring');
    exporter = client(async () => registrationToken);
    stranger = client(async () => scoringToken);

    village = stack.tree.find((node) => node.level === 'village')?.code ?? '';
    for (const [index, who] of [person, other, swept].entries()) {
      who.token = await stack.token({ subject: who.subject, roles: ['participant'] });
      const created = await call(stack.registration.base, 'POST', '/v1/participants', who.token, {
        name: '王五',
        tier: 'ordinary_citizen',
        homeJurisdiction: village,
        idNumber: residentIdNumber('19920303', 820 + index),
        phone: `1370000820${index}`,
        language: 'zh-CN',
        consent: { sms: true },
      });
      expect(created.status).toBe(201);
      who.id = String(created.body['id']);
    }

    // The person's own data, through the routes and events that make it.
    const saved = await call(stack.notifications.base, 'PUT', '/v1/me/preferences', person.token, {
      language: 'en',
      timeZone: 'Europe/Berlin',
      optOuts: [{ category: 'credits', channel: 'sms' }],
      quietHours: null,
      digest: 'off',
    });
    expect(saved.status).toBe(200);
    const signUp = enrollment(person, new Date(Date.now() + 3 * DAY_MS));
    await signUp.confirm();
    await until('the confirmation in the inbox', async () => (await inboxIds(person)).length > 0);
    readEntryId = (await inboxIds(person))[0] ?? '';
    const read = await call(
      stack.notifications.base,
      'POST',
      `/v1/me/inbox/${encodeURIComponent(readEntryId)}/read`,
      person.token,
      {},
    );
    expect(read.status).toBeLessThan(300);
    await consent(person, person.id, false, 2);
    await until('the consent kept', async () => (await count('channel_consents', {})) > 0);

    const office = await stack.token({
      subject: `office-${run}`,
      roles: ['city_admin'],
      cityWide: true,
    });
    const announced = await call(stack.notifications.base, 'POST', '/v1/announcements', office, {
      subject: { 'zh-CN': '停水通知', en: 'Water cut' },
      body: { 'zh-CN': '明天上午停水。', en: 'No water tomorrow morning.' },
      criteria: { jurisdictionCodes: [village] },
    });
    expect(announced.status).toBe(201);
    announcementId = String(announced.body['id']);
    await until('the announcement fanned out', async () => {
      const progress = await call(
        stack.notifications.base,
        'GET',
        `/v1/announcements/${announcementId}`,
        office,
      );
      return progress.body['status'] === 'completed';
    });
  });
  afterAll(async () => {
    exporter.close();
    stranger.close();
    await watch.stop();
    await connection.close();
  });

  it('when the models and the database are listed, then every collection naming a participant is declared or listed as holding no personal data', async () => {
    if (platform === undefined) throw new Error('the app has not started');
    const modelCollections = Object.values(platform.mongo.models).map(
      (model) => model.collection.collectionName,
    );
    const unaccounted = (names: readonly string[]) =>
      names.filter((name) => !DECLARED.has(name) && !(name in WITHOUT_PERSONAL_DATA));

    expect(unaccounted(modelCollections)).toEqual([]);
    expect(unaccounted(await collectionsNaming(person.id))).toEqual([]);
    // Every declared collection holds the seeded person: the seeding reached each kind.
    expect(await collectionsNaming(person.id)).toEqual(expect.arrayContaining([...DECLARED]));
  });

  it('when registration asks for the person’s data, then every kind comes with their records; another service is refused and a bad id is invalid', async () => {
    const answer = await exporter.call.exportPersonalData({ participantId: person.id });
    const sections = new Map(
      answer.sections.map((section) => [
        section.kind,
        {
          ...section,
          records: JSON.parse(section.recordsJson) as Record<string, unknown>[],
        },
      ]),
    );

    expect(answer.service).toBe('notifications');
    expect([...sections.keys()]).toEqual(KINDS);
    for (const section of sections.values()) {
      expect(section.title?.zhCn).not.toBe('');
      expect(section.purpose?.en).not.toBe('');
      expect(section.recordCount).toBe(String(section.records.length));
    }
    expect(sections.get('preferences')?.records).toEqual([
      expect.objectContaining({
        language: 'en',
        timeZone: 'Europe/Berlin',
        optOuts: [{ category: 'credits', channel: 'sms' }],
      }),
    ]);
    expect(sections.get('channel-consents')?.records).toEqual([
      expect.objectContaining({ channel: 'email', given: false, version: 2 }),
    ]);
    const notices = sections.get('notices')?.records ?? [];
    expect(notices.map((notice) => notice['channel']).sort()).toEqual([
      'email',
      'inbox',
      'sms',
      'wechat',
    ]);
    expect(notices.every((notice) => notice['kind'] === 'enrollment.confirmed')).toBe(true);
    expect(JSON.stringify(notices)).not.toContain('sealedAddress');
    expect(sections.get('read-marks')?.records).toEqual([
      expect.objectContaining({ entryId: readEntryId }),
    ]);
    expect(sections.get('broadcast-receipts')?.records).toMatchObject([
      {
        broadcastId: announcementId,
        kind: 'announcement',
        shownInInbox: true,
        title: { en: 'Water cut' },
      },
    ]);
    expect(
      (sections.get('reminders')?.records ?? []).map((reminder) => reminder['slot']).sort(),
    ).toEqual(['day-before', 'hour-before']);

    const unknown = await exporter.call.exportPersonalData({ participantId: randomUUID() });
    expect(unknown.sections.map((section) => section.recordCount)).toEqual(KINDS.map(() => '0'));
    await expect(exporter.call.checkErasure({ participantId: person.id })).resolves.toMatchObject({
      service: 'notifications',
      obligations: [],
    });
    await expect(
      stranger.call.exportPersonalData({ participantId: person.id }),
    ).rejects.toMatchObject({ kind: 'permission_denied', code: 'PERSONAL_DATA_CALLER_DENIED' });
    await expect(
      exporter.call.exportPersonalData({ participantId: 'not-a-uuid' }),
    ).rejects.toMatchObject({ kind: 'invalid_argument' });
  });

  it('when registration asks to erase the person, then one completion tallies what went, nothing names them but the erasure record, others keep theirs, and a redelivery changes nothing', async () => {
    const before = {
      notices: await count('deliveries', { recipient: person.id }),
      reminders: await count('reminders', { recipient: person.id }),
    };
    const othersInbox = await inboxIds(other);
    expect(othersInbox).toContain(announcementId);
    const broadcast = await db()
      .collection<{ _id: string; counts?: unknown; recipientsDone?: number }>('broadcasts')
      .findOne({ _id: announcementId });

    const requestId = randomUUID();
    const eventId = await erasureRequest(requestId);
    await until('the completion', async () => (await ours(requestId)).length > 0);
    const tallies = (await ours(requestId))[0]?.data;
    expect(tallies?.service).toBe('notifications');
    expect(
      Object.fromEntries((tallies?.erased ?? []).map(({ kind, count }) => [kind, Number(count)])),
    ).toEqual({
      preferences: 1,
      'channel-consents': 1,
      notices: before.notices,
      'read-marks': 1,
      'broadcast-receipts': 1,
      reminders: before.reminders,
    });
    expect(tallies?.kept.map(({ kind, count }) => [kind, count])).toEqual([
      ['broadcast-receipts', '1'],
    ]);
    expect(tallies?.kept[0]?.reason).toContain('counts');

    // What the person sees, and what the database holds (once the relays have published).
    // Registration, told too, erases the person: to the APIs they are then nobody.
    await eventually('the person unknown', async () =>
      (await me(person, '/v1/me/inbox')).status === 404 ? true : undefined,
    );
    for (const path of ['/v1/me/inbox', '/v1/me/deliveries', '/v1/me/preferences'])
      expect((await me(person, path)).body, path).toMatchObject({
        code: 'RECIPIENT_NOT_REGISTERED',
      });
    await until(
      'nothing but the erasure record names the person',
      async () => (await collectionsNaming(person.id)).join() === 'privacy_erasures',
    );
    expect(await inboxIds(other)).toEqual(othersInbox);
    expect(
      await db()
        .collection<{ _id: string; counts?: unknown; recipientsDone?: number }>('broadcasts')
        .findOne({ _id: announcementId }),
    ).toMatchObject({
      counts: broadcast?.counts,
      recipientsDone: broadcast?.recipientsDone,
    });

    // The same event again, the same request under a new event id, then a second request
    // for the person on the same partition: only the second one completes anew.
    await erasureRequest(requestId, eventId);
    await erasureRequest(requestId);
    const marker = randomUUID();
    await erasureRequest(marker);
    await until('the second request', async () => (await ours(marker)).length > 0);
    expect(await ours(requestId)).toHaveLength(1);
    expect(await count('privacy_erasures', { _id: requestId })).toBe(1);
    const second = (await ours(marker))[0]?.data;
    expect(second?.erased.map(({ count }) => count)).toEqual(KINDS.map(() => '0'));
    expect(second?.kept).toEqual([]);
  });

  it('when events about the erased person arrive late, then nothing about them is stored again', async () => {
    const late = enrollment(person, new Date(Date.now() + 5 * DAY_MS));
    await late.confirm();
    await consent(person, person.id, true, 9);
    // The other person's events on the same partitions show the late ones were handled.
    const markerSignUp = enrollment(other, new Date(Date.now() + 5 * DAY_MS));
    await produce(
      enrollmentEvents.EnrollmentConfirmed,
      late.key,
      registration.EnrollmentConfirmed.fromPartial({
        enrollmentId: markerSignUp.enrollmentId,
        event: { owner: 'activities', eventId: late.key.slice('activities:'.length) },
        participantId: other.id,
        confirmedAt: clock(),
        eventSummary: {
          title: '读书分享会',
          startsAt: new Date(Date.now() + 5 * DAY_MS),
          jurisdictionPath: [village],
        },
      }),
    );
    await consent(other, person.id, false, 3);
    await until(
      "the other person's sign-up",
      async () => (await count('reminders', { enrollmentId: markerSignUp.enrollmentId })) === 2,
    );
    await until(
      "the other person's consent",
      async () => (await count('channel_consents', { _id: other.id })) === 1,
    );

    expect(await collectionsNaming(person.id)).toEqual(['privacy_erasures']);
  });

  describe('retention', () => {
    const KEEP = 365;
    /** The sweeping replica runs a year and two days on, so a year's retention cuts at about two days from now. */
    const sweepClock = () => new Date(Date.now() + (KEEP + 2) * DAY_MS);
    const seeded = {
      oldNotice: '',
      newNotice: '',
      oldReminders: '',
      newReminders: '',
      oldPing: '',
      newPing: '',
    };
    let target: WebhookTarget;
    let subscriptionId = '';
    /** A test ping to the department's receiver, queued on the main app's clock and delivered. */
    const ping = async (): Promise<string> => {
      const admin = await stack.token({
        subject: `admin-${run}`,
        roles: ['city_admin'],
        cityWide: true,
      });
      if (subscriptionId === '') {
        const created = await call(
          stack.notifications.base,
          'POST',
          '/v1/webhook-subscriptions',
          admin,
          {
            url: `${target.base}/department`,
            eventTypes: [activityEvents.ActivityPublished.type],
          },
        );
        expect(created.status).toBe(201);
        subscriptionId = (created.body['subscription'] as { id: string }).id;
      }
      const before = await count('webhook_deliveries', { subscriptionId });
      const queued = await call(
        stack.notifications.base,
        'POST',
        `/v1/webhook-subscriptions/${subscriptionId}/test`,
        admin,
        {},
      );
      expect(queued.status).toBeLessThan(300);
      await until(
        'the ping queued',
        async () => (await count('webhook_deliveries', { subscriptionId })) > before,
      );
      const [latest] = await db()
        .collection<{ _id: string; queuedAt: Date }>('webhook_deliveries')
        .find({ subscriptionId })
        .sort({ queuedAt: -1 })
        .limit(1)
        .toArray();
      const id = latest?._id ?? '';
      await until(
        'the ping delivered',
        async () => (await count('webhook_deliveries', { _id: id, status: 'delivered' })) === 1,
      );
      return id;
    };

    const dispatchTo = async (who: Person): Promise<string> => {
      if (platform === undefined) throw new Error('the app has not started');
      const noticeId = randomUUID();
      await platform.dispatcher.dispatch([
        {
          noticeId,
          kind: 'credits.awarded',
          recipient: who.id,
          urgent: false,
          variables: { amount: '2', source: '讲座', occurredAt: clock() },
          occurredAt: clock(),
          sender: 'service:scoring',
        },
      ]);
      return `${noticeId}:${who.id}:inbox`;
    };
    /** Every channel's delivery of a notice made from an event: the notice id is the event's. */
    const noticeDone = (eventId: string) =>
      until('the notice', async () => (await count('deliveries', { noticeId: eventId })) === 4);
    const plannedThenDropped = async (startsAt: Date): Promise<string> => {
      const signUp = enrollment(swept, startsAt);
      await noticeDone(await signUp.confirm());
      expect(await count('reminders', { enrollmentId: signUp.enrollmentId })).toBe(2);
      // The cancellation's notice is written after its reminders are dropped: waited for, so
      // nothing is written after the sweep.
      await noticeDone(await signUp.cancel());
      expect(
        await count('reminders', { enrollmentId: signUp.enrollmentId, status: 'dropped' }),
      ).toBe(2);
      return signUp.enrollmentId;
    };
    const markRead = (entryId: string) =>
      call(
        stack.notifications.base,
        'POST',
        `/v1/me/inbox/${encodeURIComponent(entryId)}/read`,
        swept.token,
        {},
      );

    afterAll(async () => {
      await target.close();
    });
    // Seeded before the sweeping replica starts (its start runs the sweep once).
    beforeAll(async () => {
      target = await startWebhookTarget();
      seeded.oldNotice = await dispatchTo(swept);
      expect((await markRead(seeded.oldNotice)).status).toBeLessThan(300);
      seeded.oldReminders = await plannedThenDropped(new Date(Date.now() + 3 * DAY_MS));
      seeded.oldPing = await ping();
      // Later than the webhook deliveries' 90 days' cut: about 277 days from now.
      offset = 300 * DAY_MS;
      try {
        seeded.newPing = await ping();
      } finally {
        offset = 0;
      }
      offset = 200 * DAY_MS;
      try {
        seeded.newNotice = await dispatchTo(swept);
        expect((await markRead(seeded.newNotice)).status).toBeLessThan(300);
      } finally {
        offset = 0;
      }
      seeded.newReminders = await plannedThenDropped(new Date(Date.now() + 360 * DAY_MS));
    });

    const sweeper = useServiceApp(notificationsService, servers, {
      loadConfig: loadNotificationsConfig,
      clock: sweepClock,
      environment: async (issuer) => ({
        MONGODB_DATABASE: database,
        REGISTRATION_GRPC_ADDRESS: `127.0.0.1:${stack.registration.ports.grpcPort}`,
        REGISTRATION_SERVICE_TOKEN: await serviceToken(issuer, 'notifications'),
        SCHEDULER_TICK_MS: String(DAY_MS),
        NOTICE_RETENTION_DAYS: String(KEEP),
        BROADCAST_RETENTION_DAYS: String(KEEP),
        REMINDER_RETENTION_DAYS: '30',
        WEBHOOK_DELIVERY_RETENTION_DAYS: '90',
        ...generatePiiEnvironment(),
      }),
    });

    it('when a replica sweeps a year on, then exactly what outlived its retention is gone and the rest stays, with figures', async () => {
      const tickAt = Math.floor(sweepClock().getTime() / DAY_MS) * DAY_MS;
      const cutoff = new Date(tickAt - KEEP * DAY_MS);
      await until(
        'the sweep',
        async () => (await count('deliveries', { _id: seeded.oldNotice })) === 0,
      );
      await until(
        'the reminders sweep',
        async () => (await count('reminders', { enrollmentId: seeded.oldReminders })) === 0,
      );

      expect(await count('deliveries', { _id: seeded.newNotice })).toBe(1);
      // This file's people only: the other files' events reach this app's consumers too.
      expect(
        await count('deliveries', {
          recipient: { $in: [person.id, other.id, swept.id] },
          createdAt: { $lt: cutoff },
          status: { $nin: ['held', 'pending'] },
        }),
      ).toBe(0);
      expect(await count('inbox_reads', { recipient: swept.id, entryId: seeded.oldNotice })).toBe(
        0,
      );
      expect(await count('inbox_reads', { recipient: swept.id, entryId: seeded.newNotice })).toBe(
        1,
      );
      expect(await count('reminders', { enrollmentId: seeded.newReminders })).toBe(2);
      await until(
        'the webhook deliveries sweep',
        async () => (await count('webhook_deliveries', { _id: seeded.oldPing })) === 0,
      );
      expect(await count('webhook_deliveries', { _id: seeded.newPing })).toBe(1);
      // The announcement was made now: its audience lists outlived a year's retention.
      expect(await count('broadcast_batches', { broadcastId: announcementId })).toBe(0);
      expect(await count('broadcasts', { _id: announcementId })).toBe(1);

      const metrics = await (await fetch(`${sweeper.base}/metrics`)).text();
      const removed = (kind: string) =>
        Number(
          new RegExp(`^privacy_retention_removed_total\\{kind="${kind}"\\} (\\d+)`, 'm').exec(
            metrics,
          )?.[1] ?? 'NaN',
        );
      expect(removed('notices')).toBeGreaterThanOrEqual(1);
      expect(removed('reminders')).toBeGreaterThanOrEqual(2);
      expect(removed('read-marks')).toBeGreaterThanOrEqual(1);
      expect(removed('broadcast-receipts')).toBeGreaterThanOrEqual(1);
      expect(removed('webhook-deliveries')).toBeGreaterThanOrEqual(1);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage } from '@learning/events';
import { activities, common } from '@learning/proto';
import { call } from '@learning/runtime/testing';
import { createPiiVault, piiKeysFrom } from '@learning/pii';
import { idNumberOf } from '@learning/registration/testing/people';
import { describeWithServers, eventually } from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import { MongoBatchStore } from '../../src/adapters/mongo/batch-store.js';
import { MongoBroadcastStore } from '../../src/adapters/mongo/broadcast-store.js';
import { batchModel, broadcastModel } from '../../src/adapters/mongo/broadcasts.js';
import {
  channelConsentsModel,
  MongoChannelConsents,
} from '../../src/adapters/mongo/channel-consents.js';
import { MongoWaitingDeliveries } from '../../src/adapters/mongo/waiting-deliveries.js';
import { deliveryModel } from '../../src/adapters/mongo/deliveries.js';
import {
  deliveryReportModel,
  OutboxDeliveryReports,
} from '../../src/adapters/mongo/delivery-reports.js';
import { MongoDeliveryStore } from '../../src/adapters/mongo/delivery-store.js';
import { vaultSeal } from '../../src/adapters/pii/address-seal.js';
import { fanOut } from '../../src/application/broadcasts/fan-out.js';
import { createDispatcher } from '../../src/application/dispatch/dispatch.js';
import { dispatchScheduler } from '../../src/application/dispatch/scheduler.js';
import type { NewBroadcast } from '../../src/application/broadcasts/ports.js';
import { broadcastSeamsOf } from '../../src/modules/broadcasts.js';
import type { Platform } from '../../src/platform.js';
import { useNotificationsStack } from '../support/stack.js';

const claimedOrFail = <T>(claimed: T | null): T => {
  if (claimed === null) throw new Error('the broadcast was claimed by another worker first');
  return claimed;
};

const BATCH_SIZE = 2;
const LEASE_MS = 2_000;

describeWithServers(['mongo', 'kafka', 'redis'], 'notifications announcements', (servers) => {
  let platform: Platform | undefined;
  const stack = useNotificationsStack(servers, {
    channelSinks: true,
    notificationsEnvironment: {
      FANOUT_BATCH_SIZE: String(BATCH_SIZE),
      FANOUT_LEASE_MS: String(LEASE_MS),
      // The app's worker looks only when woken (an announcement or event queued through the app),
      // so a broadcast a test writes straight to the store is claimed by the test first.
      FANOUT_POLL_MS: String(3_600_000),
    },
    modules: [
      (installed) => {
        platform = installed;
      },
    ],
  });
  const platformOf = (): Platform => {
    if (platform === undefined) throw new Error('the app has not started');
    return platform;
  };
  let office = '';
  let officerA = '';
  let participant = '';
  let townshipA = '';
  let townshipB = '';
  let townshipC = '';
  const inA: string[] = [];
  const inB: string[] = [];

  async function register(
    village: string,
    sequence: string,
  ): Promise<{ readonly id: string; readonly token: string }> {
    const subject = `person-${randomUUID()}`;
    const token = await stack.token({ subject, roles: ['participant'] });
    const created = await call(stack.registration.base, 'POST', '/v1/participants', token, {
      name: '王五',
      tier: 'ordinary_citizen',
      homeJurisdiction: village,
      idNumber: idNumberOf('19850101', sequence),
      phone: `1390000${sequence}1`,
      language: 'zh-CN',
      consent: { notifications: true },
    });
    expect(created.status).toBe(201);
    return { id: String(created.body['id']), token };
  }

  beforeAll(async () => {
    const townships = stack.tree.filter((node) => node.level === 'township');
    townshipA = townships[0]?.code ?? '';
    townshipB = townships[1]?.code ?? '';
    townshipC = townships[2]?.code ?? '';
    const villagesOf = (township: string) =>
      stack.tree.filter((node) => node.level === 'village' && node.path.includes(township));
    const [a1, a2] = villagesOf(townshipA);
    const [b1] = villagesOf(townshipB);
    if (a1 === undefined || a2 === undefined || b1 === undefined) throw new Error('no villages');
    let sequence = 600;
    for (const village of [a1, a1, a2, a2, a2])
      inA.push((await register(village.code, String((sequence += 1)))).id);
    for (const village of [b1, b1])
      inB.push((await register(village.code, String((sequence += 1)))).id);
    inA.sort();
    office = await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true });
    officerA = await stack.token({
      subject: 'officer-a',
      roles: ['area_officer'],
      jurisdictions: [townshipA],
    });
    participant = await stack.token({ subject: 'someone', roles: ['participant'] });
  });

  /** Each write with a fresh Idempotency-Key (the harness's `send` adds one). */
  const send = (method: string, path: string, token: string, body?: unknown) =>
    call(stack.notifications.base, method, path, token, body);

  const inboxOf = async (recipient: string) =>
    platformOf().broadcastInbox.page(recipient, { limit: 50, language: 'zh-CN' });

  const completed = (id: string, token = office) =>
    eventually(
      `announcement ${id} completed`,
      async () => {
        const response = await send('GET', `/v1/announcements/${id}`, token);
        return response.body['status'] === 'completed' ? response.body : undefined;
      },
      20_000,
    );

  it('when the office asks how many live in a township, then registration counts them', async () => {
    const response = await send('POST', '/v1/announcements/audience-size', office, {
      criteria: { jurisdictionCodes: [townshipA] },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ audienceSize: inA.length });
  });

  it('when an area officer announces to their township on the inbox and SMS, then exactly its people have it, each texted once', async () => {
    const created = await send('POST', '/v1/announcements', officerA, {
      subject: { 'zh-CN': '停水通知', en: 'Water cut' },
      body: { 'zh-CN': '明天上午停水。' },
      criteria: { jurisdictionCodes: [townshipA] },
      channels: ['sms'],
    });
    expect(created.status).toBe(201);
    expect(created.body['audienceSize']).toBe(inA.length);
    const id = String(created.body['id']);

    const progress = await completed(id, officerA);

    expect(progress).toMatchObject({
      recipientsDone: inA.length,
      channels: ['inbox', 'sms'],
      counts: {
        inbox: { delivered: inA.length, failed: 0, suppressed: 0, held: 0 },
        sms: { delivered: inA.length, failed: 0, suppressed: 0, held: 0 },
      },
    });
    expect(progress['firstNoticeAt']).not.toBeNull();
    for (const person of inA)
      expect((await inboxOf(person)).map((entry) => [entry.id, entry.title])).toContainEqual([
        id,
        '停水通知',
      ]);
    for (const person of inB)
      expect((await inboxOf(person)).map((entry) => entry.id)).not.toContain(id);
    const texted = [...stack.sinks.sms.accepted.keys()].filter((key) => key.startsWith(id));
    expect(texted.sort()).toEqual(inA.map((person) => `${id}:${person}:sms`));
    expect(stack.sinks.sms.repeats).toEqual([]);
    const english = await platformOf().broadcastInbox.page(inA[0] ?? '', {
      limit: 50,
      language: 'en',
    });
    expect(english.find((entry) => entry.id === id)?.title).toBe('Water cut');
  });

  it('when an area officer addresses another township or the city, then 403 ANNOUNCEMENT_OUTSIDE_SCOPE', async () => {
    const other = await send('POST', '/v1/announcements/audience-size', officerA, {
      criteria: { jurisdictionCodes: [townshipB] },
    });
    const city = await send('POST', '/v1/announcements', officerA, {
      subject: { 'zh-CN': '通知' },
      body: { 'zh-CN': '正文' },
      criteria: {},
    });

    expect([other.status, other.body['code']]).toEqual([403, 'ANNOUNCEMENT_OUTSIDE_SCOPE']);
    expect([city.status, city.body['code']]).toEqual([403, 'ANNOUNCEMENT_OUTSIDE_SCOPE']);
  });

  it('when the requests are malformed or not allowed, then each is refused with its code', async () => {
    const oversize = await send('POST', '/v1/announcements', office, {
      subject: { 'zh-CN': '长'.repeat(61) },
      body: { 'zh-CN': '正文' },
      criteria: {},
    });
    const unknownPlace = await send('POST', '/v1/announcements/audience-size', office, {
      criteria: { jurisdictionCodes: ['330281999999'] },
    });
    const noKeyResponse = await fetch(`${stack.notifications.base}/v1/announcements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: { 'zh-CN': '通知' },
        body: { 'zh-CN': '正文' },
        criteria: {},
      }),
    });
    const noKey = {
      status: noKeyResponse.status,
      body: (await noKeyResponse.json()) as Record<string, unknown>,
    };
    const citizen = await send('GET', '/v1/announcements', participant);
    const missing = await send('GET', `/v1/announcements/${randomUUID()}`, office);
    const cancelMissing = await send('POST', `/v1/announcements/${randomUUID()}/cancel`, office);

    expect([oversize.status, oversize.body['code']]).toEqual([400, 'VALIDATION_FAILED']);
    expect([unknownPlace.status, unknownPlace.body['code']]).toEqual([400, 'JURISDICTION_UNKNOWN']);
    expect([noKey.status, noKey.body['code']]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
    expect([citizen.status, citizen.body['code']]).toEqual([403, 'ROLE_REQUIRED']);
    expect([missing.status, missing.body['code']]).toEqual([404, 'ANNOUNCEMENT_NOT_FOUND']);
    expect([cancelMissing.status, cancelMissing.body['code']]).toEqual([
      404,
      'ANNOUNCEMENT_NOT_FOUND',
    ]);
  });

  it('when the office lists and cancels, then it sees the announcements and a finished one cannot be cancelled', async () => {
    const created = await send('POST', '/v1/announcements', office, {
      subject: { 'zh-CN': '全市通知' },
      body: { 'zh-CN': '正文' },
      criteria: { jurisdictionCodes: [townshipB] },
    });
    const id = String(created.body['id']);
    await completed(id);

    const list = await send('GET', '/v1/announcements?pageSize=10', office);
    const cancel = await send('POST', `/v1/announcements/${id}/cancel`, office);
    const officerList = await send('GET', '/v1/announcements?pageSize=10', officerA);

    expect(list.status).toBe(200);
    expect((list.body['items'] as { id: string }[]).map((item) => item.id)).toContain(id);
    expect((officerList.body['items'] as { id: string }[]).map((item) => item.id)).not.toContain(
      id,
    );
    expect([cancel.status, cancel.body['code']]).toEqual([409, 'ANNOUNCEMENT_FINISHED']);
  });

  it('when a fan-out is stopped after a batch and resumed by another worker, then everyone is listed once and texted once', async () => {
    const { mongo, clock } = platformOf();
    const broadcasts = new MongoBroadcastStore(broadcastModel(mongo));
    const batches = new MongoBatchStore(batchModel(mongo));
    const id = randomUUID();
    const broadcast: NewBroadcast = {
      id,
      kind: 'announcement',
      variables: { subject: '续传', body: '正文' },
      rendered: { 'zh-CN': { title: '续传', body: '正文' } },
      criteria: { tiers: [], jurisdictionCodes: [townshipA], organizationKinds: [] },
      channels: ['inbox', 'sms'],
      sender: 'office',
      sourceEventId: null,
      audienceSize: inA.length,
      createdAt: clock(),
    };
    await broadcasts.create(broadcast, []);
    const claimed = await broadcasts.claim(
      'killed-worker',
      clock(),
      new Date(Date.now() + LEASE_MS),
    );
    expect(claimed?.id).toBe(id);
    const stopping = new AbortController();
    const seams = broadcastSeamsOf(platformOf());
    const deps = {
      ...seams,
      broadcasts,
      batches,
      clock,
      batchSize: BATCH_SIZE,
      leaseMs: LEASE_MS,
      audience: {
        count: seams.audience.count.bind(seams.audience),
        async *stream(...args: Parameters<typeof seams.audience.stream>) {
          let pages = 0;
          for await (const page of seams.audience.stream(...args)) {
            pages += 1;
            if (pages === 2) stopping.abort();
            yield page;
          }
        },
      },
    };

    await expect(
      fanOut(deps)(claimedOrFail(claimed), 'killed-worker', stopping.signal),
    ).resolves.toBe('stopped');
    const second = fanOut({ ...deps, audience: seams.audience });
    const resumed = await broadcasts.claim(
      'second-worker',
      clock(),
      new Date(Date.now() + LEASE_MS),
    );
    expect(resumed?.cursor).toBe(inA[BATCH_SIZE - 1]);
    await expect(
      second(claimedOrFail(resumed), 'second-worker', new AbortController().signal),
    ).resolves.toBe('completed');
    await completed(id);

    const written = await batchModel(mongo).find({ broadcastId: id }).lean();
    const listed = written.flatMap((batch) => batch.recipients).sort();
    expect(listed).toEqual(inA);
    expect(written).toHaveLength(Math.ceil(inA.length / BATCH_SIZE));
    const texted = [...stack.sinks.sms.accepted.keys()].filter((key) => key.startsWith(id));
    expect(texted.sort()).toEqual(inA.map((person) => `${id}:${person}:sms`));
    expect(stack.sinks.sms.repeats.filter((key) => key.startsWith(id))).toEqual([]);
    const final = await broadcasts.get(id);
    expect(final?.recipientsDone).toBe(inA.length);
    expect(final?.counts.sms.delivered).toBe(inA.length);
  });

  it('when ActivityPublished is delivered twice, then one broadcast, naming the township and the venue, reaches its audience in the township once', async () => {
    const { producer, mongo } = platformOf();
    const event = toCloudEvent(
      newEvent(activityEvents.ActivityPublished, 'a-1', {
        ...activities.ActivityPublished.fromPartial({}),
        activityId: randomUUID(),
        title: '读书会',
        startsAt: new Date('2027-01-10T02:00:00Z'),
        endsAt: new Date('2027-01-10T04:00:00Z'),
        targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN],
        jurisdictionPath: [stack.tree[0]?.code ?? '', townshipB],
        venueName: '城东礼堂',
      }),
      '/learning/activities',
    );
    for (let delivery = 0; delivery < 2; delivery += 1)
      await producer.send({
        topic: activityEvents.ActivityPublished.topic.name,
        messages: [{ ...toKafkaMessage(event), key: 'a-1' }],
      });

    await eventually(
      'the fan-out of the activity completed',
      async () => {
        const stored = await broadcastModel(mongo).findById(event.id).lean();
        return stored?.status === 'completed' ? stored : undefined;
      },
      30_000,
    );

    expect(await broadcastModel(mongo).countDocuments({ sourceEventId: event.id })).toBe(1);
    const township = stack.tree.find((node) => node.code === townshipB);
    expect((await broadcastModel(mongo).findById(event.id).lean())?.variables).toMatchObject({
      place: township?.name,
      venue: '城东礼堂',
    });
    expect(township?.name).toMatch(/\S/);
    const written = await batchModel(mongo).find({ broadcastId: event.id }).lean();
    expect(written.flatMap((batch) => batch.recipients).sort()).toEqual([...inB].sort());
    for (const person of inB) {
      const entries = (await inboxOf(person)).filter((entry) => entry.id === event.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.kind).toBe('activity.published');
    }
  });

  it('when an announcement goes out at 23:00 city time, then a person in quiet hours is texted only when their night ends at 07:00, once', async () => {
    const live = platformOf();
    let now = new Date('2027-03-01T15:00:00Z'); // 23:00 in the city; later than any real time the app's scheduler sees
    const clock = () => now;
    const village = stack.tree.find(
      (node) => node.level === 'village' && node.path.includes(townshipC),
    );
    if (village === undefined) throw new Error('no village in the third township');
    const sleeper = await register(village.code, '651');
    const awake = await register(village.code, '652');
    const night = await send('PUT', '/v1/me/preferences', sleeper.token, {
      language: 'zh-CN',
      timeZone: null,
      optOuts: [],
      quietHours: { start: '22:00', end: '07:00' },
      digest: 'off',
    });
    expect(night.status).toBe(200);
    // The app's own dispatcher and scheduler, on the test's clock.
    const deliveries = new MongoDeliveryStore(deliveryModel(live.mongo));
    const seal = vaultSeal(createPiiVault(piiKeysFrom(live.config)));
    const dispatcher = createDispatcher({
      preferences: live.preferences,
      contacts: live.registration.contacts,
      templates: live.templates,
      gateways: live.gateways,
      deliveries,
      reports: new OutboxDeliveryReports(deliveryReportModel(live.mongo)),
      seal,
      clock,
      consents: new MongoChannelConsents(channelConsentsModel(live.mongo)),
      waiting: new MongoWaitingDeliveries(deliveryModel(live.mongo)),
    });
    const scheduler = dispatchScheduler({ deliveries, dispatcher, seal, clock });
    const broadcasts = new MongoBroadcastStore(broadcastModel(live.mongo));
    const id = randomUUID();
    await broadcasts.create(
      {
        id,
        kind: 'announcement',
        variables: { subject: '夜间通知', body: '正文' },
        rendered: { 'zh-CN': { title: '夜间通知', body: '正文' } },
        criteria: { tiers: [], jurisdictionCodes: [townshipC], organizationKinds: [] },
        channels: ['inbox', 'sms'],
        sender: 'office',
        sourceEventId: null,
        audienceSize: 2,
        createdAt: now,
      },
      [],
    );
    const run = fanOut({
      ...broadcastSeamsOf(live),
      dispatcher,
      broadcasts,
      batches: new MongoBatchStore(batchModel(live.mongo)),
      clock,
      batchSize: BATCH_SIZE,
      leaseMs: LEASE_MS,
    });
    const claimed = await broadcasts.claim('night-worker', now, new Date(now.getTime() + LEASE_MS));
    const texted = () =>
      [...stack.sinks.sms.accepted.keys()].filter((key) => key.startsWith(id)).sort();

    await expect(
      run(claimedOrFail(claimed), 'night-worker', new AbortController().signal),
    ).resolves.toBe('completed');

    expect(texted()).toEqual([`${id}:${awake.id}:sms`]);
    expect((await broadcasts.get(id))?.counts.sms).toEqual({
      delivered: 1,
      failed: 0,
      suppressed: 0,
      held: 1,
    });
    expect((await inboxOf(sleeper.id)).map((entry) => entry.id)).toContain(id);
    expect(
      (await deliveryModel(live.mongo).findById(`${id}:${sleeper.id}:sms`).lean())?.status,
    ).toBe('held');
    expect(await deliveryModel(live.mongo).countDocuments({ noticeId: id })).toBe(1);

    now = new Date('2027-03-01T22:59:00Z'); // 06:59
    await scheduler.tick();
    expect(texted()).toEqual([`${id}:${awake.id}:sms`]);

    now = new Date('2027-03-01T23:00:00Z'); // 07:00
    await scheduler.tick();
    // A batch resumed after the morning hands the held copy in again: the delivery exists, nothing is sent.
    await dispatcher.dispatch([
      {
        noticeId: id,
        kind: 'announcement',
        recipient: sleeper.id,
        urgent: false,
        variables: { subject: '夜间通知', body: '正文' },
        occurredAt: now,
        sender: 'office',
        channels: ['sms'],
      },
    ]);
    await scheduler.tick();

    expect(texted()).toEqual([`${id}:${awake.id}:sms`, `${id}:${sleeper.id}:sms`].sort());
    expect(stack.sinks.sms.repeats.filter((key) => key.startsWith(id))).toEqual([]);
    expect(
      (await deliveryModel(live.mongo).findById(`${id}:${sleeper.id}:sms`).lean())?.status,
    ).toBe('delivered');
  });
});

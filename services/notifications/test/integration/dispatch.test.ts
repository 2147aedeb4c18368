import { randomUUID } from 'node:crypto';
import { call } from '@learning/runtime/testing';
import { describeWithServers } from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
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
import { createDispatcher } from '../../src/application/dispatch/dispatch.js';
import { dispatchScheduler } from '../../src/application/dispatch/scheduler.js';
import type { NoticeRequest } from '../../src/domain/notices.js';
import type { Platform } from '../../src/platform.js';
import { useNotificationsStack } from '../support/stack.js';
import { createPiiVault, piiKeysFrom } from '@learning/pii';
import { idNumberOf } from '@learning/registration/testing/people';
import { vaultSeal } from '../../src/adapters/pii/address-seal.js';
import { RecordingGateway } from '../unit/application/dispatch-fakes.js';

describeWithServers(['mongo', 'kafka', 'redis'], 'notifications dispatch', (servers) => {
  let platform: Platform | undefined;
  const stack = useNotificationsStack(servers, {
    // The app's own scheduler runs once as it starts; these tests tick theirs with their own clock.
    notificationsEnvironment: { SCHEDULER_TICK_MS: String(24 * 3_600_000) },
    modules: [
      (installed) => {
        platform = installed;
      },
    ],
  });
  const run = randomUUID().slice(0, 8);
  const personSubject = `person-${run}`;
  const otherSubject = `other-${run}`;
  const officerSubject = `officer-${run}`;
  let participantId = '';
  let otherId = '';
  let person = '';
  let other = '';
  let officer = '';
  let admin = '';
  let activities = '';

  const platformOf = (): Platform => {
    if (platform === undefined) throw new Error('the app has not started');
    return platform;
  };

  const notice = (recipient: string, overrides: Partial<NoticeRequest> = {}): NoticeRequest => ({
    noticeId: randomUUID(),
    kind: 'enrollment.confirmed',
    recipient,
    urgent: false,
    variables: {
      title: '茶艺课',
      startsAt: new Date('2027-01-10T02:00:00Z'),
      endsAt: new Date('2027-01-10T03:00:00Z'),
      venue: '图书馆',
    },
    occurredAt: new Date(),
    sender: 'service:activities',
    ...overrides,
  });

  async function register(subject: string, sequence: string): Promise<string> {
    const token = await stack.token({ subject, roles: ['participant'] });
    const village = stack.tree.find((node) => node.level === 'village')?.code ?? '';
    const created = await call(stack.registration.base, 'POST', '/v1/participants', token, {
      name: '李四',
      tier: 'ordinary_citizen',
      homeJurisdiction: village,
      idNumber: idNumberOf('19900101', sequence),
      phone: `1370000${sequence}1`,
      language: 'zh-CN',
      consent: { notifications: true },
    });
    expect(created.status).toBe(201);
    return String(created.body['id']);
  }

  beforeAll(async () => {
    participantId = await register(personSubject, '501');
    otherId = await register(otherSubject, '502');
    person = await stack.token({ subject: personSubject, roles: ['participant'] });
    other = await stack.token({ subject: otherSubject, roles: ['participant'] });
    officer = await stack.token({
      subject: officerSubject,
      roles: ['department_officer'],
      department: 'jiaoyu-ju',
    });
    admin = await stack.token({ subject: `admin-${run}`, roles: ['city_admin'], cityWide: true });
    activities = await stack.token({
      subject: 'service:activities',
      roles: ['service'],
      service: 'activities',
      cityWide: true,
    });
  });

  const base = () => stack.notifications.base;

  it('when a person reads their preferences before saving any, then the defaults come with revision 0', async () => {
    const read = await call(base(), 'GET', '/v1/me/preferences', person);
    expect(read).toEqual({
      status: 200,
      body: {
        language: 'zh-CN',
        timeZone: 'Asia/Shanghai',
        cityTimeZone: true,
        optOuts: [],
        quietHours: null,
        digest: 'off',
        revision: 0,
      },
    });
  });

  it('when preferences are saved with the revision read, then they are stored and a stale revision is 409', async () => {
    const body = {
      language: 'en',
      timeZone: 'Europe/Berlin',
      optOuts: [{ category: 'whats_on', channel: 'sms' }],
      quietHours: { start: '22:00', end: '07:00' },
      digest: 'weekly',
      revision: 0,
    };
    const saved = await call(base(), 'PUT', '/v1/me/preferences', other, body);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      timeZone: 'Europe/Berlin',
      cityTimeZone: false,
      revision: 1,
    });

    const stale = await call(base(), 'PUT', '/v1/me/preferences', other, body);
    expect(stale.status).toBe(409);
    expect(stale.body['code']).toBe('PREFERENCES_REVISION_CONFLICT');

    const again = await call(base(), 'PUT', '/v1/me/preferences', other, {
      ...body,
      revision: 1,
      digest: 'off',
    });
    expect(again.body).toMatchObject({ digest: 'off', revision: 2 });
    expect((await call(base(), 'GET', '/v1/me/preferences', other)).body).toMatchObject({
      language: 'en',
      digest: 'off',
      revision: 2,
    });
  });

  it('when preferences are invalid, then each is refused with its code', async () => {
    const valid = {
      language: 'zh-CN',
      timeZone: null,
      optOuts: [],
      quietHours: null,
      digest: 'off',
    };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...valid, timeZone: 'Mars/Olympus' }, 400, 'PREFERENCES_TIME_ZONE_INVALID'],
      [
        { ...valid, quietHours: { start: '08:00', end: '08:00' } },
        400,
        'PREFERENCES_QUIET_HOURS_INVALID',
      ],
      [{ ...valid, quietHours: { start: '24:00', end: '07:00' } }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, language: 'fr' }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, digest: 'hourly' }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, optOuts: [{ category: 'gossip', channel: 'sms' }] }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const refused = await call(base(), 'PUT', '/v1/me/preferences', person, body);
      expect([refused.status, refused.body['code']]).toEqual([status, code]);
    }
  });

  it('when an account is neither registered nor an officer, then its own routes answer 404; a service 403', async () => {
    const stranger = await stack.token({ subject: `stranger-${run}`, roles: ['participant'] });
    for (const path of ['/v1/me/preferences', '/v1/me/inbox', '/v1/me/deliveries']) {
      const refused = await call(base(), 'GET', path, stranger);
      expect([refused.status, refused.body['code']]).toEqual([404, 'RECIPIENT_NOT_REGISTERED']);
      expect((await call(base(), 'GET', path, activities)).status).toBe(403);
    }
  });

  it('when the categories are listed, then each has its kinds and urgency, and the channels follow', async () => {
    const listed = await call(base(), 'GET', '/v1/notification-categories', person);
    expect(listed.status).toBe(200);
    const categories = listed.body['categories'] as {
      category: string;
      kinds: { kind: string; urgent: boolean }[];
    }[];
    expect(categories.find((entry) => entry.category === 'reminders')?.kinds).toEqual([
      { kind: 'reminder.day-before', urgent: false },
      { kind: 'reminder.hour-before', urgent: true },
    ]);
    expect(listed.body['channels']).toEqual(['inbox', 'sms', 'email', 'wechat']);
  });

  it('when a notice is dispatched twice, then the inbox holds it once and the log shows each channel once', async () => {
    const request = notice(participantId);
    await platformOf().dispatcher.dispatch([request]);
    await platformOf().dispatcher.dispatch([request]);

    const inbox = await call(base(), 'GET', '/v1/me/inbox', person);
    const items = inbox.body['items'] as {
      id: string;
      title: string;
      read: boolean;
      source: string;
    }[];
    const delivered = items.filter(
      (item) => item.id === `${request.noticeId}:${participantId}:inbox`,
    );
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ source: 'personal', read: false });
    expect(delivered[0]?.title).toContain('茶艺课');

    const log = await call(base(), 'GET', '/v1/me/deliveries', person);
    const mine = (
      log.body['items'] as {
        noticeId: string;
        channel: string;
        status: string;
        reason: string | null;
      }[]
    )
      .filter((entry) => entry.noticeId === request.noticeId)
      .map(({ channel, status, reason }) => [channel, status, reason])
      .sort();
    // No gateway is configured in this app, so the external channels say so.
    expect(mine).toEqual([
      ['email', 'suppressed', 'channel_disabled'],
      ['inbox', 'delivered', null],
      ['sms', 'suppressed', 'channel_disabled'],
      ['wechat', 'suppressed', 'channel_disabled'],
    ]);
    expect(JSON.stringify(log.body)).not.toContain('1370000');
  });

  it('when a person reads an entry, then the unread count drops; another person’s entry is 404 and read-all clears the rest', async () => {
    const first = notice(participantId);
    const second = notice(participantId);
    await platformOf().dispatcher.dispatch([first, second]);
    const unread = async () =>
      (await call(base(), 'GET', '/v1/me/inbox/unread-count', person)).body['count'] as number;
    const before = await unread();
    expect(before).toBeGreaterThanOrEqual(2);

    const entry = `${first.noticeId}:${participantId}:inbox`;
    expect(
      (await call(base(), 'POST', `/v1/me/inbox/${encodeURIComponent(entry)}/read`, person)).status,
    ).toBe(204);
    expect(
      (await call(base(), 'POST', `/v1/me/inbox/${encodeURIComponent(entry)}/read`, person)).status,
    ).toBe(204);
    expect(await unread()).toBe(before - 1);

    const foreign = await call(
      base(),
      'POST',
      `/v1/me/inbox/${encodeURIComponent(entry)}/read`,
      other,
    );
    expect([foreign.status, foreign.body['code']]).toEqual([404, 'INBOX_ENTRY_NOT_FOUND']);

    expect((await call(base(), 'POST', '/v1/me/inbox/read-all', person)).status).toBe(204);
    expect(await unread()).toBe(0);
  });

  it('when the inbox is paged, then pages follow newest first without repeats, and an edited token is 400', async () => {
    await platformOf().dispatcher.dispatch([notice(otherId), notice(otherId), notice(otherId)]);
    const firstPage = await call(base(), 'GET', '/v1/me/inbox?pageSize=2', other);
    const token = firstPage.body['nextPageToken'] as string;
    expect(token).toEqual(expect.any(String));
    const secondPage = await call(
      base(),
      'GET',
      `/v1/me/inbox?pageSize=2&pageToken=${token}`,
      other,
    );
    const ids = [
      ...(firstPage.body['items'] as { id: string; at: string }[]),
      ...(secondPage.body['items'] as { id: string; at: string }[]),
    ];
    expect(new Set(ids.map((item) => item.id)).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const times = ids.map((item) => item.at);
    expect([...times].sort().reverse()).toEqual(times);

    const edited = await call(base(), 'GET', '/v1/me/inbox?pageToken=not-a-token', other);
    expect([edited.status, edited.body['code']]).toEqual([400, 'CURSOR_INVALID']);
  });

  it('when an officer is notified with their duty contact, then their inbox has it under their account', async () => {
    const request = notice(`officer:${officerSubject}`, {
      kind: 'coverage.gap',
      variables: { area: '一镇', gap: '无活动', detectedAt: new Date() },
      contact: { language: 'zh-CN', phone: '13900000009', email: null, wechatOpenId: null },
    });
    await platformOf().dispatcher.dispatch([request]);
    const inbox = await call(base(), 'GET', '/v1/me/inbox', officer);
    expect((inbox.body['items'] as { id: string }[]).map((item) => item.id)).toContain(
      `${request.noticeId}:officer:${officerSubject}:inbox`,
    );
  });

  it('when senders read the delivery log, then the office sees all, a service only its own, others are refused', async () => {
    const request = notice(participantId);
    await platformOf().dispatcher.dispatch([request]);
    const query = `/v1/deliveries?noticeId=${request.noticeId}`;

    const office = await call(base(), 'GET', query, admin);
    expect((office.body['items'] as unknown[]).length).toBe(4);
    const own = await call(base(), 'GET', `${query}&status=delivered`, activities);
    expect(own.body['items']).toEqual([
      expect.objectContaining({
        recipient: participantId,
        channel: 'inbox',
        sender: 'service:activities',
      }),
    ]);
    const lectures = await stack.token({
      subject: 'service:lectures',
      roles: ['service'],
      service: 'lectures',
    });
    expect((await call(base(), 'GET', query, lectures)).body['items']).toEqual([]);
    const foreign = await call(base(), 'GET', `${query}&sender=service:activities`, lectures);
    expect([foreign.status, foreign.body['code']]).toEqual([403, 'DELIVERIES_FORBIDDEN']);
    expect((await call(base(), 'GET', query, person)).status).toBe(403);
    expect((await call(base(), 'GET', `${query}&status=lost`, admin)).status).toBe(400);
  });

  it('when a gateway is configured, then held notices go out when quiet hours end and a day’s notices make one digest, each once', async () => {
    const live = platformOf();
    let now = new Date('2027-03-01T15:00:00Z'); // 23:00 in Shanghai
    const sms = new RecordingGateway('sms');
    const deliveries = new MongoDeliveryStore(deliveryModel(live.mongo));
    const seal = vaultSeal(createPiiVault(piiKeysFrom(live.config)));
    const dispatcher = createDispatcher({
      preferences: live.preferences,
      contacts: live.registration.contacts,
      templates: live.templates,
      gateways: new Map([['sms', sms]]),
      deliveries,
      reports: new OutboxDeliveryReports(deliveryReportModel(live.mongo)),
      seal,
      clock: () => now,
      consents: new MongoChannelConsents(channelConsentsModel(live.mongo)),
      waiting: new MongoWaitingDeliveries(deliveryModel(live.mongo)),
    });
    const scheduler = dispatchScheduler({
      deliveries,
      dispatcher,
      seal,
      clock: () => now,
    });
    const quiet = `officer:quiet-${run}`;
    const digesting = `officer:digest-${run}`;
    const quietToken = await stack.token({ subject: `quiet-${run}`, roles: ['area_officer'] });
    const digestToken = await stack.token({ subject: `digest-${run}`, roles: ['area_officer'] });
    const common = { language: 'zh-CN', timeZone: null, optOuts: [] };
    expect(
      (
        await call(base(), 'PUT', '/v1/me/preferences', quietToken, {
          ...common,
          quietHours: { start: '22:00', end: '07:00' },
          digest: 'off',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(base(), 'PUT', '/v1/me/preferences', digestToken, {
          ...common,
          quietHours: null,
          digest: 'daily',
        })
      ).status,
    ).toBe(200);
    const contact = { language: 'zh-CN', phone: '13900000001', email: null, wechatOpenId: null };

    const held = notice(quiet, { contact });
    await dispatcher.dispatch([held]);
    await dispatcher.dispatch([held]);
    await dispatcher.dispatch([notice(digesting, { contact }), notice(digesting, { contact })]);
    expect(sms.sent).toEqual([]);
    const waiting = await deliveryModel(live.mongo)
      .findById(`${held.noticeId}:${quiet}:sms`)
      .lean();
    expect(waiting?.status).toBe('held');
    expect(waiting?.sealedAddress).toEqual(expect.any(String));
    expect(JSON.stringify(waiting)).not.toContain('13900000001');

    now = new Date('2027-03-01T15:59:00Z'); // 23:59: neither the night nor the day is over
    await scheduler.tick();
    expect(sms.sent).toEqual([]);

    now = new Date('2027-03-01T22:59:00Z'); // 06:59: the day's digest is due, the night is not over
    await scheduler.tick();
    expect(sms.sent.map((message) => [message.deliveryId, message.address])).toEqual([
      [`digest:${digesting}:2027-03-01:${digesting}:sms`, '13900000001'],
    ]);

    now = new Date('2027-03-01T23:00:00Z'); // 07:00
    await scheduler.tick();
    await scheduler.tick();
    expect(sms.sent.map((message) => message.deliveryId)).toEqual([
      `digest:${digesting}:2027-03-01:${digesting}:sms`,
      `${held.noticeId}:${quiet}:sms`,
    ]);
    const digest = sms.sent.find((message) => message.kind === 'digest');
    expect(digest?.rendered.body).toContain('2');

    const log = await call(base(), 'GET', '/v1/me/deliveries', digestToken);
    const statuses = (log.body['items'] as { channel: string; status: string; kind: string }[])
      .filter((entry) => entry.channel === 'sms')
      .map((entry) => `${entry.kind}:${entry.status}`)
      .sort();
    expect(statuses).toEqual([
      'digest:delivered',
      'enrollment.confirmed:digested',
      'enrollment.confirmed:digested',
    ]);
  });
});

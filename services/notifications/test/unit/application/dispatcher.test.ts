import type { Contact } from '@learning/registration-client';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/application/dispatch/dispatch.js';
import type { ExternalChannel } from '../../../src/application/dispatch/ports.js';
import { dispatchScheduler } from '../../../src/application/dispatch/scheduler.js';
import type { ChannelGateway } from '../../../src/application/ports.js';
import { MAX_SEND_ATTEMPTS } from '../../../src/domain/deliveries.js';
import type { NoticeRequest } from '../../../src/domain/notices.js';
import { defaultPreferences, type Preferences } from '../../../src/domain/preferences.js';
import {
  echoTemplates,
  FixedPreferences,
  MemoryConsents,
  MemoryDeliveryStore,
  RecordingGateway,
  RecordingReports,
  encodedSeal,
} from './dispatch-fakes.js';

const NOON_SHANGHAI = new Date('2026-12-07T04:00:00Z');

const contactOf = (participantId: string): Contact => ({
  participantId,
  language: 'zh-CN',
  phone: `1380000${participantId.padStart(4, '0')}`,
  email: `${participantId}@example.test`,
  wechatOpenId: null,
});

const request = (recipient: string, overrides: Partial<NoticeRequest> = {}): NoticeRequest => ({
  noticeId: 'event-1',
  kind: 'enrollment.confirmed',
  recipient,
  urgent: false,
  variables: {
    title: 'Tea class',
    startsAt: new Date('2026-12-10T02:00:00Z'),
    endsAt: new Date('2026-12-10T03:00:00Z'),
    venue: 'Library',
  },
  occurredAt: NOON_SHANGHAI,
  sender: 'service:activities',
  ...overrides,
});

function setup(
  options: {
    preferences?: ReadonlyMap<string, Preferences>;
    gateways?: readonly ChannelGateway[];
    contacts?: readonly Contact[];
  } = {},
) {
  let now = NOON_SHANGHAI;
  const store = new MemoryDeliveryStore();
  const consents = new MemoryConsents(store);
  const reports = new RecordingReports();
  const preferences = new FixedPreferences(options.preferences);
  const contactCalls: string[][] = [];
  const known = new Map(
    (options.contacts ?? []).map((contact) => [contact.participantId, contact]),
  );
  const gateways = options.gateways ?? [new RecordingGateway('sms'), new RecordingGateway('email')];
  const dispatcher = createDispatcher({
    preferences,
    contacts: {
      byIds: async (ids) => {
        contactCalls.push([...ids]);
        return new Map(
          ids.flatMap((id) => {
            const c = known.get(id);
            return c === undefined ? [] : [[id, c] as const];
          }),
        );
      },
    },
    templates: echoTemplates,
    gateways: new Map(gateways.map((gateway) => [gateway.channel, gateway])),
    deliveries: store,
    reports,
    seal: encodedSeal,
    clock: () => now,
    consents,
    waiting: consents,
  });
  const scheduler = dispatchScheduler({
    deliveries: store,
    dispatcher,
    seal: encodedSeal,
    clock: () => now,
  });
  return {
    store,
    consents,
    reports,
    preferences,
    contactCalls,
    dispatcher,
    scheduler,
    gatewayOf: (channel: ExternalChannel) =>
      gateways.find((g) => g.channel === channel) as RecordingGateway,
    setNow: (at: Date) => {
      now = at;
    },
  };
}

describe('the dispatcher', () => {
  it('when the same request is dispatched twice, then each channel is claimed and sent once', async () => {
    const { dispatcher, store, gatewayOf } = setup({ contacts: [contactOf('p1')] });
    await dispatcher.dispatch([request('p1')]);
    await dispatcher.dispatch([request('p1')]);

    expect(gatewayOf('sms').sent.map((m) => m.deliveryId)).toEqual(['event-1:p1:sms']);
    expect(gatewayOf('email').sent.map((m) => m.deliveryId)).toEqual(['event-1:p1:email']);
    expect(store.statusOf('event-1:p1:inbox')).toBe('delivered');
    expect(store.statusOf('event-1:p1:sms')).toBe('delivered');
    expect(store.statusOf('event-1:p1:wechat')).toBe('suppressed');
  });

  it('when a request names its channels, then only those get a delivery and the others none', async () => {
    const { dispatcher, store, gatewayOf } = setup({ contacts: [contactOf('p1')] });

    await dispatcher.dispatch([request('p1', { channels: ['sms'] })]);

    expect(gatewayOf('sms').sent.map((m) => m.deliveryId)).toEqual(['event-1:p1:sms']);
    expect(gatewayOf('email').sent).toEqual([]);
    expect(store.statusOf('event-1:p1:inbox')).toBeUndefined();
    expect(store.statusOf('event-1:p1:email')).toBeUndefined();
  });

  it('when one call carries many requests, then preferences, contacts, the claim, each gateway and the record are one call each', async () => {
    const { dispatcher, store, preferences, contactCalls, gatewayOf } = setup({
      contacts: ['p1', 'p2', 'p3'].map(contactOf),
    });
    await dispatcher.dispatch(['p1', 'p2', 'p3'].map((id) => request(id)));

    expect(preferences.calls).toEqual([['p1', 'p2', 'p3']]);
    expect(contactCalls).toEqual([['p1', 'p2', 'p3']]);
    expect(store.calls).toEqual(['claim', 'record']);
    expect(gatewayOf('sms').calls).toHaveLength(1);
    expect(gatewayOf('sms').calls[0]).toHaveLength(3);
    expect(gatewayOf('email').calls).toHaveLength(1);
  });

  it('when a participant has no consented address, then the inbox gets it and the external channels say no_consent', async () => {
    const { dispatcher, store, gatewayOf } = setup();
    await dispatcher.dispatch([request('p9')]);

    expect(store.statusOf('event-1:p9:inbox')).toBe('delivered');
    expect(store.stored.get('event-1:p9:sms')?.reason).toBe('no_consent');
    expect(gatewayOf('sms').sent).toEqual([]);
  });

  it('when an officer’s contact is given, then it is used and missing addresses say no_contact; unconfigured channels say channel_disabled', async () => {
    const { dispatcher, store, gatewayOf, contactCalls } = setup({
      gateways: [new RecordingGateway('sms'), new RecordingGateway('email')],
    });
    await dispatcher.dispatch([
      request('officer:o1', {
        contact: { language: 'zh-CN', phone: '13900000001', email: null, wechatOpenId: null },
      }),
    ]);

    expect(contactCalls).toEqual([]);
    expect(gatewayOf('sms').sent.map((m) => m.address)).toEqual(['13900000001']);
    expect(store.stored.get('event-1:officer:o1:email')?.reason).toBe('no_contact');
    expect(store.stored.get('event-1:officer:o1:wechat')?.reason).toBe('channel_disabled');
  });

  it('when a delivery waits, then its address is stored sealed, never in the clear', async () => {
    const night: Preferences = {
      ...defaultPreferences('Asia/Shanghai'),
      quietHours: { start: '00:00', end: '23:59' },
    };
    const { dispatcher, store } = setup({
      preferences: new Map([['p1', night]]),
      contacts: [contactOf('p1')],
    });
    await dispatcher.dispatch([request('p1')]);

    const held = store.stored.get('event-1:p1:sms');
    expect(held?.status).toBe('held');
    expect(held?.sealedAddress).not.toContain('13800000');
    expect(encodedSeal.open(held?.sealedAddress ?? '')).toBe(contactOf('p1').phone);
  });

  it('when the person opted out of the category everywhere, then even the inbox is suppressed', async () => {
    const optOuts = (['inbox', 'sms', 'email', 'wechat'] as const).map((channel) => ({
      category: 'enrollments' as const,
      channel,
    }));
    const { dispatcher, store } = setup({
      preferences: new Map([['p1', { ...defaultPreferences('Asia/Shanghai'), optOuts }]]),
      contacts: [contactOf('p1')],
    });
    await dispatcher.dispatch([request('p1')]);
    expect(store.stored.get('event-1:p1:inbox')?.reason).toBe('opted_out');
  });

  it('when a batch is delivered, then one report per kind, channel and source event lists the recipients', async () => {
    const { dispatcher, reports } = setup({ contacts: [contactOf('p1'), contactOf('p2')] });
    await dispatcher.dispatch([
      request('p1'),
      request('p2'),
      request('p1', { noticeId: 'event-2' }),
    ]);

    const all = reports.published.flat();
    const inbox = all.filter((report) => report.channel === 'inbox');
    expect(inbox.map((report) => [report.sourceEventId, report.delivered])).toEqual([
      ['event-1', ['p1', 'p2']],
      ['event-2', ['p1']],
    ]);
    expect(all.filter((report) => report.channel === 'sms').map((r) => r.delivered.length)).toEqual(
      [2, 1],
    );
  });
});

describe('the dispatch scheduler', () => {
  it('when a held notice’s quiet hours end, then the next tick sends it once', async () => {
    const night: Preferences = {
      ...defaultPreferences('Asia/Shanghai'),
      quietHours: { start: '22:00', end: '07:00' },
    };
    const { dispatcher, scheduler, store, gatewayOf, setNow } = setup({
      preferences: new Map([['p1', night]]),
      contacts: [contactOf('p1')],
    });
    setNow(new Date('2026-12-07T15:00:00Z')); // 23:00
    await dispatcher.dispatch([request('p1')]);
    expect(store.statusOf('event-1:p1:sms')).toBe('held');

    setNow(new Date('2026-12-07T22:59:00Z')); // 06:59
    await scheduler.tick();
    expect(gatewayOf('sms').sent).toEqual([]);

    setNow(new Date('2026-12-07T23:00:00Z')); // 07:00
    await scheduler.tick();
    await scheduler.tick();
    expect(gatewayOf('sms').sent.map((m) => m.deliveryId)).toEqual(['event-1:p1:sms']);
    expect(store.statusOf('event-1:p1:sms')).toBe('delivered');
  });

  it('when consent to SMS was withdrawn while a notice was held, then its release sends no SMS and suppresses it, and the email still goes', async () => {
    const night: Preferences = {
      ...defaultPreferences('Asia/Shanghai'),
      quietHours: { start: '22:00', end: '07:00' },
    };
    const { dispatcher, scheduler, store, consents, gatewayOf, setNow } = setup({
      preferences: new Map([['p1', night]]),
      contacts: [contactOf('p1')],
    });
    setNow(new Date('2026-12-07T15:00:00Z')); // 23:00
    await dispatcher.dispatch([request('p1')]);
    expect(store.statusOf('event-1:p1:sms')).toBe('held');
    // Kept after the delivery was held: only the send itself can still stop it.
    consents.withdraw('p1', 'sms');

    setNow(new Date('2026-12-07T23:00:00Z')); // 07:00
    await scheduler.tick();

    expect(gatewayOf('sms').sent).toEqual([]);
    expect(store.stored.get('event-1:p1:sms')).toMatchObject({
      status: 'suppressed',
      reason: 'no_consent',
      sealedAddress: null,
    });
    expect(gatewayOf('email').sent.map((m) => m.deliveryId)).toEqual(['event-1:p1:email']);
  });

  it('when a send fails retryably, then it is retried with backoff until its attempts run out, then failed and reported', async () => {
    const failing = new RecordingGateway('sms', (message) => ({
      deliveryId: message.deliveryId,
      status: 'failed',
      code: 'GATEWAY_UNAVAILABLE',
      retryable: true,
    }));
    const { dispatcher, scheduler, store, reports, setNow } = setup({
      gateways: [failing],
      contacts: [contactOf('p1')],
    });
    await dispatcher.dispatch([request('p1')]);
    expect(store.statusOf('event-1:p1:sms')).toBe('pending');
    expect(store.stored.get('event-1:p1:sms')?.reason).toBe('GATEWAY_UNAVAILABLE');

    await scheduler.tick(); // not yet due
    expect(failing.sent).toHaveLength(1);

    let at = NOON_SHANGHAI.getTime();
    for (let tick = 0; tick < MAX_SEND_ATTEMPTS + 2; tick += 1) {
      at += 2 * 3_600_000;
      setNow(new Date(at));
      await scheduler.tick();
    }
    expect(failing.sent).toHaveLength(MAX_SEND_ATTEMPTS);
    expect(store.statusOf('event-1:p1:sms')).toBe('failed');
    const failed = reports.published.flat().filter((report) => report.failed.length > 0);
    expect(failed.map((report) => report.failed)).toEqual([
      [{ recipient: 'p1', code: 'GATEWAY_UNAVAILABLE' }],
    ]);
  });

  it('when a send is refused for good, then it is failed at once and not retried', async () => {
    const refusing = new RecordingGateway('sms', (message) => ({
      deliveryId: message.deliveryId,
      status: 'failed',
      code: 'GATEWAY_REJECTED',
      retryable: false,
    }));
    const { dispatcher, scheduler, store, setNow } = setup({
      gateways: [refusing],
      contacts: [contactOf('p1')],
    });
    await dispatcher.dispatch([request('p1')]);
    setNow(new Date(NOON_SHANGHAI.getTime() + 24 * 3_600_000));
    await scheduler.tick();
    expect(store.statusOf('event-1:p1:sms')).toBe('failed');
    expect(refusing.sent).toHaveLength(1);
  });

  it('when two notices of a daily-digest person arrive in the same second, then after the day one digest merges both, once', async () => {
    const daily: Preferences = { ...defaultPreferences('Asia/Shanghai'), digest: 'daily' };
    const { dispatcher, scheduler, store, gatewayOf, setNow } = setup({
      preferences: new Map([['p1', daily]]),
      contacts: [contactOf('p1')],
      gateways: [new RecordingGateway('sms')],
    });
    await dispatcher.dispatch([request('p1', { noticeId: 'event-1' })]);
    setNow(new Date(NOON_SHANGHAI.getTime() + 500));
    await dispatcher.dispatch([
      request('p1', { noticeId: 'event-2', variables: { title: 'Chess' } }),
    ]);
    expect(gatewayOf('sms').sent).toEqual([]);
    expect(store.statusOf('event-1:p1:inbox')).toBe('delivered');

    await scheduler.tick(); // the day is not over
    expect(gatewayOf('sms').sent).toEqual([]);

    setNow(new Date('2026-12-07T16:00:00Z')); // local midnight
    await scheduler.tick();
    await scheduler.tick();

    const sent = gatewayOf('sms').sent;
    expect(sent.map((m) => [m.deliveryId, m.kind])).toEqual([
      ['digest:p1:2026-12-07:p1:sms', 'digest'],
    ]);
    expect(JSON.parse(sent[0]?.rendered.body ?? '{}')).toMatchObject({
      count: 2,
      period: '2026-12-07',
    });
    expect(store.statusOf('event-1:p1:sms')).toBe('digested');
    expect(store.statusOf('event-2:p1:sms')).toBe('digested');
  });

  it('when two replicas tick at once over the same deliveries, then one digest is sent', async () => {
    const daily: Preferences = { ...defaultPreferences('Asia/Shanghai'), digest: 'daily' };
    const sms = new RecordingGateway('sms');
    const one = setup({
      preferences: new Map([['p1', daily]]),
      contacts: [contactOf('p1')],
      gateways: [sms],
    });
    await one.dispatcher.dispatch([request('p1'), request('p1', { noticeId: 'event-2' })]);
    const midnight = new Date('2026-12-07T16:00:00Z');
    one.setNow(midnight);
    const other = dispatchScheduler({
      deliveries: one.store,
      dispatcher: createDispatcher({
        preferences: new FixedPreferences(new Map([['p1', daily]])),
        contacts: { byIds: async () => new Map([['p1', contactOf('p1')]]) },
        templates: echoTemplates,
        gateways: new Map([['sms', sms]]),
        deliveries: one.store,
        reports: new RecordingReports(),
        seal: encodedSeal,
        clock: () => midnight,
        consents: new MemoryConsents(one.store),
        waiting: new MemoryConsents(one.store),
      }),
      seal: encodedSeal,
      clock: () => midnight,
    });
    await Promise.all([one.scheduler.tick(), other.tick()]);

    expect(sms.sent.map((m) => m.deliveryId)).toEqual(['digest:p1:2026-12-07:p1:sms']);
    expect(one.store.statusOf('event-2:p1:sms')).toBe('digested');
  });

  it('when a digest was made and a late notice of its period falls due, then the digest is not made again and the notice goes out on its own', async () => {
    const daily: Preferences = { ...defaultPreferences('Asia/Shanghai'), digest: 'daily' };
    const first = setup({
      preferences: new Map([['p1', daily]]),
      contacts: [contactOf('p1')],
      gateways: [new RecordingGateway('sms')],
    });
    await first.dispatcher.dispatch([request('p1')]);
    first.setNow(new Date('2026-12-07T16:00:00Z'));
    await first.scheduler.tick();
    // A late notice of the same period, held after the digest was made.
    first.setNow(new Date('2026-12-07T15:59:59Z'));
    await first.dispatcher.dispatch([request('p1', { noticeId: 'event-late' })]);
    first.setNow(new Date('2026-12-07T16:00:01Z'));
    await first.scheduler.tick();

    expect(first.gatewayOf('sms').sent.map((m) => m.deliveryId)).toEqual([
      'digest:p1:2026-12-07:p1:sms',
      'event-late:p1:sms',
    ]);
    expect(first.store.statusOf('event-1:p1:sms')).toBe('digested');
    expect(first.store.statusOf('event-late:p1:sms')).toBe('delivered');
  });
});

import { describe, expect, it } from 'vitest';
import { fanOut, type FanOutDeps } from '../../src/application/broadcasts/fan-out.js';
import type { NewBroadcast } from '../../src/application/broadcasts/ports.js';
import { planBatch } from '../../src/domain/broadcasts.js';
import type { Preferences } from '../../src/domain/preferences.js';
import {
  defaultPreferences,
  claimOrFail,
  FakeAudience,
  FakeBatchStore,
  FakeBroadcastStore,
  FakeContacts,
  fakeDecide,
  FakePreferences,
  fakeTemplates,
  members,
  participantId,
  RecordingDispatcher,
  RecordingGateway,
} from '../support/broadcast-fakes.js';

const NOW = new Date('2026-12-07T02:00:00Z');
const MORNING = new Date('2026-12-07T23:00:00Z');
const LEASE_MS = 30_000;

const announcement = (channels: NewBroadcast['channels']): NewBroadcast => ({
  id: 'b-1',
  kind: 'announcement',
  variables: { subject: '通知', body: '正文' },
  rendered: { 'zh-CN': { title: '通知', body: '正文' } },
  criteria: { tiers: [], jurisdictionCodes: [], organizationKinds: [] },
  channels,
  sender: 'city-admin',
  sourceEventId: null,
  audienceSize: null,
  createdAt: NOW,
});

function setup(options: {
  audienceSize: number;
  batchSize: number;
  preferences?: ReadonlyMap<string, Preferences>;
}) {
  const broadcasts = new FakeBroadcastStore();
  const batches = new FakeBatchStore();
  const audience = new FakeAudience(members(options.audienceSize));
  const sms = new RecordingGateway('sms');
  const dispatcher = new RecordingDispatcher();
  let now = NOW;
  const deps: FanOutDeps = {
    broadcasts,
    batches,
    audience,
    contacts: new FakeContacts(),
    preferences: new FakePreferences(options.preferences),
    decide: fakeDecide(MORNING),
    defaultPreferences,
    gateways: new Map([['sms', sms]]),
    templates: fakeTemplates,
    dispatcher,
    clock: () => now,
    batchSize: options.batchSize,
    leaseMs: LEASE_MS,
  };
  /** Claims the broadcast as `owner` (after any other's lease ran out) and runs it. */
  const turn = async (owner: string, signal = new AbortController().signal) => {
    const claimed = await broadcasts.claim(owner, now, new Date(now.getTime() + LEASE_MS));
    if (claimed === null) return 'not claimed';
    return fanOut(deps)(claimed, owner, signal);
  };
  const passLease = () => {
    now = new Date(now.getTime() + LEASE_MS + 1);
  };
  const listed = () => [...batches.batches.values()].flatMap((batch) => batch.recipients);
  return { broadcasts, batches, audience, sms, dispatcher, deps, turn, passLease, listed };
}

const ids = (count: number) =>
  Array.from({ length: count }, (_, index) => participantId(index + 1));

describe('planBatch', () => {
  const recipients = [
    { id: 'a', notificationsConsent: true },
    { id: 'b', notificationsConsent: false },
    { id: 'c', notificationsConsent: true },
    { id: 'd', notificationsConsent: true },
    { id: 'e', notificationsConsent: true },
  ];
  const preferences = new Map<string, Preferences>([
    ['c', { ...defaultPreferences, quietHours: { start: '22:00', end: '07:00' } }],
    ['d', { ...defaultPreferences, digest: 'daily' }],
    [
      'e',
      {
        ...defaultPreferences,
        optOuts: [
          { category: 'announcements', channel: 'sms' },
          { category: 'announcements', channel: 'inbox' },
        ],
      },
    ],
  ]);
  const [inbox, sms] = planBatch({
    recipients,
    preferences,
    defaults: defaultPreferences,
    kind: 'announcement',
    channels: ['inbox', 'sms'],
    decide: fakeDecide(MORNING),
    now: NOW,
  });

  it('when people are in quiet hours or read digests, then the inbox still lists them now and only an opt-out takes them out', () => {
    expect(inbox).toEqual({
      channel: 'inbox',
      send: ['a', 'b', 'c', 'd'],
      held: [],
      suppressed: [{ id: 'e', reason: 'opted_out' }],
    });
  });

  it('when an external channel is planned, then consent, quiet hours, digests and opt-outs each decide', () => {
    expect(sms).toEqual({
      channel: 'sms',
      send: ['a'],
      held: [{ id: 'c', until: MORNING }],
      suppressed: [
        { id: 'b', reason: 'no_consent' },
        { id: 'd', reason: 'digest' },
        { id: 'e', reason: 'opted_out' },
      ],
    });
  });
});

describe('fanOut', () => {
  it('when an audience of 2,500 is fanned out in pages of 1,000, then three batches list everyone once and the broadcast completes with its counts', async () => {
    const run = setup({ audienceSize: 2_500, batchSize: 1_000 });
    await run.broadcasts.create(announcement(['inbox', 'sms']), []);

    await expect(run.turn('worker-1')).resolves.toBe('completed');

    expect([...run.batches.batches.keys()]).toEqual([
      `b-1:${participantId(1)}`,
      `b-1:${participantId(1_001)}`,
      `b-1:${participantId(2_001)}`,
    ]);
    expect(run.listed()).toEqual(ids(2_500));
    expect(run.sms.sent.map((message) => message.recipient)).toEqual(ids(2_500));
    const stored = await run.broadcasts.get('b-1');
    expect(stored?.status).toBe('completed');
    expect(stored?.recipientsDone).toBe(2_500);
    expect(stored?.counts.inbox.delivered).toBe(2_500);
    expect(stored?.counts.sms.delivered).toBe(2_500);
  });

  it('when a batch is written, then each channel reports once through the batch outbox with the batch id', async () => {
    const run = setup({ audienceSize: 3, batchSize: 2 });
    await run.broadcasts.create(announcement(['inbox', 'sms']), []);

    await run.turn('worker-1');

    expect(run.batches.events.map((event) => [event.type, event.subject])).toEqual([
      ['notifications.notices.delivered.v1', `b-1:${participantId(1)}`],
      ['notifications.notices.delivered.v1', `b-1:${participantId(1)}`],
      ['notifications.notices.delivered.v1', `b-1:${participantId(3)}`],
      ['notifications.notices.delivered.v1', `b-1:${participantId(3)}`],
    ]);
  });

  it('when the worker is stopped after two batches and another resumes, then no one is listed or texted twice and no one is missed', async () => {
    const run = setup({ audienceSize: 4_500, batchSize: 1_000 });
    await run.broadcasts.create(announcement(['inbox', 'sms']), []);
    const stopping = new AbortController();
    let pages = 0;
    const counting = run.deps.audience.stream.bind(run.deps.audience);
    run.deps = {
      ...run.deps,
      audience: {
        count: () =>
          run.deps.audience.count({ tiers: [], jurisdictionCodes: [], organizationKinds: [] }),
        async *stream(criteria, options) {
          for await (const page of counting(criteria, options)) {
            pages += 1;
            if (pages === 3) stopping.abort();
            yield page;
          }
        },
      },
    };

    await expect(
      fanOut(run.deps)(
        await claimOrFail(run.broadcasts, 'worker-1', NOW, LEASE_MS),
        'worker-1',
        stopping.signal,
      ),
    ).resolves.toBe('stopped');
    expect(run.batches.batches.size).toBe(2);
    expect((await run.broadcasts.get('b-1'))?.cursor).toBe(participantId(2_000));

    await expect(run.turn('worker-2')).resolves.toBe('completed');

    expect(run.listed()).toEqual(ids(4_500));
    expect(run.sms.sent.map((message) => message.recipient)).toEqual(ids(4_500));
    expect((await run.broadcasts.get('b-1'))?.recipientsDone).toBe(4_500);
  });

  it('when a worker dies between writing a batch and sending it, then the next worker takes that batch as written and sends its channel once', async () => {
    const run = setup({ audienceSize: 3_000, batchSize: 1_000 });
    await run.broadcasts.create(announcement(['inbox', 'sms']), []);
    let calls = 0;
    const send = run.sms.send.bind(run.sms);
    run.sms.send = (messages) => {
      calls += 1;
      if (calls === 2) return Promise.reject(new Error('the process died while sending'));
      return send(messages);
    };

    await expect(run.turn('worker-1')).rejects.toThrow('died');
    expect(run.batches.batches.size).toBe(2);
    expect((await run.broadcasts.get('b-1'))?.cursor).toBe(participantId(1_000));
    // The second worker cannot claim while the first's lease runs.
    await expect(run.turn('worker-2')).resolves.toBe('not claimed');
    run.passLease();

    await expect(run.turn('worker-2')).resolves.toBe('completed');

    expect(run.batches.writes).toBe(4);
    expect(run.batches.batches.size).toBe(3);
    expect(run.listed()).toEqual(ids(3_000));
    expect(run.sms.sent.map((message) => message.recipient)).toEqual(ids(3_000));
    expect((await run.broadcasts.get('b-1'))?.counts.sms.delivered).toBe(3_000);
  });

  it('when the lease was taken over mid-way, then the first worker stops at its next batch instead of moving the cursor', async () => {
    const run = setup({ audienceSize: 2_000, batchSize: 1_000 });
    await run.broadcasts.create(announcement(['inbox']), []);
    const first = await claimOrFail(run.broadcasts, 'worker-1', NOW, LEASE_MS);
    run.passLease();
    await run.broadcasts.claim(
      'worker-2',
      new Date(NOW.getTime() + LEASE_MS + 1),
      new Date(NOW.getTime() + 3 * LEASE_MS),
    );

    await expect(fanOut(run.deps)(first, 'worker-1', new AbortController().signal)).resolves.toBe(
      'stopped',
    );

    expect((await run.broadcasts.get('b-1'))?.cursor).toBeNull();
    expect((await run.broadcasts.get('b-1'))?.recipientsDone).toBe(0);
  });

  it('when the broadcast is cancelled during a batch, then that batch finishes and no further batch is written', async () => {
    const run = setup({ audienceSize: 3_000, batchSize: 1_000 });
    await run.broadcasts.create(announcement(['inbox']), []);
    const writeOnce = run.batches.writeOnce.bind(run.batches);
    run.batches.writeOnce = async (batch, events) => {
      const written = await writeOnce(batch, events);
      await run.broadcasts.cancel('b-1', NOW, () => []);
      return written;
    };

    await expect(run.turn('worker-1')).resolves.toBe('stopped');

    expect(run.batches.batches.size).toBe(1);
    expect((await run.broadcasts.get('b-1'))?.status).toBe('cancelled');
  });

  it('when people hold no address for a channel or it has no gateway, then they are counted suppressed, not sent', async () => {
    const run = setup({ audienceSize: 2, batchSize: 10 });
    await run.broadcasts.create(announcement(['inbox', 'sms', 'email']), []);

    await run.turn('worker-1');

    const stored = await run.broadcasts.get('b-1');
    expect(stored?.counts.sms).toEqual({ delivered: 2, failed: 0, suppressed: 0, held: 0 });
    // The fake contacts have phones only.
    expect(stored?.counts.email).toEqual({ delivered: 0, failed: 0, suppressed: 2, held: 0 });
  });

  it('when a fan-out of an event starts, then its inbox texts are rendered once per language and kept on the broadcast', async () => {
    const run = setup({ audienceSize: 2, batchSize: 1 });
    await run.broadcasts.create(
      {
        ...announcement(['inbox']),
        kind: 'activity.published',
        rendered: {},
        variables: { title: '读书会', startsAt: NOW, endsAt: NOW, venue: '', place: '330281001' },
      },
      [],
    );

    await run.turn('worker-1');

    const stored = await run.broadcasts.get('b-1');
    expect(stored?.rendered['zh-CN']?.title).toBe('activity.published/inbox/zh-CN');
    expect(stored?.rendered.en?.title).toBe('activity.published/inbox/en');
  });

  it('when people are in quiet hours, then their external copy goes to the dispatcher on that channel only, under the broadcast’s id and in their language, and is not sent now', async () => {
    const night: Preferences = {
      ...defaultPreferences,
      quietHours: { start: '22:00', end: '07:00' },
    };
    const run = setup({
      audienceSize: 3,
      batchSize: 10,
      preferences: new Map([
        [participantId(2), { ...night, language: 'en' }],
        [participantId(3), night],
      ]),
    });
    await run.broadcasts.create(
      {
        ...announcement(['inbox', 'sms']),
        rendered: {
          'zh-CN': { title: '通知', body: '正文' },
          en: { title: 'Notice', body: 'Body' },
        },
      },
      [],
    );

    await run.turn('worker-1');

    expect(run.sms.sent.map((message) => message.recipient)).toEqual([participantId(1)]);
    expect(run.dispatcher.requests).toEqual([
      {
        noticeId: 'b-1',
        kind: 'announcement',
        recipient: participantId(2),
        urgent: false,
        variables: { subject: 'Notice', body: 'Body' },
        occurredAt: NOW,
        sender: 'city-admin',
        channels: ['sms'],
      },
      {
        noticeId: 'b-1',
        kind: 'announcement',
        recipient: participantId(3),
        urgent: false,
        variables: { subject: '通知', body: '正文' },
        occurredAt: NOW,
        sender: 'city-admin',
        channels: ['sms'],
      },
    ]);
    expect((await run.broadcasts.get('b-1'))?.counts.sms).toEqual({
      delivered: 1,
      failed: 0,
      suppressed: 0,
      held: 2,
    });
  });

  it('when a worker dies after handing held copies over and before finishing the channel, then the next hands the same notices in again under the same id', async () => {
    const night: Preferences = {
      ...defaultPreferences,
      quietHours: { start: '22:00', end: '07:00' },
    };
    const run = setup({
      audienceSize: 2,
      batchSize: 10,
      preferences: new Map([[participantId(2), night]]),
    });
    await run.broadcasts.create(announcement(['inbox', 'sms']), []);
    const send = run.sms.send.bind(run.sms);
    let calls = 0;
    run.sms.send = (messages) => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('the process died while sending'));
      return send(messages);
    };

    await expect(run.turn('worker-1')).rejects.toThrow('died');
    run.passLease();
    await expect(run.turn('worker-2')).resolves.toBe('completed');

    expect(
      run.dispatcher.requests.map((request) => [
        request.noticeId,
        request.recipient,
        request.channels,
      ]),
    ).toEqual([
      ['b-1', participantId(2), ['sms']],
      ['b-1', participantId(2), ['sms']],
    ]);
    expect((await run.broadcasts.get('b-1'))?.counts.sms.held).toBe(1);
  });
});

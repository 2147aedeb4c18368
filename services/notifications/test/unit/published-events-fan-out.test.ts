import { activityEvents } from '@learning/contracts';
import type { ConsumedEvent } from '@learning/events';
import { activities, common, lectures } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import {
  fanOutActivityPublished,
  fanOutSessionScheduled,
  UNNAMED,
} from '../../src/application/broadcasts/published-events.js';
import type { PlaceNames } from '../../src/application/reactions/ports.js';
import { FakeBroadcastStore } from '../support/broadcast-fakes.js';

const NOW = new Date('2026-12-07T02:00:00Z');
const STARTS = new Date('2026-12-10T01:00:00Z');

/** Registration's directory as the fan-out sees it: only these places are known. */
const places: PlaceNames = {
  nameOf: (code, fallback = code) =>
    Promise.resolve(
      ({ '330281001': '城东街道', '330281002': '一镇' } as Record<string, string>)[code] ??
        fallback,
    ),
};

const consumed = <T>(id: string, source: string, data: T): ConsumedEvent<T> => ({
  id,
  source,
  type: activityEvents.ActivityPublished.type,
  subject: id,
  time: NOW.toISOString(),
  data,
  topic: 't',
  partition: 0,
  offset: '0',
});

const published = (): activities.ActivityPublished => ({
  ...activities.ActivityPublished.fromPartial({}),
  activityId: 'a-1',
  title: '读书会',
  startsAt: STARTS,
  endsAt: STARTS,
  targetTiers: [common.Tier.TIER_PUPIL],
  jurisdictionPath: ['330281', '330281001'],
  venueName: '城东礼堂',
});

describe('the fan-out of published events', () => {
  it('when ActivityPublished is delivered twice, then one broadcast is queued, to its tiers under its place, on the inbox and WeChat', async () => {
    const broadcasts = new FakeBroadcastStore();
    let queued = 0;
    const handle = fanOutActivityPublished({
      broadcasts,
      places,
      clock: () => NOW,
      queued: () => (queued += 1),
    });
    const event = consumed('e-1', '/learning/activities', published());

    await handle(event);
    await handle(event);

    expect(broadcasts.stored.size).toBe(1);
    expect(queued).toBe(1);
    const broadcast = broadcasts.stored.get('e-1')?.broadcast;
    expect(broadcast).toMatchObject({
      kind: 'activity.published',
      sourceEventId: 'e-1',
      sender: 'service:activities',
      channels: ['inbox', 'wechat'],
      criteria: { tiers: ['pupil'], jurisdictionCodes: ['330281001'], organizationKinds: [] },
    });
    expect(broadcast?.variables).toMatchObject({
      title: '读书会',
      startsAt: STARTS,
      venue: '城东礼堂',
      place: '城东街道',
    });
  });

  it('when an ActivityPublished names no venue and its place is unknown, then the notice says so in words, not codes', async () => {
    const broadcasts = new FakeBroadcastStore();
    const handle = fanOutActivityPublished({
      broadcasts,
      places,
      clock: () => NOW,
      queued: () => 0,
    });

    await handle(
      consumed('e-4', '/learning/activities', {
        ...published(),
        venueName: '',
        jurisdictionPath: ['330281', '330281999'],
      }),
    );
    await handle(consumed('e-5', '/learning/activities', { ...published(), jurisdictionPath: [] }));

    expect(broadcasts.stored.get('e-4')?.broadcast.variables).toMatchObject({
      venue: UNNAMED.venue,
      place: UNNAMED.place,
    });
    expect(broadcasts.stored.get('e-5')?.broadcast.variables).toMatchObject({
      place: UNNAMED.place,
    });
  });

  it('when SessionScheduled arrives, then a session.scheduled broadcast names its speakers, venue and place by name', async () => {
    const broadcasts = new FakeBroadcastStore();
    const handle = fanOutSessionScheduled({
      broadcasts,
      places,
      clock: () => NOW,
      queued: () => 0,
    });

    await handle(
      consumed('e-2', '/learning/lectures', {
        ...lectures.SessionScheduled.fromPartial({}),
        session: {
          ...lectures.SessionSummary.fromPartial({}),
          title: '讲座',
          startsAt: STARTS,
          endsAt: STARTS,
          townshipCode: '330281002',
          jurisdictionPath: ['330281', '330281002'],
          venueId: 'v-1',
          venueName: '一村礼堂',
          speakerIds: ['x-1', 'x-2'],
          speakerNames: ['王教授', '李研究员'],
        },
      }),
    );
    await handle(
      consumed('e-6', '/learning/lectures', {
        ...lectures.SessionScheduled.fromPartial({}),
        session: {
          ...lectures.SessionSummary.fromPartial({}),
          title: '旧讲座',
          jurisdictionPath: ['330281', '330281002'],
          venueId: 'v-1',
          speakerIds: ['x-1'],
        },
      }),
    );

    expect(broadcasts.stored.get('e-2')?.broadcast).toMatchObject({
      kind: 'session.scheduled',
      criteria: { tiers: [], jurisdictionCodes: ['330281002'] },
      variables: { speaker: '王教授、李研究员', place: '一镇', venue: '一村礼堂' },
    });
    expect(broadcasts.stored.get('e-6')?.broadcast.variables).toMatchObject({
      speaker: UNNAMED.speaker,
      venue: UNNAMED.venue,
    });
  });

  it('when an ActivityPublished has no activity id, then it is refused for good rather than retried', async () => {
    const handle = fanOutActivityPublished({
      broadcasts: new FakeBroadcastStore(),
      places,
      clock: () => NOW,
      queued: () => 0,
    });

    await expect(
      handle(consumed('e-3', '/learning/activities', { ...published(), activityId: '' })),
    ).rejects.toThrow(/without an activity id/);
  });
});

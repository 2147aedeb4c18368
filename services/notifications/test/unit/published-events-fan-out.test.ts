import { activityEvents } from '@learning/contracts';
import type { ConsumedEvent } from '@learning/events';
import { activities, common, lectures } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import {
  fanOutActivityPublished,
  fanOutSessionScheduled,
} from '../../src/application/broadcasts/published-events.js';
import { FakeBroadcastStore } from '../support/broadcast-fakes.js';

const NOW = new Date('2026-12-07T02:00:00Z');
const STARTS = new Date('2026-12-10T01:00:00Z');

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
});

describe('the fan-out of published events', () => {
  it('when ActivityPublished is delivered twice, then one broadcast is queued, to its tiers under its place, on the inbox and WeChat', async () => {
    const broadcasts = new FakeBroadcastStore();
    let queued = 0;
    const handle = fanOutActivityPublished({
      broadcasts,
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
    expect(broadcast?.variables).toMatchObject({ title: '读书会', startsAt: STARTS });
  });

  it('when SessionScheduled arrives, then a session.scheduled broadcast names its speakers and place', async () => {
    const broadcasts = new FakeBroadcastStore();
    const handle = fanOutSessionScheduled({ broadcasts, clock: () => NOW, queued: () => 0 });

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
          speakerIds: ['x-1', 'x-2'],
        },
      }),
    );

    expect(broadcasts.stored.get('e-2')?.broadcast).toMatchObject({
      kind: 'session.scheduled',
      criteria: { tiers: [], jurisdictionCodes: ['330281002'] },
      variables: { speaker: 'x-1, x-2', place: '330281002' },
    });
  });

  it('when an ActivityPublished has no activity id, then it is refused for good rather than retried', async () => {
    const handle = fanOutActivityPublished({
      broadcasts: new FakeBroadcastStore(),
      clock: () => NOW,
      queued: () => 0,
    });

    await expect(
      handle(consumed('e-3', '/learning/activities', { ...published(), activityId: '' })),
    ).rejects.toThrow(/without an activity id/);
  });
});

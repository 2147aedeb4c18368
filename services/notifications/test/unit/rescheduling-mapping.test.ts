import type { ConsumedEvent } from '@learning/events';
import { activities, lectures } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import {
  activityReschedulingOf,
  sessionReschedulingOf,
} from '../../src/adapters/kafka/reactions.js';

const STARTS = new Date('2026-12-12T06:00:00Z');

const consumed = <T>(data: T): ConsumedEvent<T> => ({
  id: 'evt-1',
  source: '/learning/test',
  type: 'test',
  subject: 'x',
  time: STARTS.toISOString(),
  data,
  topic: 't',
  partition: 0,
  offset: '0',
});

describe('what a reschedule event says of its venue', () => {
  it('when an ActivityRescheduled carries the venue name, then the rescheduling names it; empty, then none (the place is looked up)', () => {
    const moved = {
      ...activities.ActivityRescheduled.fromPartial({}),
      activityId: 'a-1',
      startsAt: STARTS,
      jurisdictionPath: ['330281', '330281001'],
    };

    expect(activityReschedulingOf(consumed({ ...moved, venueName: '城东礼堂' }))).toMatchObject({
      venue: '城东礼堂',
      placeCode: '330281001',
    });
    expect(activityReschedulingOf(consumed(moved)).venue).toBeNull();
  });

  it('when a SessionRescheduled’s summary carries the venue name, then the rescheduling names it; empty, then none', () => {
    const moved = (venueName: string) => ({
      ...lectures.SessionRescheduled.fromPartial({}),
      sessionId: 's-1',
      startsAt: STARTS,
      jurisdictionPath: ['330281', '330281002'],
      session: { ...lectures.SessionSummary.fromPartial({}), title: '讲座', venueName },
    });

    expect(sessionReschedulingOf(consumed(moved('一村礼堂'))).venue).toBe('一村礼堂');
    expect(sessionReschedulingOf(consumed(moved(''))).venue).toBeNull();
  });
});

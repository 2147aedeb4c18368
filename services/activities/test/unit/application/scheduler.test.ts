import { captureLogger } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StoredActivity } from '../../../src/application/activities/activity-repository.js';
import { transition } from '../../../src/application/activities/move-activity.js';
import { advanceDue } from '../../../src/application/scheduler/advance-due.js';
import { endOf, startOf } from '../../../src/domain/schedule.js';
import { CITY, FakeActivities, FakePublicPages, T1, T1_V1 } from './activities-fakes.js';

const HOUR = 60 * 60 * 1000;
const now = new Date('2026-04-10T10:00:00.000Z');
const ago = (hours: number): Date => new Date(now.getTime() - hours * HOUR);

const startTime = (activity: StoredActivity): number =>
  activity.schedule === null ? 0 : startOf(activity.schedule).getTime();

/** The fake store, answering `due` as the Mongo adapter does: earliest start first. */
class DueActivities extends FakeActivities {
  override async due(at: Date = now, limit = Number.MAX_SAFE_INTEGER): Promise<StoredActivity[]> {
    return [...this.stored.values()]
      .filter((activity) => {
        if (activity.schedule === null) return false;
        if (activity.status === 'published') return startOf(activity.schedule) <= at;
        return activity.status === 'under_way' && endOf(activity.schedule) <= at;
      })
      .sort((a, b) => startTime(a) - startTime(b))
      .slice(0, limit);
  }
}

function activity(
  id: string,
  status: StoredActivity['status'],
  start: Date,
  end: Date,
): StoredActivity {
  return {
    id,
    title: '读书会',
    description: '',
    kind: 'reading_club',
    venue: { id: 'venue-1', name: '农家书屋', address: null },
    schedule: { kind: 'single', session: { start, end } },
    capacity: 30,
    signUpWindow: { opensAt: ago(72), closesAt: start },
    targetTiers: ['ordinary_citizen'],
    categories: ['ethics_etiquette'],
    ageBand: null,
    campaignId: null,
    organizer: { kind: 'department', department: 'wenming-ban' },
    jurisdictionPath: [CITY, T1, T1_V1],
    status,
    cancellation: null,
    publishedAt: ago(72),
    attended: 0,
    createdBy: 'officer-1',
    createdAt: ago(96),
    updatedAt: ago(72),
    version: 1,
  };
}

const { logger } = captureLogger('scheduler-test');
let activities: DueActivities;
const run = () =>
  advanceDue({
    activities,
    transition: transition({ activities, publicPages: new FakePublicPages() }),
    logger,
    pageSize: 2,
  })(now, new AbortController().signal);

beforeEach(() => {
  activities = new DueActivities();
});

describe('advanceDue', () => {
  it('when an activity has begun, then it is started; when it has ended, then it is completed', async () => {
    activities.stored.set(
      'begun',
      activity('begun', 'published', ago(1), new Date(now.getTime() + HOUR)),
    );
    activities.stored.set('ended', activity('ended', 'under_way', ago(3), ago(1)));
    activities.stored.set(
      'later',
      activity(
        'later',
        'published',
        new Date(now.getTime() + HOUR),
        new Date(now.getTime() + 2 * HOUR),
      ),
    );

    expect(await run()).toBe(2);
    expect(activities.stored.get('begun')?.status).toBe('under_way');
    expect(activities.stored.get('ended')?.status).toBe('completed');
    expect(activities.stored.get('later')?.status).toBe('published');
  });

  it('when both times passed while nobody ran the scheduler, then it is started and then completed, each event once, across pages', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e'])
      activities.stored.set(id, activity(id, 'published', ago(5), ago(4)));

    expect(await run()).toBe(10);
    expect([...activities.stored.values()].every((a) => a.status === 'completed')).toBe(true);
    const types = activities.typesWritten();
    expect(types.filter((type) => type === 'activities.activity.started.v1')).toHaveLength(5);
    expect(types.filter((type) => type === 'activities.activity.completed.v1')).toHaveLength(5);
    // Run again: nothing is due, nothing more is written.
    expect(await run()).toBe(0);
    expect(activities.typesWritten()).toHaveLength(types.length);
  });

  it('when someone moved the activity first, then the scheduler skips it without an error', async () => {
    activities.stored.set(
      'raced',
      activity('raced', 'published', ago(1), new Date(now.getTime() + HOUR)),
    );
    const stale = activities.stored.get('raced');
    if (stale === undefined) throw new Error('stored');
    // Another replica starts it between this run's read and its write.
    const original = activities.due.bind(activities);
    activities.due = async (at?: Date, limit?: number) => {
      const page = await original(at, limit);
      activities.stored.set('raced', { ...stale, status: 'under_way', version: 2 });
      return page;
    };
    expect(await run()).toBe(0);
    expect(activities.stored.get('raced')?.status).toBe('under_way');
    expect(activities.typesWritten()).toEqual([]);
  });

  it('when an activity keeps failing, then it is tried once in the run and the others still move', async () => {
    activities.stored.set(
      'broken',
      activity('broken', 'published', ago(2), new Date(now.getTime() + HOUR)),
    );
    activities.stored.set(
      'fine',
      activity('fine', 'published', ago(1), new Date(now.getTime() + HOUR)),
    );
    const change = activities.change.bind(activities);
    let brokenTries = 0;
    activities.change = async (scope, request) => {
      if (request.id === 'broken') {
        brokenTries += 1;
        throw new Error('disk full');
      }
      return change(scope, request);
    };
    expect(await run()).toBe(1);
    expect(brokenTries).toBe(1);
    expect(activities.stored.get('fine')?.status).toBe('under_way');
  });

  it('when the worker stops, then the run ends before the next activity', async () => {
    for (const id of ['a', 'b', 'c'])
      activities.stored.set(id, activity(id, 'published', ago(1), new Date(now.getTime() + HOUR)));
    const stopping = new AbortController();
    stopping.abort();
    const moved = await advanceDue({
      activities,
      transition: transition({ activities, publicPages: new FakePublicPages() }),
      logger,
      pageSize: 2,
    })(now, stopping.signal);
    expect(moved).toBe(0);
  });
});

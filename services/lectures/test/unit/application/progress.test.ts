import type { Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import { describe, expect, it } from 'vitest';
import type {
  LessonRepository,
  ProgressRepository,
  StoredLesson,
  StoredProgress,
} from '../../../src/application/library/ports.js';
import { progressWork } from '../../../src/application/library/progress.js';
import type { Participants } from '../../../src/application/ports.js';
import type { Progress } from '../../../src/domain/progress.js';

const T0 = new Date('2026-04-01T08:00:00Z').getTime();
const LESSON_ID = '00000000-0000-4000-8000-000000000001';
const learner: Principal = {
  subject: 'learner-1',
  roles: ['participant'],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
};
const lesson: StoredLesson = {
  id: LESSON_ID,
  kind: 'video',
  title: '讲座',
  description: '',
  categories: ['political_theory'],
  targetTiers: ['ordinary_citizen'],
  lengthSeconds: 60,
  requiredShare: 0.5,
  contentUrl: 'https://media.example.org/1.mp4',
  sourceSessionId: null,
  forumId: null,
  leadDepartment: 'xuanchuan-bu',
  status: 'published',
  publishedAt: new Date(T0),
  createdBy: 'admin',
  createdAt: new Date(T0),
  updatedAt: new Date(T0),
  version: 2,
};

/** One stored progress document, as MongoDB would keep it, with what each call did. */
class FakeProgress implements ProgressRepository {
  stored: StoredProgress | null = null;
  readonly calls = { get: 0, start: 0, advance: 0 };
  readonly events: OutboxEntry[] = [];
  /** Makes the next advance miss, as if another heartbeat had been written just before. */
  interfere: ((stored: StoredProgress) => StoredProgress) | undefined;

  /** Makes the next read find nothing, as a read racing another first heartbeat would. */
  hideOnce = false;

  get(): Promise<StoredProgress | null> {
    this.calls.get += 1;
    const hidden = this.hideOnce;
    this.hideOnce = false;
    return Promise.resolve(hidden ? null : this.stored);
  }
  start(progress: StoredProgress): Promise<boolean> {
    this.calls.start += 1;
    if (this.stored !== null) return Promise.resolve(false);
    this.stored = progress;
    return Promise.resolve(true);
  }
  advance(
    current: StoredProgress,
    next: Progress,
    _updatedAt: Date,
    events: readonly OutboxEntry[],
  ): Promise<StoredProgress | null> {
    this.calls.advance += 1;
    if (this.interfere !== undefined && this.stored !== null) {
      this.stored = this.interfere(this.stored);
      this.interfere = undefined;
    }
    if (this.stored?.lastSequence !== current.lastSequence) return Promise.resolve(null);
    this.stored = { ...this.stored, ...next };
    this.events.push(...events);
    return Promise.resolve(this.stored);
  }
  listMine(): Promise<never> {
    return Promise.reject(new Error('not used'));
  }
}

const lessons = (found: StoredLesson | null): LessonRepository => ({
  get: () => Promise.resolve(found),
  create: () => Promise.reject(new Error('not used')),
  change: () => Promise.reject(new Error('not used')),
  list: () => Promise.reject(new Error('not used')),
  listPublic: () => Promise.reject(new Error('not used')),
});

const participants = (known: boolean): Participants & { asked: number } => {
  const port = {
    asked: 0,
    byAccounts(subjects: readonly string[]) {
      port.asked += 1;
      return Promise.resolve(
        new Map(
          known
            ? subjects.map((subject) => [
                subject,
                {
                  id: 'participant-1',
                  accountSubject: subject,
                  name: '学员',
                  jurisdictionPath: ['330281000000', '330281001000'],
                  birthDate: null,
                  tier: 'ordinary_citizen' as const,
                  organizationIds: [],
                },
              ])
            : [],
        ),
      );
    },
    byIds: () => Promise.reject(new Error('not used')),
  };
  return port;
};

function replica(store: FakeProgress, clock: { now: number }, registered = true) {
  const registration = participants(registered);
  const work = progressWork({
    lessons: lessons(lesson),
    progress: store,
    participants: registration,
    clock: () => new Date(clock.now),
  });
  const beat = (sequence: number, positionSeconds: number, seek = false) =>
    work.heartbeat(learner, LESSON_ID, { sequence, positionSeconds, seek });
  return { work, beat, registration };
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  throw new Error('not refused');
};

describe('heartbeats through the use case', () => {
  it('when a learner starts, then registration is asked once, at the first heartbeat, and later heartbeats are one write each', async () => {
    const store = new FakeProgress();
    const clock = { now: T0 };
    const { beat, registration } = replica(store, clock);

    await beat(1, 0);
    for (let sequence = 2; sequence <= 4; sequence += 1) {
      clock.now += 10_000;
      await beat(sequence, (sequence - 1) * 10);
    }

    expect(registration.asked).toBe(1);
    expect(store.calls).toEqual({ get: 1, start: 1, advance: 3 });
    expect(store.stored).toMatchObject({
      participantId: 'participant-1',
      jurisdictionPath: ['330281000000', '330281001000'],
      creditedSeconds: 30,
      lastSequence: 4,
    });
  });

  it('when the account is not registered, then the first heartbeat is refused and nothing is stored', async () => {
    const store = new FakeProgress();
    const { beat } = replica(store, { now: T0 }, false);

    expect(await codeOf(beat(1, 0))).toBe('PROGRESS_LEARNER_NOT_REGISTERED');
    expect(store.stored).toBeNull();
    expect(store.calls.start).toBe(0);
  });

  it('when another replica moved the progress on, then the heartbeat is judged again against the stored one', async () => {
    const store = new FakeProgress();
    const clock = { now: T0 };
    const a = replica(store, clock);
    const b = replica(store, clock);

    await a.beat(1, 0);
    clock.now += 10_000;
    await b.beat(2, 10);
    clock.now += 10_000;
    const result = await a.beat(3, 20);

    expect(result.creditedNow).toBe(10);
    expect(store.stored).toMatchObject({ lastSequence: 3, creditedSeconds: 20 });
  });

  it('when another replica accepted a later heartbeat, then this one is a replay', async () => {
    const store = new FakeProgress();
    const clock = { now: T0 };
    const a = replica(store, clock);
    const b = replica(store, clock);
    await a.beat(1, 0);
    clock.now += 10_000;
    await b.beat(3, 10);

    expect(await codeOf(a.beat(2, 10))).toBe('PROGRESS_HEARTBEAT_REPLAYED');
    expect(store.stored?.lastSequence).toBe(3);
  });

  it('when a write judged against a fresh read still misses, then the heartbeat is refused as concurrent and nothing is written', async () => {
    const store = new FakeProgress();
    const clock = { now: T0 };
    const first = replica(store, clock);
    await first.beat(1, 0);
    // A replica that never saw this progress reads it fresh; a racing heartbeat lands first.
    const other = replica(store, clock);
    clock.now += 10_000;
    store.interfere = (stored) => ({
      ...stored,
      lastSequence: 2,
      lastHeartbeatAt: new Date(clock.now),
    });

    expect(await codeOf(other.beat(3, 10))).toBe('PROGRESS_HEARTBEAT_CONCURRENT');
    expect(store.stored).toMatchObject({ lastSequence: 2, creditedSeconds: 0 });
  });

  it('when two first heartbeats race, then the loser’s insert finds the winner’s progress and is judged against it', async () => {
    const store = new FakeProgress();
    const clock = { now: T0 };
    const a = replica(store, clock);
    const b = replica(store, clock);
    await a.beat(1, 0);
    store.hideOnce = true;

    expect(await codeOf(b.beat(1, 0))).toBe('PROGRESS_HEARTBEAT_REPLAYED');
    expect(store.calls.start).toBe(2);
    store.hideOnce = true;
    clock.now += 5_000;
    const second = await b.beat(2, 5);
    expect(second.progress).toMatchObject({ lastSequence: 2, creditedSeconds: 5 });
    expect(store.calls.start).toBe(3);
  });

  it('when the required share is reached, then one completion event is written with that heartbeat, named by lesson and participant', async () => {
    const store = new FakeProgress();
    const clock = { now: T0 };
    const { beat } = replica(store, clock);
    await beat(1, 0);
    const completing: boolean[] = [];
    for (let sequence = 2; sequence <= 8; sequence += 1) {
      clock.now += 10_000;
      completing.push((await beat(sequence, Math.min(60, (sequence - 1) * 10))).completesNow);
    }

    expect(completing).toEqual([false, false, true, false, false, false, false]);
    expect(store.events).toHaveLength(1);
    expect(store.events[0]).toMatchObject({
      id: `${LESSON_ID}:participant-1`,
      subject: `${LESSON_ID}:participant-1`,
      type: 'lectures.lesson.completed.v1',
      time: new Date(T0 + 30_000),
    });
    expect(store.events[0]?.data).toMatchObject({
      participantId: 'participant-1',
      creditedSeconds: 30,
      lessonSeconds: 60,
    });
  });

  it('when the lesson is a draft, absent or withdrawn, then the heartbeat is refused before the progress is read', async () => {
    const store = new FakeProgress();
    const withStatus = (found: StoredLesson | null) =>
      progressWork({
        lessons: lessons(found),
        progress: store,
        participants: participants(true),
        clock: () => new Date(T0),
      }).heartbeat(learner, LESSON_ID, { sequence: 1, positionSeconds: 0, seek: false });

    expect(await codeOf(withStatus(null))).toBe('LESSON_NOT_FOUND');
    expect(await codeOf(withStatus({ ...lesson, status: 'draft' }))).toBe('LESSON_NOT_FOUND');
    expect(await codeOf(withStatus({ ...lesson, status: 'withdrawn' }))).toBe(
      'LESSON_NOT_PUBLISHED',
    );
    expect(store.calls.get).toBe(0);
  });
});

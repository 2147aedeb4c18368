import type { Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import { describe, expect, it } from 'vitest';
import { cancelEnrollment } from '../../../src/application/enrollments/cancel.js';
import { ownerChanges } from '../../../src/application/enrollments/owner-changes.js';
import type {
  EnrollmentChange,
  NewEnrollment,
  SeatedEventSource,
} from '../../../src/application/enrollments/ports.js';
import { SeatFiller } from '../../../src/application/enrollments/seats.js';
import { signUp } from '../../../src/application/enrollments/sign-up.js';
import {
  citizensOfT1,
  enrollmentOf,
  eventInfo,
  EVENT_KEY,
  fakeDeps,
  sourceOf,
} from './enrollments-fakes.js';

const participantOf = (subject: string): Principal => ({
  subject,
  roles: ['participant'],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
});

const eventWith = (capacity: number): SeatedEventSource =>
  sourceOf(
    eventInfo({
      capacity,
      window: {
        opensAt: new Date('2025-04-01T00:00:00Z'),
        closesAt: new Date('2025-04-10T00:00:00Z'),
      },
      startsAt: new Date('2025-04-12T01:00:00Z'),
      endsAt: new Date('2025-04-12T03:00:00Z'),
    }),
  );

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

/** Sign-ups for the one-seat event of `deps`, each with its own code. */
function signUps(deps: ReturnType<typeof fakeDeps>, capacity = 1) {
  let codeNumber = 0;
  const codes = {
    newCode: () => `CODE${String((codeNumber += 1)).padStart(4, '2')}`,
    qrPayload: () => '',
    verify: () => null,
  };
  const join = signUp({
    ...deps,
    enrollments: deps.repository,
    participants: citizensOfT1,
    source: eventWith(capacity),
    codes,
  });
  return (subject: string) => join(participantOf(subject), { owner: 'activities', eventId: 'a-1' });
}

describe('the waitlist in arrival order', () => {
  it('when a seat frees while an earlier arrival is still being stored, then that arrival takes it before anyone who came after', async () => {
    const deps = fakeDeps();
    const join = signUps(deps);
    // Bob's insert is held in flight until the test lets it go.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const add = deps.enrollments.add.bind(deps.enrollments);
    deps.enrollments.add = async (enrollment: NewEnrollment, events: readonly OutboxEntry[]) => {
      if (enrollment.participantId === 'p-bob') await held;
      return add(enrollment, events);
    };

    const ann = await join('ann');
    const bob = join('bob');
    while ((await deps.ledgers.get(EVENT_KEY))?.arrivals !== 2) await settle();
    const cid = await join('cid');
    expect(cid.enrollment).toMatchObject({ status: 'waitlisted', sequence: 3 });

    await cancelEnrollment({ ...deps, enrollments: deps.repository })(
      participantOf('ann'),
      ann.enrollment,
      'self',
    );
    release();
    const bobs = await bob;

    expect(bobs.enrollment).toMatchObject({ status: 'confirmed', sequence: 2 });
    expect(deps.enrollments.confirmed(EVENT_KEY).map((e) => e.participantId)).toEqual(['p-bob']);
    expect(deps.enrollments.rows.get(cid.enrollment.id)?.status).toBe('waitlisted');
  });

  it('when a promotion waits for an earlier arrival that then takes its own seat directly, then the waiting promotion still goes ahead within the same cancellation', async () => {
    const deps = fakeDeps();
    const join = signUps(deps, 2);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const add = deps.enrollments.add.bind(deps.enrollments);
    deps.enrollments.add = async (enrollment: NewEnrollment, events: readonly OutboxEntry[]) => {
      if (enrollment.participantId === 'p-bob') await held;
      return add(enrollment, events);
    };

    const ann = await join('ann');
    const bob = join('bob');
    while ((await deps.ledgers.get(EVENT_KEY))?.arrivals !== 2) await settle();
    await join('cid');
    await join('dan');
    // Bob's insert lands (on his own seat 2, reading no hint) while the cancellation's round waits.
    setTimeout(release, 15);
    await cancelEnrollment({ ...deps, enrollments: deps.repository })(
      participantOf('ann'),
      ann.enrollment,
      'self',
    );

    expect((await bob).enrollment).toMatchObject({ status: 'confirmed', seat: 2 });
    expect(
      deps.enrollments
        .confirmed(EVENT_KEY)
        .map((e) => e.participantId)
        .sort(),
    ).toEqual(['p-bob', 'p-cid']);
  });

  it('when one person signs up twice at once on two replicas, then one enrollment is kept, a number the second attempt took is given up, and later arrivals are still promoted', async () => {
    const deps = fakeDeps();
    const join = signUps(deps);
    const otherReplica = signUps(deps);
    const cancel = cancelEnrollment({ ...deps, enrollments: deps.repository });

    const ann = await join('ann');
    const [bob, again] = await Promise.all([join('bob'), otherReplica('bob')]);
    const cid = await join('cid');
    expect([bob.created, again.created].sort()).toEqual([false, true]);
    expect(again.enrollment.id).toBe(bob.enrollment.id);
    // Whether the second attempt took a number before it found Bob's depends on how the two
    // replicas' batches interleave; either way no number is lost: each is used or given up.
    const ledger = await deps.ledgers.get(EVENT_KEY);
    expect(ledger?.retired.length).toBeLessThanOrEqual(1);
    expect((ledger?.arrivals ?? 0) - (ledger?.retired.length ?? 0)).toBe(3);
    await cancel(participantOf('ann'), ann.enrollment, 'self');
    const bobs = deps.enrollments.rows.get(bob.enrollment.id);
    if (bobs === undefined) throw new Error('bob was not stored');
    await cancel(participantOf('bob'), bobs, 'self');

    expect(deps.enrollments.confirmed(EVENT_KEY).map((e) => e.id)).toEqual([cid.enrollment.id]);
  });

  it('when one person signs up twice within one batch, then one arrival number is taken and both get the one enrollment', async () => {
    const deps = fakeDeps();
    const join = signUps(deps);

    const [first, second] = await Promise.all([join('bob'), join('bob')]);

    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.enrollment).toEqual(first.enrollment);
    expect(await deps.ledgers.get(EVENT_KEY)).toMatchObject({ arrivals: 1, retired: [] });
  });

  it('when someone cancels and signs up again, then their old number is given up and the line behind them still moves', async () => {
    const deps = fakeDeps();
    const join = signUps(deps);
    const cancel = cancelEnrollment({ ...deps, enrollments: deps.repository });

    const ann = await join('ann');
    const bob = await join('bob');
    await cancel(participantOf('ann'), ann.enrollment, 'self');
    const rejoined = await join('ann');
    expect(rejoined.enrollment).toMatchObject({ status: 'waitlisted', sequence: 3 });
    const promotedBob = deps.enrollments.rows.get(bob.enrollment.id);
    if (promotedBob === undefined) throw new Error('bob was not stored');
    await cancel(participantOf('bob'), promotedBob, 'self');

    expect(deps.enrollments.confirmed(EVENT_KEY).map((e) => e.id)).toEqual([ann.enrollment.id]);
    expect((await deps.ledgers.get(EVENT_KEY))?.retired).toEqual([1]);
  });

  it('when a sign-up died between taking its number and storing itself, then the sweep gives the number up and the next in line is promoted', async () => {
    const deps = fakeDeps();
    deps.ledgers.open(EVENT_KEY, 1, 3);
    deps.enrollments.rows.set(
      'c1',
      enrollmentOf('c1', 1, { status: 'cancelled', cancellationReason: 'self' }),
    );
    deps.enrollments.rows.set('w3', enrollmentOf('w3', 3));
    const changes = ownerChanges({
      enrollments: deps.repository,
      ledgers: deps.ledgers,
      source: eventWith(1),
      filler: deps.filler,
      cancelEnrollment: cancelEnrollment({ ...deps, enrollments: deps.repository }),
      events: deps.events,
      checkInWindow: deps.checkInWindow,
      clock: deps.clock,
    });
    await deps.filler.fill(EVENT_KEY);
    // Arrival 2 never came: the seat waits for it, until the sweep finds the event quiet.
    expect(deps.enrollments.confirmed(EVENT_KEY)).toEqual([]);
    await changes.sweep(10_000);

    expect(deps.enrollments.confirmed(EVENT_KEY).map((e) => e.id)).toEqual(['w3']);
    expect((await deps.ledgers.get(EVENT_KEY))?.retired).toEqual([2]);
  });
});

describe('a capacity lowered under the seats held', () => {
  it('when the capacity is lowered while replicas promote after many cancellations, then no promotion takes the confirmed above the capacity and the waitlist moves in order', async () => {
    const deps = fakeDeps();
    const FULL = 12;
    const LOWERED = 8;
    deps.ledgers.open(EVENT_KEY, FULL, 40);
    for (let i = 1; i <= FULL; i += 1)
      deps.enrollments.rows.set(
        `c${i}`,
        enrollmentOf(`c${i}`, i, { status: 'confirmed', seat: i }),
      );
    for (let i = FULL + 1; i <= 40; i += 1)
      deps.enrollments.rows.set(`w${i}`, enrollmentOf(`w${i}`, i));

    // Every promotion is checked the moment it lands.
    const overbooked: number[] = [];
    const change = deps.enrollments.change.bind(deps.enrollments);
    deps.enrollments.change = async (id, expected, what: EnrollmentChange, events) => {
      const result = await change(id, expected, what, events);
      if (what.status === 'confirmed' && result !== null && result !== 'seat') {
        const capacity = (await deps.ledgers.get(EVENT_KEY))?.capacity;
        const confirmed = deps.enrollments.confirmed(EVENT_KEY).length;
        if (typeof capacity === 'number' && confirmed > capacity) overbooked.push(confirmed);
      }
      return result;
    };
    const replicas = Array.from({ length: 4 }, () => {
      const filler = new SeatFiller(deps.fillerDeps);
      return cancelEnrollment({ ...deps, enrollments: deps.repository, filler });
    });
    const owner = ownerChanges({
      enrollments: deps.repository,
      ledgers: deps.ledgers,
      source: eventWith(LOWERED),
      filler: new SeatFiller(deps.fillerDeps),
      cancelEnrollment: replicas[0] ?? cancelEnrollment({ ...deps, enrollments: deps.repository }),
      events: deps.events,
      checkInWindow: deps.checkInWindow,
      clock: deps.clock,
    });
    const times = {
      startsAt: new Date('2025-04-12T01:00:00Z'),
      endsAt: new Date('2025-04-12T03:00:00Z'),
      at: new Date('2025-04-02T00:00:00Z'),
    };
    const leaving = [1, 3, 5, 7, 9, 11, 12];

    await Promise.all([
      ...leaving.map(async (n, index) => {
        const row = deps.enrollments.rows.get(`c${n}`);
        if (row === undefined) throw new Error(`no c${n}`);
        await replicas[index % replicas.length]?.(participantOf(`s-c${n}`), row, 'self');
      }),
      owner.eventRescheduled('activities', 'a-1', { ...times, previous: times }, LOWERED),
    ]);
    await Promise.all(replicas.map(() => new SeatFiller(deps.fillerDeps).fill(EVENT_KEY)));

    expect(overbooked).toEqual([]);
    const confirmed = deps.enrollments.confirmed(EVENT_KEY);
    expect(confirmed).toHaveLength(LOWERED);
    expect(confirmed.every((e) => e.seat !== null && e.seat <= LOWERED)).toBe(true);
    expect(new Set(confirmed.map((e) => e.seat)).size).toBe(LOWERED);
    // 12 - 7 = 5 stayed; the next 3 in line took the seats the lower capacity leaves.
    expect(
      confirmed
        .filter((e) => e.id.startsWith('w'))
        .map((e) => e.sequence)
        .sort((a, b) => a - b),
    ).toEqual([13, 14, 15]);
  });
});

import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { OutboxEntry } from '@learning/events';
import { describe, expect, it, vi } from 'vitest';
import type { NewEnrollment } from '../../../src/application/enrollments/ports.js';
import { signUp } from '../../../src/application/enrollments/sign-up.js';
import { citizensOfT1, eventInfo, EVENT_KEY, fakeDeps, sourceOf } from './enrollments-fakes.js';

const participantOf = (subject: string): Principal => ({
  subject,
  roles: ['participant'],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
});

const CAPACITY = 10;

function joining(deps: ReturnType<typeof fakeDeps>) {
  let codeNumber = 0;
  const join = signUp({
    ...deps,
    enrollments: deps.repository,
    participants: citizensOfT1,
    source: sourceOf(
      eventInfo({
        capacity: CAPACITY,
        window: {
          opensAt: new Date('2025-04-01T00:00:00Z'),
          closesAt: new Date('2025-04-10T00:00:00Z'),
        },
        startsAt: new Date('2025-04-12T01:00:00Z'),
        endsAt: new Date('2025-04-12T03:00:00Z'),
      }),
    ),
    codes: {
      newCode: () => `CODE${String((codeNumber += 1)).padStart(4, '2')}`,
      qrPayload: () => '',
      verify: () => null,
    },
  });
  return (subject: string) => join(participantOf(subject), { owner: 'activities', eventId: 'a-1' });
}

describe('sign-ups committed in batches', () => {
  it('when 50 people sign up at once, then their arrival numbers come from one ledger call and their enrollments from one bulk insert, in the order they arrived', async () => {
    const deps = fakeDeps();
    const arrive = vi.spyOn(deps.ledgers, 'arrive');
    const addMany = vi.spyOn(deps.enrollments, 'addMany');
    const join = joining(deps);
    const subjects = Array.from({ length: 50 }, (_, i) => `person-${String(i)}`);

    const results = await Promise.all(subjects.map(join));

    expect(arrive).toHaveBeenCalledTimes(1);
    expect(arrive).toHaveBeenCalledWith(EVENT_KEY, CAPACITY, 50);
    expect(addMany).toHaveBeenCalledTimes(1);
    expect(results.map((result) => result.enrollment.sequence)).toEqual(
      subjects.map((_, i) => i + 1),
    );
    expect(results.every((result) => result.created)).toBe(true);
    expect(results.filter((result) => result.enrollment.status === 'confirmed')).toHaveLength(
      CAPACITY,
    );
    expect(results.slice(0, CAPACITY).map((result) => result.enrollment.seat)).toEqual(
      Array.from({ length: CAPACITY }, (_, i) => i + 1),
    );
    // One event per sign-up, as a lone sign-up publishes.
    expect(
      deps.enrollments.published.filter((entry) => entry.topic.includes('enroll')),
    ).toHaveLength(50);
  });

  it('when the bulk insert finds a direct seat taken by a promotion, then that arrival is waitlisted and the rest of the batch is stored as planned', async () => {
    const deps = fakeDeps();
    const add = deps.enrollments.add.bind(deps.enrollments);
    deps.enrollments.add = async (enrollment: NewEnrollment, events: readonly OutboxEntry[]) =>
      enrollment.participantId === 'p-person-2' && enrollment.seat !== null
        ? 'seat'
        : add(enrollment, events);
    const join = joining(deps);

    const results = await Promise.all(['person-1', 'person-2', 'person-3'].map(join));

    expect(results.map((result) => [result.enrollment.status, result.enrollment.seat])).toEqual([
      ['confirmed', 1],
      ['waitlisted', null],
      ['confirmed', 3],
    ]);
  });

  it('when someone of a batch is not registered, then only they are refused and the others sign up', async () => {
    const deps = fakeDeps();
    const join = signUp({
      ...deps,
      enrollments: deps.repository,
      participants: {
        ...citizensOfT1,
        findByAccounts: async (subjects) =>
          citizensOfT1.findByAccounts(subjects.filter((subject) => subject !== 'stranger')),
      },
      codes: { newCode: () => 'CODE2222', qrPayload: () => '', verify: () => null },
    });
    const of = (subject: string) =>
      join(participantOf(subject), { owner: 'activities', eventId: 'a-1' });

    const [stranger, ann] = await Promise.allSettled([of('stranger'), of('ann')]);

    expect(stranger.status).toBe('rejected');
    expect(stranger.status === 'rejected' && stranger.reason instanceof AppError).toBe(true);
    expect(ann).toMatchObject({ status: 'fulfilled', value: { created: true } });
  });
});

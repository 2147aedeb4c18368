import { describe, expect, it, vi } from 'vitest';
import { cancelEnrollment } from '../../../src/application/enrollments/cancel.js';
import { SeatFiller } from '../../../src/application/enrollments/seats.js';
import { checkInUseCases } from '../../../src/application/enrollments/check-in.js';
import type { CheckInCodes } from '../../../src/application/enrollments/ports.js';
import { enrollmentOf, EVENT_KEY, fakeDeps } from './enrollments-fakes.js';

const officer = {
  subject: 'officer',
  roles: ['area_officer' as const],
  cityWide: false,
  jurisdictions: ['T1'],
  organizations: [],
};

describe('seat filling', () => {
  it('when seats free up, then the waitlist is promoted strictly in arrival order into distinct seats', async () => {
    const deps = fakeDeps();
    deps.ledgers.open(EVENT_KEY, 3, 9);
    // The numbers in between were given up (duplicate sign-ups, rejoins).
    await deps.ledgers.retire(EVENT_KEY, [2, 3, 5, 6, 8]);
    deps.enrollments.rows.set('c1', enrollmentOf('c1', 1, { status: 'confirmed', seat: 1 }));
    for (const [id, sequence] of [
      ['w9', 9],
      ['w4', 4],
      ['w7', 7],
    ] as const)
      deps.enrollments.rows.set(id, enrollmentOf(id, sequence));

    await deps.filler.fill(EVENT_KEY);

    expect(deps.enrollments.confirmed(EVENT_KEY).map((e) => e.id)).toEqual(['c1', 'w4', 'w7']);
    expect(
      deps.enrollments
        .confirmed(EVENT_KEY)
        .map((e) => e.seat)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(
      deps.enrollments.published.filter((e) => e.type.endsWith('waitlist-promoted.v1')),
    ).toHaveLength(2);
  });

  it('when the fills of many replicas race for the same seats, then the confirmed count never passes the capacity and order holds', async () => {
    const deps = fakeDeps();
    deps.ledgers.open(EVENT_KEY, 10, 30);
    for (let i = 1; i <= 30; i += 1) deps.enrollments.rows.set(`w${i}`, enrollmentOf(`w${i}`, i));
    const replicas = Array.from({ length: 8 }, () => new SeatFiller(deps.fillerDeps));

    await Promise.all(replicas.map((filler) => filler.fill(EVENT_KEY)));

    const confirmed = deps.enrollments.confirmed(EVENT_KEY);
    expect(confirmed).toHaveLength(10);
    expect(new Set(confirmed.map((e) => e.seat)).size).toBe(10);
    expect(confirmed.map((e) => e.sequence).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it('when fills of one event are asked for while one runs, then they share one round after it', async () => {
    const deps = fakeDeps();
    deps.ledgers.open(EVENT_KEY, 3, 3);
    for (let i = 1; i <= 3; i += 1) deps.enrollments.rows.set(`w${i}`, enrollmentOf(`w${i}`, i));
    const seatReads = vi.spyOn(deps.enrollments, 'heldSeats');

    await Promise.all(Array.from({ length: 6 }, () => deps.filler.fill(EVENT_KEY)));

    expect(deps.enrollments.confirmed(EVENT_KEY).map((e) => e.id)).toEqual(['w1', 'w2', 'w3']);
    // The first round reads the seats twice (free ones, then none left), the shared one once.
    expect(seatReads).toHaveBeenCalledTimes(3);
  });

  it('when seats stay free with nobody waiting, then the ledger says so for the next sign-up', async () => {
    const deps = fakeDeps();
    await deps.ledgers.arrive(EVENT_KEY, 5);
    await deps.filler.fill(EVENT_KEY);
    expect((await deps.ledgers.get(EVENT_KEY))?.vacancies).toBe(5);
  });
});

describe('cancelling', () => {
  it('when a confirmed person cancels, then the first in line takes the seat; cancelling again changes nothing', async () => {
    const deps = fakeDeps();
    await deps.ledgers.arrive(EVENT_KEY, 1);
    deps.enrollments.rows.set('c1', enrollmentOf('c1', 1, { status: 'confirmed', seat: 1 }));
    deps.enrollments.rows.set('w3', enrollmentOf('w3', 3));
    deps.enrollments.rows.set('w2', enrollmentOf('w2', 2));
    const cancel = cancelEnrollment({ ...deps, enrollments: deps.repository });

    const cancelled = await cancel(
      officer,
      enrollmentOf('c1', 1, { status: 'confirmed', seat: 1 }),
      'officer',
    );
    const again = await cancel(officer, cancelled, 'officer');

    expect(again).toBe(cancelled);
    expect(deps.enrollments.confirmed(EVENT_KEY).map((e) => e.id)).toEqual(['w2']);
    expect(deps.enrollments.published.filter((e) => e.type.endsWith('cancelled.v1'))).toHaveLength(
      1,
    );
  });
});

describe('check-in', () => {
  const codes: CheckInCodes = {
    newCode: () => 'ABCDEFGH',
    qrPayload: (id, code) => `${id}.${code}`,
    verify: (payload) => {
      const [enrollmentId = '', code = ''] = payload.split('.');
      return { enrollmentId, code };
    },
  };

  it('when the same QR is scanned twice, then one check-in is recorded and the second reports the first', async () => {
    const deps = fakeDeps();
    deps.enrollments.rows.set(
      'c1',
      enrollmentOf('c1', 1, { status: 'confirmed', seat: 1, checkInCode: 'ABCDEFGH' }),
    );
    const checkIns = checkInUseCases({ ...deps, enrollments: deps.repository, codes });
    const scannedAt = new Date('2025-04-01T23:00:00Z');

    const first = await checkIns.checkIn(officer, { target: { qr: 'c1.ABCDEFGH' }, scannedAt });
    const second = await checkIns.checkIn(officer, { target: { qr: 'c1.ABCDEFGH' } });

    expect(first).toMatchObject({ outcome: 'checked_in', checkedInAt: scannedAt });
    expect(second).toMatchObject({ outcome: 'already_checked_in', checkedInAt: scannedAt });
    expect(deps.enrollments.published.filter((e) => e.type.endsWith('checked-in.v1'))).toHaveLength(
      1,
    );
  });

  it('when an officer of another area scans, then the code is unknown to them', async () => {
    const deps = fakeDeps();
    deps.enrollments.rows.set(
      'c1',
      enrollmentOf('c1', 1, { status: 'confirmed', seat: 1, checkInCode: 'ABCDEFGH' }),
    );
    const checkIns = checkInUseCases({ ...deps, enrollments: deps.repository, codes });
    await expect(
      checkIns.checkIn({ ...officer, jurisdictions: ['T2'] }, { target: { qr: 'c1.ABCDEFGH' } }),
    ).rejects.toMatchObject({ code: 'CHECK_IN_CODE_UNKNOWN' });
  });
});

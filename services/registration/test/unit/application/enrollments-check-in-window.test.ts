import { describe, expect, it } from 'vitest';
import { cancelEnrollment } from '../../../src/application/enrollments/cancel.js';
import { checkInUseCases } from '../../../src/application/enrollments/check-in.js';
import { ownerChanges } from '../../../src/application/enrollments/owner-changes.js';
import type { CheckInCodes } from '../../../src/application/enrollments/ports.js';
import { enrollmentOf, eventInfo, EVENT_KEY, fakeDeps, sourceOf } from './enrollments-fakes.js';

const officer = {
  subject: 'officer',
  roles: ['area_officer' as const],
  cityWide: false,
  jurisdictions: ['T1'],
  organizations: [],
};

const codes: CheckInCodes = {
  newCode: () => 'ABCDEFGH',
  qrPayload: (id, code) => `${id}.${code}`,
  verify: (payload) => {
    const [enrollmentId = '', code = ''] = payload.split('.');
    return { enrollmentId, code };
  },
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The fakes' clock. */
const NOW = new Date('2025-04-02T00:00:00Z');

/** Deps whose event runs from `startsAt` for two hours, with one confirmed enrollment `c1`. */
function withEventAt(startsAt: Date) {
  const deps = fakeDeps();
  const source = sourceOf(
    eventInfo({ startsAt, endsAt: new Date(startsAt.getTime() + 2 * 60 * MINUTE) }),
  );
  deps.enrollments.rows.set(
    'c1',
    enrollmentOf('c1', 1, { status: 'confirmed', seat: 1, checkInCode: 'ABCDEFGH' }),
  );
  const checkIns = checkInUseCases({ ...deps, enrollments: deps.repository, source, codes });
  const checkedInEvents = () =>
    deps.enrollments.published.filter((e) => e.type.endsWith('checked-in.v1'));
  return { deps, checkIns, checkedInEvents };
}

describe('the check-in window', () => {
  it('when an officer scans 14 days before the event, then 409 CHECK_IN_NOT_OPEN says when it opens and nothing is recorded', async () => {
    const { deps, checkIns, checkedInEvents } = withEventAt(new Date(NOW.getTime() + 14 * DAY));

    await expect(
      checkIns.checkIn(officer, { target: { qr: 'c1.ABCDEFGH' } }),
    ).rejects.toMatchObject({
      code: 'CHECK_IN_NOT_OPEN',
      kind: 'failed_precondition',
      message: expect.stringContaining('2025-04-15T23:00:00.000Z') as unknown,
    });
    expect(deps.enrollments.rows.get('c1')?.checkedInAt).toBeNull();
    expect(checkedInEvents()).toHaveLength(0);
  });

  it('when a scan comes more than the closing margin after the end, then 409 CHECK_IN_CLOSED', async () => {
    // Ended 2 h 1 min ago: the window closed 2 h after the end.
    const { deps, checkIns } = withEventAt(new Date(NOW.getTime() - (4 * 60 + 1) * MINUTE));

    await expect(
      checkIns.checkIn(officer, { target: { qr: 'c1.ABCDEFGH' } }),
    ).rejects.toMatchObject({ code: 'CHECK_IN_CLOSED' });
    expect(deps.enrollments.rows.get('c1')?.checkedInAt).toBeNull();
  });

  it('when a scan comes just within the hour before the start, then it checks in', async () => {
    const { checkIns, checkedInEvents } = withEventAt(new Date(NOW.getTime() + 59 * MINUTE));

    await expect(
      checkIns.checkIn(officer, { target: { qr: 'c1.ABCDEFGH' } }),
    ).resolves.toMatchObject({ outcome: 'checked_in', checkedInAt: NOW });
    expect(checkedInEvents()).toHaveLength(1);
  });

  it('when an offline batch holds a scan made too early, then that scan is refused with its code and the others apply', async () => {
    const { deps, checkIns } = withEventAt(new Date(NOW.getTime() + 30 * MINUTE));
    deps.enrollments.rows.set(
      'c2',
      enrollmentOf('c2', 2, { status: 'confirmed', seat: 2, checkInCode: 'BCDEFGHJ' }),
    );

    const results = await checkIns.checkInBatch(officer, [
      { target: { qr: 'c1.ABCDEFGH' }, scannedAt: new Date(NOW.getTime() - 2 * DAY) },
      { target: { qr: 'c2.BCDEFGHJ' }, scannedAt: NOW },
    ]);

    expect(results).toEqual([
      expect.objectContaining({ index: 0, outcome: 'refused', code: 'CHECK_IN_NOT_OPEN' }),
      expect.objectContaining({ index: 1, outcome: 'checked_in' }),
    ]);
    expect(deps.enrollments.rows.get('c1')?.checkedInAt).toBeNull();
  });
});

describe('a reschedule after check-in', () => {
  const movedBy = (ms: number) => {
    const startsAt = new Date(eventInfo().startsAt.getTime() + ms);
    return {
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * MINUTE),
      at: NOW,
      previous: { startsAt: eventInfo().startsAt, endsAt: eventInfo().endsAt },
    };
  };

  /** The owner's event now runs at the times `movedBy(nowMovedBy)` gives. */
  function rescheduling(nowMovedBy: number) {
    const deps = { ...fakeDeps(), source: sourceOf(eventInfo(movedBy(nowMovedBy))) };
    const checkedInAt = new Date('2025-04-01T23:45:00Z');
    deps.enrollments.rows.set(
      'scanned',
      enrollmentOf('scanned', 1, {
        status: 'confirmed',
        seat: 1,
        checkedInAt,
        attendedAt: new Date('2025-04-02T01:30:00Z'),
        attendanceBasis: 'check_in',
      }),
    );
    deps.enrollments.rows.set(
      'vouched',
      enrollmentOf('vouched', 2, {
        status: 'confirmed',
        seat: 2,
        checkedInAt,
        attendedAt: new Date('2025-04-02T01:30:00Z'),
        attendanceBasis: 'officer',
      }),
    );
    deps.enrollments.rows.set(
      'absent',
      enrollmentOf('absent', 3, { status: 'confirmed', seat: 3 }),
    );
    const changes = ownerChanges({
      ...deps,
      enrollments: deps.repository,
      cancelEnrollment: cancelEnrollment({ ...deps, enrollments: deps.repository }),
    });
    const invalidated = () =>
      deps.enrollments.published.filter((e) => e.type.endsWith('check-in-invalidated.v1'));
    return { deps, changes, invalidated, checkedInAt };
  }

  it('when the event moves three days later, then each check-in is withdrawn with the attendance it gave, once each, and a replay changes nothing', async () => {
    const { deps, changes, invalidated, checkedInAt } = rescheduling(3 * DAY);

    await changes.eventRescheduled('activities', 'a-1', movedBy(3 * DAY), null);
    await changes.eventRescheduled('activities', 'a-1', movedBy(3 * DAY), null);

    expect(deps.enrollments.rows.get('scanned')).toMatchObject({
      checkedInAt: null,
      attendedAt: null,
      attendanceBasis: null,
    });
    // An officer's word did not rest on the scan: that attendance stays.
    expect(deps.enrollments.rows.get('vouched')).toMatchObject({
      checkedInAt: null,
      attendanceBasis: 'officer',
    });
    expect(invalidated().map((e) => e.subject)).toEqual([EVENT_KEY, EVENT_KEY]);
    expect(invalidated().map((e) => (e.data as { enrollmentId: string }).enrollmentId)).toEqual([
      'scanned',
      'vouched',
    ]);
    expect(invalidated()[0]?.data).toMatchObject({
      checkedInAt: checkedInAt.toISOString(),
      attendanceWithdrawn: true,
    });
    // proto3 JSON leaves a false out.
    expect(
      (invalidated()[1]?.data as { attendanceWithdrawn?: boolean }).attendanceWithdrawn ?? false,
    ).toBe(false);
  });

  it('when the event moves by minutes and the check-in still falls in the new window, then it stands', async () => {
    const { deps, changes, invalidated } = rescheduling(30 * MINUTE);

    await changes.eventRescheduled('activities', 'a-1', movedBy(30 * MINUTE), null);

    expect(deps.enrollments.rows.get('scanned')?.checkedInAt).not.toBeNull();
    expect(invalidated()).toHaveLength(0);
  });

  it('when an event nobody has checked in to moves, then its owner is not asked (a move of an unreachable owner’s event still applies)', async () => {
    const deps = fakeDeps();
    deps.enrollments.rows.set(
      'absent',
      enrollmentOf('absent', 1, { status: 'confirmed', seat: 1 }),
    );
    let asked = 0;
    const unreachable = {
      ...deps.source,
      get: () => {
        asked += 1;
        return Promise.reject(new Error('the owner is unreachable'));
      },
    };
    const changes = ownerChanges({
      ...deps,
      source: unreachable,
      enrollments: deps.repository,
      cancelEnrollment: cancelEnrollment({ ...deps, enrollments: deps.repository }),
    });

    await changes.eventRescheduled('lectures', 'a-1', movedBy(3 * DAY), null);

    expect(asked).toBe(0);
  });

  it('when a stale move is delivered after the owner moved the event back, then check-ins are judged by the times in force and stand', async () => {
    const { deps, changes, invalidated } = rescheduling(0);

    await changes.eventRescheduled('activities', 'a-1', movedBy(3 * DAY), null);

    expect(deps.enrollments.rows.get('scanned')?.checkedInAt).not.toBeNull();
    expect(invalidated()).toHaveLength(0);
  });
});

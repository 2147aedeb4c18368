import { describe, expect, it } from 'vitest';
import { checkInUseCases } from '../../../src/application/enrollments/check-in.js';
import type { CheckInCodes } from '../../../src/application/enrollments/ports.js';
import { signUp } from '../../../src/application/enrollments/sign-up.js';
import type { SeatedSession } from '../../../src/domain/sessions.js';
import {
  citizensOfT1,
  enrollmentOf,
  eventInfo,
  fakeDeps,
  membershipsOf,
  sourceOf,
} from './enrollments-fakes.js';

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
/** The fakes' clock: 2025-04-02T00:00Z. */
const NOW = new Date('2025-04-02T00:00:00Z');
const sessionAt = (sessionId: string, startsAt: Date): SeatedSession => ({
  sessionId,
  startsAt,
  endsAt: new Date(startsAt.getTime() + 90 * MINUTE),
  learningMinutes: 90,
});
/** Under way now, and a week later. */
const tonight = sessionAt('s-1', new Date(NOW.getTime() - 30 * MINUTE));
const nextWeek = sessionAt('s-2', new Date(NOW.getTime() + 7 * 24 * 60 * MINUTE));

function aClass() {
  const deps = fakeDeps();
  const source = sourceOf(
    eventInfo({
      owner: 'training',
      startsAt: tonight.startsAt,
      endsAt: nextWeek.endsAt,
      sessions: [tonight, nextWeek],
    }),
  );
  deps.enrollments.rows.set(
    'c1',
    enrollmentOf('c1', 1, { status: 'confirmed', seat: 1, checkInCode: 'ABCDEFGH' }),
  );
  const checkIns = checkInUseCases({ ...deps, enrollments: deps.repository, source, codes });
  const published = (type: string) =>
    deps.enrollments.published.filter((e) => e.type === `registration.enrollment.${type}.v1`);
  return { deps, checkIns, published };
}

describe('check-in at a session through the use case', () => {
  it('when the first session is scanned twice, then it is recorded once with SessionCheckedIn and CheckedIn, and the repeat reports the first time', async () => {
    const { deps, checkIns, published } = aClass();
    const scannedAt = new Date(NOW.getTime() - 10 * MINUTE);
    const first = await checkIns.checkIn(officer, {
      target: { qr: 'c1.ABCDEFGH' },
      sessionId: 's-1',
      scannedAt,
    });
    const again = await checkIns.checkIn(officer, {
      target: { qr: 'c1.ABCDEFGH' },
      sessionId: 's-1',
    });

    expect(first).toMatchObject({
      outcome: 'checked_in',
      sessionId: 's-1',
      checkedInAt: scannedAt,
    });
    expect(again).toMatchObject({ outcome: 'already_checked_in', checkedInAt: scannedAt });
    const row = deps.enrollments.rows.get('c1');
    expect(row?.checkedInAt).toEqual(scannedAt);
    expect(row?.sessionCheckIns).toEqual([{ sessionId: 's-1', at: scannedAt }]);
    expect(published('session-checked-in')).toHaveLength(1);
    expect(published('session-checked-in')[0]?.data).toMatchObject({ sessionId: 's-1' });
    expect(published('checked-in')).toHaveLength(1);
  });

  it('when a session is scanned outside its own window though the class is under way, then CHECK_IN_NOT_OPEN and nothing is recorded', async () => {
    const { deps, checkIns, published } = aClass();
    await expect(
      checkIns.checkIn(officer, { target: { qr: 'c1.ABCDEFGH' }, sessionId: 's-2' }),
    ).rejects.toMatchObject({ code: 'CHECK_IN_NOT_OPEN' });
    expect(deps.enrollments.rows.get('c1')?.checkedInAt).toBeNull();
    expect(published('session-checked-in')).toHaveLength(0);
  });

  it('when a scan names an unknown session or none, then 400 codes and nothing is recorded', async () => {
    const { deps, checkIns } = aClass();
    await expect(
      checkIns.checkIn(officer, { target: { qr: 'c1.ABCDEFGH' }, sessionId: 's-9' }),
    ).rejects.toMatchObject({ code: 'CHECK_IN_SESSION_UNKNOWN', kind: 'invalid_argument' });
    await expect(
      checkIns.checkIn(officer, { target: { qr: 'c1.ABCDEFGH' } }),
    ).rejects.toMatchObject({ code: 'CHECK_IN_SESSION_REQUIRED', kind: 'invalid_argument' });
    expect(deps.enrollments.rows.get('c1')?.checkedInAt).toBeNull();
    expect(deps.enrollments.published).toHaveLength(0);
  });

  it('when a batch holds one session twice, the later scan first, then the session is recorded once at the earliest scan, and again changes nothing', async () => {
    const { deps, checkIns, published } = aClass();
    const early = new Date(NOW.getTime() - 20 * MINUTE);
    const late = new Date(NOW.getTime() - 5 * MINUTE);
    const scans = [
      { target: { qr: 'c1.ABCDEFGH' }, sessionId: 's-1', scannedAt: late },
      { target: { qr: 'c1.ABCDEFGH' }, sessionId: 's-1', scannedAt: early },
    ];
    const results = await checkIns.checkInBatch(officer, scans);
    const again = await checkIns.checkInBatch(officer, scans);

    expect(results.map((r) => r.outcome)).toEqual(['already_checked_in', 'checked_in']);
    expect(again.map((r) => r.outcome)).toEqual(['already_checked_in', 'already_checked_in']);
    expect(deps.enrollments.rows.get('c1')?.sessionCheckIns).toEqual([
      { sessionId: 's-1', at: early },
    ]);
    expect(published('session-checked-in')).toHaveLength(1);
    expect(published('checked-in')).toHaveLength(1);
  });
});

describe('members-only sign-up through the use case', () => {
  const participantOf = (subject: string) => ({
    subject,
    roles: ['participant' as const],
    cityWide: false,
    jurisdictions: [],
    organizations: [],
  });

  it('when a non-member signs up for a members-only class, then ENROLLMENT_NOT_ELIGIBLE lists NOT_A_MEMBER; a member gets a seat', async () => {
    const deps = fakeDeps();
    const join = signUp({
      ...deps,
      enrollments: deps.repository,
      participants: citizensOfT1,
      memberships: membershipsOf({ 'p-ann': ['org-1'], 'p-bob': ['org-2'] }),
      source: sourceOf(
        eventInfo({
          audience: {
            targetTiers: ['ordinary_citizen'],
            areaRootCodes: ['C'],
            pupilAgeBand: null,
            organizationIds: ['org-1'],
          },
        }),
      ),
      codes,
    });

    await expect(
      join(participantOf('bob'), { owner: 'training', eventId: 'a-1' }),
    ).rejects.toMatchObject({
      code: 'ENROLLMENT_NOT_ELIGIBLE',
      details: [expect.objectContaining({ field: 'NOT_A_MEMBER' })],
    });
    const ann = await join(participantOf('ann'), { owner: 'training', eventId: 'a-1' });
    expect(ann.enrollment.status).toBe('confirmed');
  });
});

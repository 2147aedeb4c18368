import { describe, expect, it } from 'vitest';
import {
  assertCheckInOpen,
  checkEligibility,
  membershipRefusal,
  withMembership,
} from '../../../src/domain/enrollment.js';
import {
  assertNoSessionNeeded,
  checkInAtSession,
  sessionOf,
  type SeatedSession,
} from '../../../src/domain/sessions.js';

const MINUTE = 60_000;
const rule = { opensBeforeMinutes: 60, closesAfterMinutes: 120 };
const evening = (sessionId: string, startsAt: string): SeatedSession => ({
  sessionId,
  startsAt: new Date(startsAt),
  endsAt: new Date(new Date(startsAt).getTime() + 90 * MINUTE),
  learningMinutes: 90,
});
const first = evening('s-1', '2025-05-06T11:00:00Z');
const second = evening('s-2', '2025-05-13T11:00:00Z');
const sessions = [first, second];
const confirmed = { status: 'confirmed' as const, checkedInAt: null, attendedAt: null };

describe('which session a scan is for', () => {
  it('when a scan names a session the event lists, then that session is the one judged', () => {
    expect(sessionOf(sessions, 's-2')).toBe(second);
  });

  it('when a scan names a session the event does not list, then CHECK_IN_SESSION_UNKNOWN', () => {
    expect(() => sessionOf(sessions, 's-9')).toThrow(
      expect.objectContaining({ code: 'CHECK_IN_SESSION_UNKNOWN', kind: 'invalid_argument' }),
    );
  });

  it('when a scan names a session of an event that meets once, then CHECK_IN_SESSION_UNKNOWN', () => {
    expect(() => sessionOf([], 's-1')).toThrow(
      expect.objectContaining({ code: 'CHECK_IN_SESSION_UNKNOWN' }),
    );
  });

  it('when a scan names no session, then an event that meets once takes it and one with sessions asks for the session', () => {
    expect(() => {
      assertNoSessionNeeded([]);
    }).not.toThrow();
    expect(() => {
      assertNoSessionNeeded(sessions);
    }).toThrow(expect.objectContaining({ code: 'CHECK_IN_SESSION_REQUIRED' }));
  });
});

describe('the session check-in window', () => {
  it('when a scan falls from 60 minutes before the session to 120 after its end, then it counts, at both edges', () => {
    for (const at of [
      new Date(first.startsAt.getTime() - 60 * MINUTE),
      first.startsAt,
      new Date(first.endsAt.getTime() + 120 * MINUTE),
    ])
      expect(() => {
        assertCheckInOpen(at, first, rule, 'session');
      }).not.toThrow();
  });

  it('when a scan is a minute early for the session, then CHECK_IN_NOT_OPEN names the session, even though another session of the event is under way', () => {
    const early = new Date(second.startsAt.getTime() - 61 * MINUTE);
    expect(() => {
      assertCheckInOpen(early, second, rule, 'session');
    }).toThrow(
      expect.objectContaining({
        code: 'CHECK_IN_NOT_OPEN',
        message: expect.stringContaining('before the session starts') as unknown,
      }),
    );
  });

  it('when a scan is a minute after the session window closed, then CHECK_IN_CLOSED', () => {
    const late = new Date(first.endsAt.getTime() + 121 * MINUTE);
    expect(() => {
      assertCheckInOpen(late, first, rule, 'session');
    }).toThrow(expect.objectContaining({ code: 'CHECK_IN_CLOSED' }));
  });
});

describe('once per session', () => {
  const at = new Date('2025-05-06T11:05:00Z');

  it('when an enrollment never checked in is scanned for a session, then it is checked in at the session and as a whole', () => {
    expect(checkInAtSession({ ...confirmed, sessionCheckIns: [] }, 's-1', at)).toEqual({
      outcome: 'checked_in',
      checkedInAt: at,
      checksInEnrollment: true,
    });
  });

  it('when the same session is scanned again, then the first check-in is reported and nothing changes', () => {
    const earlier = new Date('2025-05-06T10:50:00Z');
    expect(
      checkInAtSession(
        {
          ...confirmed,
          checkedInAt: earlier,
          sessionCheckIns: [{ sessionId: 's-1', at: earlier }],
        },
        's-1',
        at,
      ),
    ).toEqual({ outcome: 'already_checked_in', checkedInAt: earlier });
  });

  it('when another session is scanned after the first, then it records on its own and the enrollment stays checked in as it was', () => {
    const earlier = new Date('2025-05-06T10:50:00Z');
    const later = new Date('2025-05-13T11:00:00Z');
    expect(
      checkInAtSession(
        {
          ...confirmed,
          checkedInAt: earlier,
          sessionCheckIns: [{ sessionId: 's-1', at: earlier }],
        },
        's-2',
        later,
      ),
    ).toEqual({ outcome: 'checked_in', checkedInAt: later, checksInEnrollment: false });
  });

  it('when a waitlisted enrollment is scanned for a session, then ENROLLMENT_NOT_CONFIRMED', () => {
    expect(() =>
      checkInAtSession({ ...confirmed, status: 'waitlisted', sessionCheckIns: [] }, 's-1', at),
    ).toThrow(expect.objectContaining({ code: 'ENROLLMENT_NOT_CONFIRMED' }));
  });
});

describe('members-only audiences', () => {
  it('when the event names no organization, then membership is not asked', () => {
    expect(membershipRefusal([], [])).toBeNull();
  });

  it('when the person is a member of one of the organizations, then nothing is refused', () => {
    expect(membershipRefusal(['org-9', 'org-2'], ['org-1', 'org-2'])).toBeNull();
  });

  it('when the person is a member of none of them, then NOT_A_MEMBER is added to the other refusals', () => {
    const refusal = membershipRefusal(['org-9'], ['org-1']);
    expect(refusal).toMatchObject({ code: 'NOT_A_MEMBER' });
    const outside = checkEligibility(
      { tier: 'ordinary_citizen', jurisdictionPath: ['C', 'T2'], birthDate: null },
      {
        targetTiers: ['ordinary_citizen'],
        areaRootCodes: ['T1'],
        pupilAgeBand: null,
        eventDate: '2025-05-06',
      },
    );
    const combined = withMembership(outside, refusal);
    expect(combined.eligible).toBe(false);
    expect(combined.eligible ? [] : combined.refusals.map((r) => r.code)).toEqual([
      'OUTSIDE_AREA',
      'NOT_A_MEMBER',
    ]);
    expect(withMembership({ eligible: true }, refusal)).toEqual({
      eligible: false,
      refusals: [refusal],
    });
    expect(withMembership({ eligible: true }, null)).toEqual({ eligible: true });
  });
});

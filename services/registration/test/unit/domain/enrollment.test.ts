import { describe, expect, it } from 'vitest';
import {
  allocateSeat,
  assertEventEnded,
  assertCheckInOpen,
  assertScanTime,
  assertSignUpOpen,
  cancel,
  directSeat,
  eventKeyOf,
  firstScans,
  earlierArrivalsSettled,
  freeSeatNumbers,
  movedOutOfArea,
  withinCheckInWindow,
  seatMoves,
  parseQrPayload,
  qrPayloadOf,
  seatTokenOf,
  checkEligibility,
  checkIn,
  promotions,
  recordAttendance,
  withdrawAttendance,
  type Audience,
  type Candidate,
  type EnrollmentState,
  type WaitlistEntry,
} from '../../../src/domain/enrollment.js';
import { refusalOf } from '@learning/testing';

describe('checkEligibility', () => {
  const citizen: Candidate = {
    tier: 'ordinary_citizen',
    jurisdictionPath: ['C', 'T1', 'V1'],
    birthDate: '1980-05-05',
  };
  const pupil: Candidate = {
    tier: 'pupil',
    jurisdictionPath: ['C', 'T1', 'V1'],
    birthDate: '2015-08-15',
  };
  const townshipEvent: Audience = {
    targetTiers: ['ordinary_citizen', 'pupil'],
    areaRootCodes: ['T1'],
    pupilAgeBand: null,
    eventDate: '2025-08-14',
  };
  const pupilsAged10To12: Audience = { ...townshipEvent, pupilAgeBand: { min: 10, max: 12 } };

  it('when tier and area match and no age band applies, then the person is eligible', () => {
    expect(checkEligibility(citizen, townshipEvent)).toEqual({ eligible: true });
    expect(checkEligibility(pupil, townshipEvent)).toEqual({ eligible: true });
  });

  it('when the event names the city as its area, then anyone in the city is within it', () => {
    expect(checkEligibility(citizen, { ...townshipEvent, areaRootCodes: ['C'] })).toEqual({
      eligible: true,
    });
  });

  it('when the tier is not targeted, then the refusal says so', () => {
    expect(checkEligibility({ ...citizen, tier: 'leading_cadre' }, townshipEvent)).toEqual({
      eligible: false,
      refusals: [{ code: 'TIER_NOT_TARGETED', reason: 'This event is not open to your group.' }],
    });
  });

  it('when the person lives in another township, then the refusal says so', () => {
    const result = checkEligibility(
      { ...citizen, jurisdictionPath: ['C', 'T2', 'V7'] },
      townshipEvent,
    );
    expect(result).toEqual({
      eligible: false,
      refusals: [{ code: 'OUTSIDE_AREA', reason: 'This event is for residents of another area.' }],
    });
  });

  it('when the lists of tiers and areas are empty, then nobody is eligible', () => {
    const result = checkEligibility(citizen, {
      ...townshipEvent,
      targetTiers: [],
      areaRootCodes: [],
    });
    expect(result.eligible ? [] : result.refusals.map((r) => r.code)).toEqual([
      'TIER_NOT_TARGETED',
      'OUTSIDE_AREA',
    ]);
  });

  it('when a pupil turns 10 the day after the event, then they are too young for a 10–12 band', () => {
    expect(checkEligibility(pupil, pupilsAged10To12)).toEqual({
      eligible: false,
      refusals: [
        { code: 'AGE_OUTSIDE_BAND', reason: 'This event is for pupils aged 10 to 12 on the day.' },
      ],
    });
  });

  it('when a pupil is exactly the lower or upper age on the event date, then they are eligible', () => {
    expect(checkEligibility(pupil, { ...pupilsAged10To12, eventDate: '2025-08-15' })).toEqual({
      eligible: true,
    });
    expect(checkEligibility(pupil, { ...pupilsAged10To12, eventDate: '2028-08-14' })).toEqual({
      eligible: true,
    });
  });

  it('when a pupil has turned 13 by the event date, then they are too old', () => {
    const result = checkEligibility(pupil, { ...pupilsAged10To12, eventDate: '2028-08-15' });
    expect(result.eligible ? [] : result.refusals.map((r) => r.code)).toEqual(['AGE_OUTSIDE_BAND']);
  });

  it('when a pupil’s birth date is unknown and a band applies, then the refusal asks for it', () => {
    const result = checkEligibility({ ...pupil, birthDate: null }, pupilsAged10To12);
    expect(result.eligible ? [] : result.refusals.map((r) => r.code)).toEqual([
      'BIRTH_DATE_UNKNOWN',
    ]);
  });

  it('when an adult is targeted by an event with a pupil band, then the band does not apply to them', () => {
    expect(checkEligibility(citizen, pupilsAged10To12)).toEqual({ eligible: true });
  });

  it('when several rules fail, then every refusal is reported in rule order', () => {
    const result = checkEligibility(
      { ...pupil, jurisdictionPath: ['C', 'T2'] },
      { ...pupilsAged10To12, targetTiers: ['ordinary_citizen'] },
    );
    expect(result.eligible ? [] : result.refusals.map((r) => r.code)).toEqual([
      'TIER_NOT_TARGETED',
      'OUTSIDE_AREA',
      'AGE_OUTSIDE_BAND',
    ]);
  });
});

describe('allocateSeat', () => {
  it('when a seat is free and nobody waits, then the sign-up is confirmed', () => {
    expect(allocateSeat(500, 499, 0)).toEqual({ status: 'confirmed' });
  });

  it('when the last seat is taken, then the sign-up is waitlisted first', () => {
    expect(allocateSeat(500, 500, 0)).toEqual({ status: 'waitlisted', position: 1 });
  });

  it('when others already wait, then the sign-up joins the end even if a seat is momentarily free', () => {
    expect(allocateSeat(500, 499, 3)).toEqual({ status: 'waitlisted', position: 4 });
  });

  it('when capacity was lowered below the confirmed count, then the sign-up is waitlisted', () => {
    expect(allocateSeat(10, 12, 0)).toEqual({ status: 'waitlisted', position: 1 });
  });

  it('when capacity is zero, then everyone is waitlisted', () => {
    expect(allocateSeat(0, 0, 0)).toEqual({ status: 'waitlisted', position: 1 });
  });

  it('when capacity is unlimited, then every sign-up is confirmed', () => {
    expect(allocateSeat('unlimited', 1_000_000, 0)).toEqual({ status: 'confirmed' });
  });

  it('when capacity is negative or fractional, then it is refused', () => {
    for (const capacity of [-1, 2.5, Number.NaN]) {
      expect(refusalOf(() => allocateSeat(capacity, 0, 0)).code).toBe(
        'ENROLLMENT_INVALID_CAPACITY',
      );
    }
  });
});

describe('promotions', () => {
  const at = (iso: string) => new Date(`2025-04-01T${iso}Z`);
  const waitlist: WaitlistEntry[] = [
    { id: 'e-3', waitlistedAt: at('10:00:02') },
    { id: 'e-2', waitlistedAt: at('10:00:01') },
    { id: 'e-b', waitlistedAt: at('10:00:00') },
    { id: 'e-a', waitlistedAt: at('10:00:00') },
  ];

  it('when one seat frees, then the earliest entry is promoted, ties broken by id', () => {
    expect(promotions(10, 9, waitlist).map((e) => e.id)).toEqual(['e-a']);
  });

  it('when several seats free, then that many are promoted strictly in order', () => {
    expect(promotions(10, 7, waitlist).map((e) => e.id)).toEqual(['e-a', 'e-b', 'e-2']);
  });

  it('when more seats free than people wait, then everyone is promoted', () => {
    expect(promotions(10, 0, waitlist).map((e) => e.id)).toEqual(['e-a', 'e-b', 'e-2', 'e-3']);
    expect(promotions('unlimited', 50, waitlist)).toHaveLength(4);
  });

  it('when no seat is free, then nobody is promoted', () => {
    expect(promotions(10, 10, waitlist)).toEqual([]);
    expect(promotions(10, 11, waitlist)).toEqual([]);
  });

  it('when promoting, then the caller’s list is left in its order and extra fields come back', () => {
    const entries = waitlist.map((e) => ({ ...e, participantId: `p-${e.id}` }));
    const promoted = promotions(10, 9, entries);
    expect(promoted[0]?.participantId).toBe('p-e-a');
    expect(entries.map((e) => e.id)).toEqual(['e-3', 'e-2', 'e-b', 'e-a']);
  });
});

const confirmed: EnrollmentState = { status: 'confirmed', checkedInAt: null, attendedAt: null };
const scannedAt = new Date('2025-04-12T01:00:00Z');
const eventEndsAt = new Date('2025-04-12T04:00:00Z');

describe('cancel', () => {
  it('when a confirmed seat is cancelled, then a seat is freed', () => {
    expect(cancel(confirmed)).toEqual({ changed: true, freesSeat: true });
  });

  it('when a waitlisted enrollment is cancelled, then no seat is freed', () => {
    expect(cancel({ ...confirmed, status: 'waitlisted' })).toEqual({
      changed: true,
      freesSeat: false,
    });
  });

  it('when an enrollment is cancelled again, then nothing changes', () => {
    expect(cancel({ ...confirmed, status: 'cancelled' })).toEqual({
      changed: false,
      freesSeat: false,
    });
  });

  it('when the person has already checked in, then cancelling is refused', () => {
    expect(refusalOf(() => cancel({ ...confirmed, checkedInAt: scannedAt })).code).toBe(
      'ENROLLMENT_CANCEL_AFTER_CHECK_IN',
    );
  });
});

describe('checkIn', () => {
  it('when a confirmed enrollment is scanned, then it is checked in at the scan time', () => {
    expect(checkIn(confirmed, scannedAt)).toEqual({
      outcome: 'checked_in',
      checkedInAt: scannedAt,
    });
  });

  it('when the same code is scanned again later, then it reports the first check-in and changes nothing', () => {
    const later = new Date('2025-04-12T01:05:00Z');
    expect(checkIn({ ...confirmed, checkedInAt: scannedAt }, later)).toEqual({
      outcome: 'already_checked_in',
      checkedInAt: scannedAt,
    });
  });

  it('when the enrollment is waitlisted or cancelled, then check-in is refused', () => {
    for (const status of ['waitlisted', 'cancelled'] as const) {
      const error = refusalOf(() => checkIn({ ...confirmed, status }, scannedAt));
      expect(error.code).toBe('ENROLLMENT_NOT_CONFIRMED');
      expect(error.message).toBe(`Only a confirmed seat counts; this enrollment is ${status}.`);
    }
  });
});

describe('recordAttendance', () => {
  const checkedIn: EnrollmentState = { ...confirmed, checkedInAt: scannedAt };
  const duringEvent = new Date('2025-04-12T02:00:00Z');

  it('when the person checked in, then attendance is recorded from the check-in', () => {
    expect(recordAttendance(checkedIn, { by: 'check_in' }, duringEvent)).toEqual({
      outcome: 'recorded',
      attendedAt: duringEvent,
    });
  });

  it('when the person never checked in, then attendance from check-in is refused', () => {
    expect(refusalOf(() => recordAttendance(confirmed, { by: 'check_in' }, eventEndsAt)).code).toBe(
      'ENROLLMENT_NOT_CHECKED_IN',
    );
  });

  it('when an officer confirms at or after the end, then attendance is recorded without a check-in', () => {
    expect(recordAttendance(confirmed, { by: 'officer', eventEndsAt }, eventEndsAt)).toEqual({
      outcome: 'recorded',
      attendedAt: eventEndsAt,
    });
  });

  it('when an officer confirms before the event ends, then it is refused', () => {
    expect(
      refusalOf(() => recordAttendance(confirmed, { by: 'officer', eventEndsAt }, duringEvent))
        .code,
    ).toBe('ENROLLMENT_EVENT_NOT_ENDED');
  });

  it('when attendance is already recorded, then a second record changes nothing', () => {
    const attended: EnrollmentState = { ...checkedIn, attendedAt: duringEvent };
    expect(recordAttendance(attended, { by: 'officer', eventEndsAt }, eventEndsAt)).toEqual({
      outcome: 'already_recorded',
      attendedAt: duringEvent,
    });
  });

  it('when the enrollment is not confirmed, then attendance is refused', () => {
    expect(
      refusalOf(() =>
        recordAttendance(
          { ...confirmed, status: 'waitlisted' },
          { by: 'officer', eventEndsAt },
          eventEndsAt,
        ),
      ).code,
    ).toBe('ENROLLMENT_NOT_CONFIRMED');
  });
});

describe('sign-up window and event end', () => {
  const window = {
    opensAt: new Date('2025-04-01T00:00:00Z'),
    closesAt: new Date('2025-04-10T00:00:00Z'),
  };

  it('when now is inside the window, including its opening instant, then sign-up is open', () => {
    expect(() => {
      assertSignUpOpen(window, window.opensAt);
    }).not.toThrow();
    expect(() => {
      assertSignUpOpen(window, new Date('2025-04-05T00:00:00Z'));
    }).not.toThrow();
  });

  it('when now is before the opening or at the closing instant, then ENROLLMENT_WINDOW_CLOSED', () => {
    for (const now of [new Date('2025-03-31T23:59:59Z'), window.closesAt]) {
      expect(
        refusalOf(() => {
          assertSignUpOpen(window, now);
        }).code,
      ).toBe('ENROLLMENT_WINDOW_CLOSED');
    }
  });

  it('when the event has not ended, then attendance is refused; at its end it is allowed', () => {
    expect(
      refusalOf(() => {
        assertEventEnded(eventEndsAt, scannedAt);
      }).code,
    ).toBe('ENROLLMENT_EVENT_NOT_ENDED');
    expect(() => {
      assertEventEnded(eventEndsAt, eventEndsAt);
    }).not.toThrow();
  });
});

describe('seats', () => {
  it('when arrivals fit the seats open at the start, then each takes the seat of its arrival number', () => {
    expect(directSeat(1, 50, 50)).toBe(1);
    expect(directSeat(50, 50, 50)).toBe(50);
  });

  it('when an arrival is past the seats, or direct seating was closed by a capacity change, then it waits', () => {
    expect(directSeat(51, 50, 50)).toBeNull();
    expect(directSeat(3, 50, 0)).toBeNull();
    expect(directSeat(40, 30, 50)).toBeNull();
  });

  it('when capacity is unlimited, then nobody holds a numbered seat', () => {
    expect(directSeat(1, 'unlimited', 0)).toBeNull();
    expect(freeSeatNumbers('unlimited', 0, new Set(), 5)).toEqual([]);
  });

  it('when seats are freed, then the lowest free numbers are offered, no more than the room left', () => {
    expect(freeSeatNumbers(5, 3, new Set([1, 3, 4]), 10)).toEqual([2, 5]);
    expect(freeSeatNumbers(5, 3, new Set([1, 3, 4]), 1)).toEqual([2]);
    expect(freeSeatNumbers(5, 5, new Set([1, 2, 3, 4, 5]), 10)).toEqual([]);
  });

  it('when capacity was lowered under the confirmed count, then no freed number is offered until enough leave', () => {
    // 6 confirmed on seats 1..6, capacity now 4, seat 2 freed: still 5 confirmed > 4.
    expect(freeSeatNumbers(4, 5, new Set([1, 3, 4, 5, 6]), 10)).toEqual([]);
  });

  it('when seats above a lowered capacity are held, then nothing is offered and they move down into the lowest free seats first', () => {
    // Capacity now 4; seats 5 and 6 held, 1 and 3 free: 4 confirmed, so there would be room by count.
    expect(freeSeatNumbers(4, 4, new Set([2, 4, 5, 6]), 10)).toEqual([]);
    expect(seatMoves(4, new Set([2, 4, 5, 6]))).toEqual([
      { from: 6, to: 1 },
      { from: 5, to: 3 },
    ]);
    // More held above than free below: only as many move as fit.
    expect(seatMoves(2, new Set([1, 3, 4]))).toEqual([{ from: 4, to: 2 }]);
    expect(seatMoves(4, new Set([1, 2]))).toEqual([]);
    expect(seatMoves('unlimited', new Set([7]))).toEqual([]);
  });

  it('when an earlier arrival number is neither stored nor given up, then a later one is not yet in turn', () => {
    expect(earlierArrivalsSettled(5, 4, [])).toBe(true);
    expect(earlierArrivalsSettled(5, 3, [])).toBe(false);
    expect(earlierArrivalsSettled(5, 3, [2])).toBe(true);
    // A number given up after this one does not count for it.
    expect(earlierArrivalsSettled(5, 3, [7])).toBe(false);
    expect(earlierArrivalsSettled(1, 0, [])).toBe(true);
  });

  it('when a scan falls exactly on either edge of the check-in window, then it counts; a millisecond outside, it is refused', () => {
    const times = {
      startsAt: new Date('2025-05-01T02:00:00Z'),
      endsAt: new Date('2025-05-01T04:00:00Z'),
    };
    const rule = { opensBeforeMinutes: 60, closesAfterMinutes: 120 };
    const opens = new Date('2025-05-01T01:00:00Z');
    const closes = new Date('2025-05-01T06:00:00Z');
    expect(withinCheckInWindow(opens, times, rule)).toBe(true);
    expect(withinCheckInWindow(closes, times, rule)).toBe(true);
    expect(() => {
      assertCheckInOpen(new Date(opens.getTime() - 1), times, rule);
    }).toThrow(expect.objectContaining({ code: 'CHECK_IN_NOT_OPEN' }) as Error);
    expect(() => {
      assertCheckInOpen(new Date(closes.getTime() + 1), times, rule);
    }).toThrow(expect.objectContaining({ code: 'CHECK_IN_CLOSED' }) as Error);
  });

  it('when a home moves, then only a home outside every root of the event’s area is out', () => {
    expect(movedOutOfArea(['C', 'T2', 'V1'], { areaRootCodes: ['T1'] })).toBe(true);
    expect(movedOutOfArea(['C', 'T1', 'V1'], { areaRootCodes: ['T2', 'T1'] })).toBe(false);
    expect(movedOutOfArea(['C', 'T2'], { areaRootCodes: ['C'] })).toBe(false);
  });

  it('when seat tokens are made, then they name the event and the number', () => {
    expect(seatTokenOf(eventKeyOf('activities', 'a-1'), 7)).toBe('activities:a-1#7');
  });
});

describe('QR payloads', () => {
  it('when a payload is built and parsed, then the content comes back with its signature', () => {
    const payload = qrPayloadOf({ enrollmentId: 'e_1', code: 'ABCDEFGH' }, 'S'.repeat(22));
    expect(payload).toBe(`LSQ1.e_1.ABCDEFGH.${'S'.repeat(22)}`);
    expect(parseQrPayload(payload)).toEqual({
      content: { enrollmentId: 'e_1', code: 'ABCDEFGH' },
      signature: 'S'.repeat(22),
    });
  });

  it('when a payload is not one of ours, then it does not parse', () => {
    for (const payload of [
      'hello',
      `LSQ2.e_1.ABCDEFGH.${'S'.repeat(22)}`,
      `LSQ1.e_1.ABCDEFG0.${'S'.repeat(22)}`,
      'LSQ1.e_1.ABCDEFGH.short',
      `LSQ1.e.1.ABCDEFGH.${'S'.repeat(22)}`,
    ]) {
      expect(parseQrPayload(payload)).toBeNull();
    }
  });
});

describe('scans', () => {
  it('when a scan is more than the allowed skew in the future, then it is refused', () => {
    const now = new Date('2025-04-12T01:00:00Z');
    expect(
      refusalOf(() => {
        assertScanTime(new Date(now.getTime() + 6 * 60_000), now);
      }).code,
    ).toBe('CHECK_IN_SCAN_IN_FUTURE');
    expect(() => {
      assertScanTime(new Date(now.getTime() + 60_000), now);
    }).not.toThrow();
  });

  it('when a batch holds the same person twice, then the earliest scan applies and the other repeats it', () => {
    const at = (m: number) => new Date(Date.UTC(2025, 3, 12, 1, m));
    const { first, repeatOf } = firstScans([
      { target: 'e-1', scannedAt: at(5) },
      { target: 'e-2', scannedAt: at(1) },
      { target: 'e-1', scannedAt: at(2) },
      { target: 'e-1', scannedAt: at(9) },
    ]);
    expect([...first.entries()]).toEqual([
      ['e-1', 2],
      ['e-2', 1],
    ]);
    expect([...repeatOf.entries()]).toEqual([
      [0, 2],
      [3, 2],
    ]);
  });
});

describe('withdrawAttendance', () => {
  const attendedAt = new Date('2025-04-12T04:30:00Z');
  const now = new Date('2025-04-13T09:00:00Z');
  const attended = {
    ...confirmed,
    checkedInAt: scannedAt,
    attendedAt,
    attendanceWithdrawnAt: null,
  };

  it('when attendance is recorded, then it is withdrawn now, naming when it had been recorded', () => {
    expect(withdrawAttendance(attended, now)).toEqual({
      outcome: 'withdrawn',
      attendedAt,
      withdrawnAt: now,
    });
  });

  it('when it was withdrawn already, then withdrawing again answers the first withdrawal', () => {
    const first = new Date('2025-04-12T20:00:00Z');
    expect(
      withdrawAttendance({ ...attended, attendedAt: null, attendanceWithdrawnAt: first }, now),
    ).toEqual({ outcome: 'already_withdrawn', withdrawnAt: first });
  });

  it('when attendance was recorded again after a withdrawal, then that attendance is withdrawn', () => {
    const first = new Date('2025-04-12T20:00:00Z');
    expect(withdrawAttendance({ ...attended, attendanceWithdrawnAt: first }, now).outcome).toBe(
      'withdrawn',
    );
  });

  it('when attendance was never recorded, then there is nothing to withdraw', () => {
    expect(
      refusalOf(() =>
        withdrawAttendance({ ...attended, attendedAt: null, attendanceWithdrawnAt: null }, now),
      ).code,
    ).toBe('ENROLLMENT_NOT_ATTENDED');
  });
});

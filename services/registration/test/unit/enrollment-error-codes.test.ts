import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  attendanceIdsRequired,
  checkInCodeUnknown,
  checkInFailed,
  checkInQrInvalid,
  checkInTargetMissing,
  enrollmentConflict,
  enrollmentErrors,
  enrollmentNotFound,
  eventCancelled,
  notEligible,
  participantIdRequired,
  participantNotRegistered,
  seatedEventInvalid,
  seatedEventNotFound,
  seatedEventRefInvalid,
  tooManyEvents,
} from '../../src/application/enrollments/errors.js';
import {
  allocateSeat,
  assertCheckInOpen,
  assertEventEnded,
  assertScanTime,
  assertSignUpOpen,
  cancel,
  checkIn,
  recordAttendance,
  withdrawAttendance,
} from '../../src/domain/enrollment.js';
import { assertNoSessionNeeded, sessionOf } from '../../src/domain/sessions.js';
import { appRefusalOf } from './error-code-checks.js';

const now = new Date('2026-05-01T10:00:00Z');
const later = new Date('2026-05-01T12:00:00Z');
const rule = { opensBeforeMinutes: 60, closesAfterMinutes: 120 };

const thrown = [
  enrollmentNotFound(),
  seatedEventNotFound(),
  seatedEventInvalid(),
  seatedEventRefInvalid(),
  participantIdRequired(),
  tooManyEvents(100),
  participantNotRegistered(),
  eventCancelled(),
  notEligible([{ code: 'OUTSIDE_AREA', reason: 'This event is for residents of another area.' }]),
  enrollmentConflict(),
  checkInCodeUnknown(),
  checkInQrInvalid(),
  checkInTargetMissing(),
  checkInFailed(),
  attendanceIdsRequired(),
];

const refusedByDomain = () => [
  appRefusalOf(() => allocateSeat(-1, 0, 0)),
  appRefusalOf(() => cancel({ status: 'confirmed', checkedInAt: now, attendedAt: null })),
  appRefusalOf(() => checkIn({ status: 'waitlisted', checkedInAt: null, attendedAt: null }, now)),
  appRefusalOf(() =>
    recordAttendance(
      { status: 'confirmed', checkedInAt: null, attendedAt: null },
      { by: 'check_in' },
      now,
    ),
  ),
  appRefusalOf(() =>
    withdrawAttendance(
      { status: 'confirmed', checkedInAt: now, attendedAt: null, attendanceWithdrawnAt: null },
      now,
    ),
  ),
  appRefusalOf(() => {
    assertEventEnded(later, now);
  }),
  appRefusalOf(() => {
    assertSignUpOpen({ opensAt: later, closesAt: later }, now);
  }),
  appRefusalOf(() => {
    assertScanTime(later, now);
  }),
  appRefusalOf(() => {
    assertCheckInOpen(now, { startsAt: new Date('2026-05-02T10:00:00Z'), endsAt: later }, rule);
  }),
  appRefusalOf(() => {
    assertCheckInOpen(later, { startsAt: now, endsAt: now }, { ...rule, closesAfterMinutes: 1 });
  }),
  appRefusalOf(() => sessionOf([], 's-1')),
  appRefusalOf(() => {
    assertNoSessionNeeded([
      { sessionId: 's-1', startsAt: now, endsAt: later, learningMinutes: 120 },
    ]);
  }),
];

describe('the enrollment error codes', () => {
  it('when the README is read, then its enrollment error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(enrollmentErrors.tableProblems(readme, 'enrollment-errors')).toEqual([]);
  });

  it('when the slice or its domain rules refuse, then each error has the status its catalogue entry gives', () => {
    expect(enrollmentErrors.problemsOf([...thrown, ...refusedByDomain()])).toEqual([]);
  });

  it('when the slice and its domain rules refuse, then every code of the catalogue is one of them', () => {
    const codes = new Set([...thrown, ...refusedByDomain()].map((error) => error.code));

    expect(enrollmentErrors.codes.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => enrollmentErrors.with(platformErrors)).not.toThrow();
  });
});

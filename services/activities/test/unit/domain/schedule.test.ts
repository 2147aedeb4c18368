import { describe, expect, it } from 'vitest';
import {
  assertNotInPast,
  endOf,
  hasEnded,
  isUnderWay,
  learningMinutesOf,
  MAX_SESSIONS,
  sameSchedule,
  SCHEDULE_EMPTY,
  SCHEDULE_ENDS_BEFORE_START,
  SCHEDULE_IN_PAST,
  SCHEDULE_INVALID_INSTANT,
  SCHEDULE_SESSIONS_OVERLAP,
  SCHEDULE_TOO_MANY_SESSIONS,
  sessionAt,
  shiftSchedule,
  startOf,
  validateSchedule,
  type Schedule,
  type Session,
} from '../../../src/domain/schedule.js';
import { refusalOf } from '@learning/testing';

const at = (iso: string) => new Date(iso);
const session = (start: string, end: string): Session => ({ start: at(start), end: at(end) });
const single: Schedule = {
  kind: 'single',
  session: session('2026-04-10T11:00:00Z', '2026-04-10T13:00:00Z'),
};
const series: Schedule = {
  kind: 'series',
  sessions: [
    session('2026-04-17T11:00:00Z', '2026-04-17T13:00:00Z'),
    session('2026-04-10T11:00:00Z', '2026-04-10T13:00:00Z'),
  ],
};

describe('validateSchedule', () => {
  it('when a single session ends before it starts, then it is refused', () => {
    const error = refusalOf(() =>
      validateSchedule({
        kind: 'single',
        session: session('2026-04-10T13:00:00Z', '2026-04-10T11:00:00Z'),
      }),
    );
    expect(error.code).toBe(SCHEDULE_ENDS_BEFORE_START);
    expect(error.kind).toBe('invalid_argument');
  });

  it('when a session ends exactly when it starts, then it is refused', () => {
    expect(
      refusalOf(() =>
        validateSchedule({
          kind: 'single',
          session: session('2026-04-10T11:00:00Z', '2026-04-10T11:00:00Z'),
        }),
      ).code,
    ).toBe(SCHEDULE_ENDS_BEFORE_START);
  });

  it('when a date is not a date, then it is refused', () => {
    expect(
      refusalOf(() =>
        validateSchedule({
          kind: 'single',
          session: { start: new Date('x'), end: at('2026-01-01') },
        }),
      ).code,
    ).toBe(SCHEDULE_INVALID_INSTANT);
  });

  it('when a series has no dates, then it is refused', () => {
    expect(refusalOf(() => validateSchedule({ kind: 'series', sessions: [] })).code).toBe(
      SCHEDULE_EMPTY,
    );
  });

  it('when one date of a series ends before it starts, then the series is refused', () => {
    const error = refusalOf(() =>
      validateSchedule({
        kind: 'series',
        sessions: [
          session('2026-04-10T11:00:00Z', '2026-04-10T13:00:00Z'),
          session('2026-04-17T13:00:00Z', '2026-04-17T11:00:00Z'),
        ],
      }),
    );
    expect(error.code).toBe(SCHEDULE_ENDS_BEFORE_START);
    expect(error.message).toContain('Date 2');
  });

  it('when two dates of a series overlap, then it is refused', () => {
    expect(
      refusalOf(() =>
        validateSchedule({
          kind: 'series',
          sessions: [
            session('2026-04-10T11:00:00Z', '2026-04-10T13:00:00Z'),
            session('2026-04-10T12:00:00Z', '2026-04-10T14:00:00Z'),
          ],
        }),
      ).code,
    ).toBe(SCHEDULE_SESSIONS_OVERLAP);
  });

  it('when one session starts exactly as the previous ends, then the series is accepted', () => {
    expect(() =>
      validateSchedule({
        kind: 'series',
        sessions: [
          session('2026-04-10T11:00:00Z', '2026-04-10T13:00:00Z'),
          session('2026-04-10T13:00:00Z', '2026-04-10T14:00:00Z'),
        ],
      }),
    ).not.toThrow();
  });

  it('when a series has more dates than a year of days, then it is refused', () => {
    const sessions = Array.from({ length: MAX_SESSIONS + 1 }, (_, i) => ({
      start: new Date(Date.UTC(2026, 0, 1 + i, 10)),
      end: new Date(Date.UTC(2026, 0, 1 + i, 11)),
    }));
    expect(refusalOf(() => validateSchedule({ kind: 'series', sessions })).code).toBe(
      SCHEDULE_TOO_MANY_SESSIONS,
    );
  });

  it('when a series is given out of order, then it comes back sorted by start', () => {
    const valid = validateSchedule(series);
    expect(valid.kind === 'series' && valid.sessions.map((s) => s.start.toISOString())).toEqual([
      '2026-04-10T11:00:00.000Z',
      '2026-04-17T11:00:00.000Z',
    ]);
  });
});

describe('start, end, under way and ended', () => {
  it('when a series is given, then it starts with its first date and ends with its last', () => {
    expect(startOf(series).toISOString()).toBe('2026-04-10T11:00:00.000Z');
    expect(endOf(series).toISOString()).toBe('2026-04-17T13:00:00.000Z');
  });

  it('when the instant is before the start, then it is neither under way nor ended', () => {
    expect(isUnderWay(single, at('2026-04-10T10:59:59Z'))).toBe(false);
    expect(hasEnded(single, at('2026-04-10T10:59:59Z'))).toBe(false);
  });

  it('when the instant is the start, then it is under way', () => {
    expect(isUnderWay(single, at('2026-04-10T11:00:00Z'))).toBe(true);
  });

  it('when the instant is the end, then it has ended and is no longer under way', () => {
    expect(hasEnded(single, at('2026-04-10T13:00:00Z'))).toBe(true);
    expect(isUnderWay(single, at('2026-04-10T13:00:00Z'))).toBe(false);
  });

  it('when the instant falls between two dates of a series, then the series is still under way but no session runs', () => {
    const between = at('2026-04-14T00:00:00Z');
    expect(isUnderWay(series, between)).toBe(true);
    expect(hasEnded(series, between)).toBe(false);
    expect(sessionAt(series, between)).toBeUndefined();
    expect(sessionAt(series, at('2026-04-17T12:00:00Z'))?.start.toISOString()).toBe(
      '2026-04-17T11:00:00.000Z',
    );
  });
});

describe('learningMinutesOf', () => {
  it('when the schedule is a single session, then its minutes are the session length', () => {
    expect(learningMinutesOf(single)).toBe(120);
  });

  it('when the schedule is a series, then every session counts and the gaps between them do not', () => {
    expect(learningMinutesOf(series)).toBe(240);
    const uneven: Schedule = {
      kind: 'series',
      sessions: [
        session('2026-04-10T11:00:00Z', '2026-04-10T11:45:00Z'),
        session('2026-04-10T11:45:00Z', '2026-04-10T13:15:00Z'),
        session('2026-05-01T01:00:00Z', '2026-05-01T01:20:00Z'),
      ],
    };
    expect(learningMinutesOf(uneven)).toBe(45 + 90 + 20);
  });

  it('when sessions hold part-minutes, then only whole minutes of their total are credited', () => {
    const seconds: Schedule = {
      kind: 'series',
      sessions: [
        session('2026-04-10T11:00:00Z', '2026-04-10T11:10:40Z'),
        session('2026-04-11T11:00:00Z', '2026-04-11T11:10:40Z'),
      ],
    };
    expect(learningMinutesOf(seconds)).toBe(21);
  });
});

describe('assertNotInPast, shiftSchedule, sameSchedule', () => {
  it('when the schedule starts before now, then it is refused as in the past', () => {
    expect(
      refusalOf(() => {
        assertNotInPast(single, at('2026-04-10T11:00:01Z'));
      }).code,
    ).toBe(SCHEDULE_IN_PAST);
  });

  it('when the schedule starts now or later, then it is accepted', () => {
    expect(() => {
      assertNotInPast(single, at('2026-04-10T11:00:00Z'));
    }).not.toThrow();
  });

  it('when a schedule is shifted, then every date moves by the same amount', () => {
    const week = 7 * 24 * 3600 * 1000;
    const shifted = shiftSchedule(series, week);
    expect(startOf(shifted).toISOString()).toBe('2026-04-17T11:00:00.000Z');
    expect(endOf(shifted).toISOString()).toBe('2026-04-24T13:00:00.000Z');
  });

  it('when two series hold the same dates in another order, then they are the same schedule', () => {
    expect(sameSchedule(series, validateSchedule(series))).toBe(true);
    expect(sameSchedule(series, single)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  ageOn,
  CALENDAR_DATE_INVALID,
  chinaDateOf,
  chinaMidnight,
  chinaYearOf,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  partsOf,
} from '../../src/index.js';

describe('China time', () => {
  it('when it is 16:00 UTC, then it is already the next day in China', () => {
    expect(chinaDateOf(new Date('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
    expect(chinaDateOf(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
  });

  it('when it is New Year’s Eve evening UTC, then the Chinese year has turned', () => {
    expect(chinaYearOf(new Date('2025-12-31T16:30:00Z'))).toBe(2026);
  });

  it('when a China day begins, then the instant is 16:00 UTC the day before', () => {
    expect(chinaMidnight('2026-04-01').toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });

  it('when a date is not real, then it is refused', () => {
    for (const date of ['2026-02-30', '2026-4-1'])
      expect(() => partsOf(date)).toThrow(
        expect.objectContaining({ name: 'DomainError', code: CALENDAR_DATE_INVALID }),
      );
  });

  it('when China days follow each other, then each is DAY_MS long: 24 hours of 60 minutes', () => {
    for (const date of ['2026-03-08', '2026-10-25', '2028-02-28'])
      expect(chinaMidnight(addDays(date, 1)).getTime() - chinaMidnight(date).getTime()).toBe(
        DAY_MS,
      );
    expect(DAY_MS).toBe(24 * HOUR_MS);
    expect(HOUR_MS).toBe(60 * MINUTE_MS);
    expect(MINUTE_MS).toBe(60 * 1000);
  });

  it('when days are added across a month end, then the date rolls over', () => {
    expect(addDays('2026-04-30', 1)).toBe('2026-05-01');
  });

  it('when 29 February moves to a year without one, then it becomes 28 February', () => {
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2026-04-01', 1)).toBe('2027-04-01');
  });

  it('when the birthday has not come yet this year, then the age is one less', () => {
    expect(ageOn('2015-08-15', '2025-08-14')).toBe(9);
    expect(ageOn('2015-08-15', '2025-08-15')).toBe(10);
  });
});

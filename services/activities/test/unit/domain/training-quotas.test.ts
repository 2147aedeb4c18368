import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  assertQuotasCoverTrained,
  BEHIND_THRESHOLD,
  elapsedFractionOfYear,
  forecastAtPace,
  paceOf,
  PROGRAMME_QUOTA_BELOW_TRAINED,
  PROGRAMME_QUOTA_DUPLICATE,
  PROGRAMME_QUOTA_INVALID,
  quotaShortfalls,
  validateYearQuotas,
} from '../../../src/domain/training-quotas.js';

const T1 = '330281001000';
const T2 = '330281002000';

/** An instant in the city's time (UTC+8). */
const chinaTime = (iso: string): Date => new Date(`${iso}+08:00`);

describe('the elapsed fraction of a programme year', () => {
  it('when the year has not begun in China time, then none of it has passed', () => {
    expect(elapsedFractionOfYear(2026, chinaTime('2025-12-31T23:59:59'))).toBe(0);
  });

  it('when the year begins at midnight China time, then 0 passed, though UTC is still in the old year', () => {
    expect(elapsedFractionOfYear(2026, new Date('2025-12-31T16:00:00Z'))).toBe(0);
    expect(elapsedFractionOfYear(2026, new Date('2025-12-31T16:00:01Z'))).toBeGreaterThan(0);
  });

  it('when half the days have passed, then the fraction is their share of the year', () => {
    // 2026 has 365 days; 1 July 00:00 is after 181 of them.
    expect(elapsedFractionOfYear(2026, chinaTime('2026-07-01T00:00:00'))).toBeCloseTo(181 / 365, 9);
    // 2028 is a leap year: 182 of 366.
    expect(elapsedFractionOfYear(2028, chinaTime('2028-07-01T00:00:00'))).toBeCloseTo(182 / 366, 9);
  });

  it('when the year is over, then all of it has passed', () => {
    expect(elapsedFractionOfYear(2026, chinaTime('2027-01-01T00:00:00'))).toBe(1);
    expect(elapsedFractionOfYear(2026, chinaTime('2030-05-01T00:00:00'))).toBe(1);
  });
});

describe('the pace against a quota', () => {
  it('when a quarter of the year has passed, then a quarter of the quota is expected by now', () => {
    expect(paceOf(30, 100, 0.25).expectedByNow).toBe(25);
    expect(paceOf(30, 333, 0.5).expectedByNow).toBe(167);
  });

  it('when trained is below the threshold share of what is expected, then the township is behind', () => {
    // Expected 50; the threshold 0.8 makes 40 the line.
    expect(BEHIND_THRESHOLD).toBe(0.8);
    expect(paceOf(39, 100, 0.5).behind).toBe(true);
    expect(paceOf(40, 100, 0.5).behind).toBe(false);
    expect(paceOf(45, 100, 0.5, 0.95).behind).toBe(true);
  });

  it('when the quota is zero, then nothing is expected and nobody is behind', () => {
    expect(paceOf(0, 0, 0.7)).toEqual({ expectedByNow: 0, behind: false, forecast: 0 });
  });

  it('when the year has not begun, then nothing is expected, nobody is behind, and there is no forecast', () => {
    expect(paceOf(0, 500, 0)).toEqual({ expectedByNow: 0, behind: false, forecast: null });
  });

  it('when the year is over, then the whole quota was expected and the forecast is what was trained', () => {
    expect(paceOf(70, 100, 1)).toEqual({ expectedByNow: 100, behind: true, forecast: 70 });
    expect(paceOf(85, 100, 1).behind).toBe(false);
  });
});

describe('the forecast at the current pace', () => {
  it('when part of the year has passed, then trained is extrapolated linearly to the whole year', () => {
    expect(forecastAtPace(30, 0.25)).toBe(120);
    expect(forecastAtPace(10, 0.3)).toBe(33);
    expect(forecastAtPace(0, 0.5)).toBe(0);
  });

  it('when no time has passed, then there is no pace to extrapolate', () => {
    expect(forecastAtPace(0, 0)).toBeNull();
  });

  it('when the year is over, then the forecast is the final count', () => {
    expect(forecastAtPace(42, 1)).toBe(42);
  });
});

describe('a year’s quotas', () => {
  it('when whole people per township once, then they are valid', () => {
    expect(() => {
      validateYearQuotas([
        { jurisdictionCode: T1, people: 0 },
        { jurisdictionCode: T2, people: 1_000_000 },
      ]);
    }).not.toThrow();
  });

  it('when a quota is negative, fractional or huge, then PROGRAMME_QUOTA_INVALID names the township', () => {
    for (const people of [-1, 2.5, 1_000_001]) {
      const refusal = refusalOf(() => {
        validateYearQuotas([{ jurisdictionCode: T1, people }]);
      });
      expect(refusal.code).toBe(PROGRAMME_QUOTA_INVALID);
      expect(refusal.message).toContain(T1);
    }
  });

  it('when a township has two quotas, then PROGRAMME_QUOTA_DUPLICATE', () => {
    const refusal = refusalOf(() => {
      validateYearQuotas([
        { jurisdictionCode: T1, people: 5 },
        { jurisdictionCode: T1, people: 6 },
      ]);
    });
    expect(refusal.code).toBe(PROGRAMME_QUOTA_DUPLICATE);
  });
});

describe('quotas against the people already trained', () => {
  const trained = new Map([
    [T1, 12],
    [T2, 3],
  ]);

  it('when every quota covers its trained count, then there is no shortfall', () => {
    const quotas = [
      { jurisdictionCode: T1, people: 12 },
      { jurisdictionCode: T2, people: 40 },
    ];
    expect(quotaShortfalls(quotas, trained)).toEqual([]);
    expect(() => {
      assertQuotasCoverTrained(2026, quotas, trained);
    }).not.toThrow();
  });

  it('when a quota is below the trained count, or a trained township is left out, then each is named with its count', () => {
    const quotas = [{ jurisdictionCode: T1, people: 11 }];
    expect(quotaShortfalls(quotas, trained)).toEqual([
      { jurisdictionCode: T1, people: 11, trained: 12 },
      { jurisdictionCode: T2, people: 0, trained: 3 },
    ]);
    const refusal = refusalOf(() => {
      assertQuotasCoverTrained(2026, quotas, trained);
    });
    expect(refusal.code).toBe(PROGRAMME_QUOTA_BELOW_TRAINED);
    expect(refusal.kind).toBe('failed_precondition');
    expect(refusal.message).toContain(`${T1}: quota 11, 12 already trained`);
    expect(refusal.message).toContain(`${T2}: quota 0, 3 already trained`);
    expect(refusal.message).toContain('2026');
  });
});

import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  checkFigures,
  checkReportYear,
  ENTERPRISE_REPORT_FIGURES_INCONSISTENT,
  ENTERPRISE_REPORT_SPEND_INVALID,
  ENTERPRISE_REPORT_YEAR_INVALID,
  formatHours,
  parseYuan,
  sameFigures,
  totalsOf,
} from '../../../src/domain/enterprise-training.js';

describe('spend in yuan', () => {
  it.each([
    ['0', 0],
    ['12', 1200],
    ['12.3', 1230],
    ['12.34', 1234],
    ['0.05', 5],
    ['125000.50', 12_500_050],
    ['9999999999.99', 999_999_999_999],
  ])('when "%s" is parsed, then it is %i fen', (text, fen) => {
    expect(parseYuan(text)).toBe(fen);
  });

  it.each(['12.345', '-1', '1e3', '', ' 1', '1.', '.5', '01', '+1', '1,000', '10000000000', 'NaN'])(
    'when "%s" is parsed, then it is refused',
    (text) => {
      expect(refusalOf(() => parseYuan(text))).toMatchObject({
        code: ENTERPRISE_REPORT_SPEND_INVALID,
      });
    },
  );
});

describe('hours', () => {
  it.each([
    [0, '0'],
    [60, '1'],
    [90, '1.5'],
    [100, '1.67'],
    [1, '0.02'],
  ])('when %i minutes are shown as hours, then they read "%s"', (minutes, hours) => {
    expect(formatHours(minutes)).toBe(hours);
  });
});

describe('the year reported', () => {
  it.each([2000, 2013, 2026])('when %i is reported in 2026, then it is accepted', (year) => {
    expect(() => {
      checkReportYear(year, 2026);
    }).not.toThrow();
  });

  it.each([1999, 2027, 2026.5])('when %d is reported in 2026, then it is refused', (year) => {
    expect(
      refusalOf(() => {
        checkReportYear(year, 2026);
      }),
    ).toMatchObject({ code: ENTERPRISE_REPORT_YEAR_INVALID });
  });
});

describe('the figures', () => {
  it('when people and minutes are both zero or both more, then they are consistent', () => {
    expect(() => {
      checkFigures({ trainees: 0, trainingMinutes: 0 });
      checkFigures({ trainees: 120, trainingMinutes: 120 * 16 * 60 });
    }).not.toThrow();
  });

  it.each([
    { trainees: 10, trainingMinutes: 0 },
    { trainees: 0, trainingMinutes: 60 },
    { trainees: 1, trainingMinutes: 366 * 24 * 60 + 1 },
  ])('when %o is reported, then it is refused', (figures) => {
    expect(
      refusalOf(() => {
        checkFigures(figures);
      }),
    ).toMatchObject({ code: ENTERPRISE_REPORT_FIGURES_INCONSISTENT });
  });

  it('when only the note differs, then the figures are not the same', () => {
    const figures = { trainees: 3, trainingMinutes: 180, spendFen: 100, note: '' };

    expect(sameFigures(figures, { ...figures })).toBe(true);
    expect(sameFigures(figures, { ...figures, note: '安全生产' })).toBe(false);
    expect(sameFigures(figures, { ...figures, spendFen: 101 })).toBe(false);
  });
});

describe('totals', () => {
  it('when reports are summed, then the per-trainee figures round half up', () => {
    expect(totalsOf({ reports: 2, trainees: 3, trainingMinutes: 100, spendFen: 1000 })).toEqual({
      reports: 2,
      trainees: 3,
      trainingMinutes: 100,
      spendFen: 1000,
      minutesPerTrainee: 33,
      spendFenPerTrainee: 333,
    });
    expect(totalsOf({ reports: 1, trainees: 2, trainingMinutes: 3, spendFen: 5 })).toMatchObject({
      minutesPerTrainee: 2,
      spendFenPerTrainee: 3,
    });
  });

  it('when nobody was trained, then there is nothing per trainee', () => {
    expect(totalsOf({ reports: 0, trainees: 0, trainingMinutes: 0, spendFen: 0 })).toMatchObject({
      minutesPerTrainee: null,
      spendFenPerTrainee: null,
    });
  });
});

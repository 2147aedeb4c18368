import { DomainError } from '@learning/domain';
import { describe, expect, it } from 'vitest';
import {
  FUNDING_AMOUNT_INVALID,
  FUNDING_CODE_INVALID,
  checkLineCode,
  parseAmount,
  receiptYearOf,
  shapeTotals,
} from '../../../src/domain/funding.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a domain error';
  }
};

describe('amounts and line codes', () => {
  it('when an amount is entered, then 0 is refused as well as anything that is not money or above 10^10 yuan', () => {
    expect(parseAmount('3800.50')).toBe(380_050);
    expect(parseAmount('10000000000')).toBe(1_000_000_000_000);
    expect(codeOf(() => parseAmount('10000000000.01'))).toBe(FUNDING_AMOUNT_INVALID);
    expect(codeOf(() => parseAmount('0'))).toBe(FUNDING_AMOUNT_INVALID);
    expect(codeOf(() => parseAmount('0.00'))).toBe(FUNDING_AMOUNT_INVALID);
    expect(codeOf(() => parseAmount('12.345'))).toBe(FUNDING_AMOUNT_INVALID);
  });

  it('when a line code is checked, then only lower-case letters, digits and hyphens up to 40 pass', () => {
    expect(
      codeOf(() => {
        checkLineCode('training-rural');
      }),
    ).toBeUndefined();
    for (const code of ['Awards', '', 'a b', 'x'.repeat(41), '奖励'])
      expect(
        codeOf(() => {
          checkLineCode(code);
        }),
        code,
      ).toBe(FUNDING_CODE_INVALID);
  });

  it('when a receipt is dated, then its year is the date’s', () => {
    expect(receiptYearOf('2026-12-31')).toBe(2026);
    expect(codeOf(() => receiptYearOf('2026-02-30'))).toBe('CALENDAR_DATE_INVALID');
  });
});

describe('the totals as people read them', () => {
  it('when sums are shaped, then every source is listed, purposes and areas merge and go largest first, areas are named', () => {
    const totals = shapeTotals(
      {
        bySource: new Map([
          ['government_allocation', 50_000_000],
          ['donation', 12_345],
        ]),
        byPurpose: [
          { purpose: 'awards', fen: 30_000_000 },
          { purpose: '', fen: 20_000_000 },
          { purpose: 'awards', fen: 12_345 },
        ],
        byArea: [
          { code: '330281001000', fen: 100 },
          { code: '330281002000', fen: 12_345 },
          { code: '330281001000', fen: 900 },
          { code: '330281003000', fen: 1_000 },
        ],
      },
      new Map([
        ['330281001000', '兰江街道'],
        ['330281002000', '梨洲街道'],
      ]),
    );

    expect(totals).toEqual({
      total: '500123.45',
      bySource: [
        { source: 'government_allocation', yuan: '500000.00' },
        { source: 'sponsorship', yuan: '0.00' },
        { source: 'donation', yuan: '123.45' },
        { source: 'enterprise_training', yuan: '0.00' },
      ],
      byPurpose: [
        { purpose: 'awards', yuan: '300123.45' },
        { purpose: '', yuan: '200000.00' },
      ],
      byArea: [
        { code: '330281002000', name: '梨洲街道', yuan: '123.45' },
        { code: '330281001000', name: '兰江街道', yuan: '10.00' },
        { code: '330281003000', name: '330281003000', yuan: '10.00' },
      ],
    });
  });
});

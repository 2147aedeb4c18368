import { describe, expect, it } from 'vitest';
import {
  checkRecordYear,
  ledgerAgrees,
  RECORD_YEAR_INVALID,
  totalsOf,
} from '../../../src/domain/records.js';

describe('record totals', () => {
  it('when entries of several categories and a reversal are summed, then totals and each category are their sums, in the policy order with uncategorized last', () => {
    const totals = totalsOf([
      { amount: 200, minutes: 90, category: 'ethics_etiquette' },
      { amount: 150, minutes: 60, category: 'political_theory' },
      { amount: 100, minutes: 0, category: null },
      { amount: -150, minutes: 0, category: 'political_theory' },
      { amount: 25, minutes: 30, category: 'ethics_etiquette' },
    ]);

    expect(totals).toEqual({
      credits: 325,
      minutes: 180,
      entries: 5,
      byCategory: [
        { category: 'political_theory', credits: 0, minutes: 60 },
        { category: 'ethics_etiquette', credits: 225, minutes: 120 },
        { category: null, credits: 100, minutes: 0 },
      ],
    });
  });

  it('when there are no entries, then everything is zero and no category is listed', () => {
    expect(totalsOf([])).toEqual({ credits: 0, minutes: 0, entries: 0, byCategory: [] });
  });

  it('when the ledger has one entry more than was certified, then it no longer agrees, even if the credits are equal', () => {
    const certified = { credits: 300, minutes: 60, entries: 2 };

    expect(ledgerAgrees(certified, { ...certified })).toBe(true);
    expect(ledgerAgrees(certified, { credits: 300, minutes: 60, entries: 3 })).toBe(false);
    expect(ledgerAgrees(certified, { credits: 200, minutes: 60, entries: 2 })).toBe(false);
  });
});

describe('record years', () => {
  it('when the year is from 2000 to next year, then it is accepted', () => {
    expect(checkRecordYear(2000, 2026)).toBe(2000);
    expect(checkRecordYear(2027, 2026)).toBe(2027);
  });

  it('when the year is earlier, later or not whole, then RECORD_YEAR_INVALID', () => {
    for (const year of [1999, 2028, 2026.5, Number.NaN])
      expect(() => checkRecordYear(year, 2026)).toThrow(
        expect.objectContaining({ code: RECORD_YEAR_INVALID }) as Error,
      );
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_FEN, fenOfYuan, formatYuan } from '../../src/money.js';

describe('money as yuan strings', () => {
  it.each([
    ['0', 0],
    ['0.01', 1],
    ['0.05', 5],
    ['12.3', 1230],
    ['150000', 15_000_000],
    ['150000.5', 15_000_050],
    ['9999999999.99', 999_999_999_999],
    ['10000000000', MAX_FEN],
  ])('when "%s" is read, then it is %i fen', (text, fen) => {
    expect(fenOfYuan(text)).toBe(fen);
  });

  it.each([
    '-1',
    '+1',
    '1e3',
    '01',
    '1.234',
    '1.',
    '.5',
    ' 1',
    '',
    '1,000',
    'NaN',
    '10000000000.01',
    '99999999999',
    '100000000000',
  ])('when "%s" is read, then it is not money', (text) => {
    expect(fenOfYuan(text)).toBeUndefined();
  });

  it('when a ceiling is named, then it is the most that reads as money', () => {
    expect(fenOfYuan('1000000', 100_000_000)).toBe(100_000_000);
    expect(fenOfYuan('1000000.01', 100_000_000)).toBeUndefined();
  });

  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [1230, '12.30'],
    [15_000_050, '150000.50'],
    [-250, '-2.50'],
    [MAX_FEN, '10000000000.00'],
  ])('when %i fen is shown, then it reads "%s"', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  it('when shown fen are read again, then they are the same fen', () => {
    for (const fen of [0, 1, 99, 100, 123_456_789, MAX_FEN])
      expect(fenOfYuan(formatYuan(fen))).toBe(fen);
  });
});

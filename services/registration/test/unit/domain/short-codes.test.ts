import { describe, expect, it } from 'vitest';
import {
  isShortCode,
  normalizeShortCode,
  SHORT_CODE_ALPHABET,
  shortCodeFrom,
} from '../../../src/domain/short-codes.js';

describe('short codes', () => {
  it('when a code is read aloud or copied, then no two characters of the alphabet look alike', () => {
    for (const lookAlike of ['0', 'O', '1', 'I', 'L'])
      expect(SHORT_CODE_ALPHABET).not.toContain(lookAlike);
    expect(new Set(SHORT_CODE_ALPHABET).size).toBe(SHORT_CODE_ALPHABET.length);
  });

  it('when a code is made from random bytes, then it has 8 characters of the alphabet', () => {
    const code = shortCodeFrom(Uint8Array.from([0, 1, 30, 31, 62, 255, 128, 7]));
    // Byte b picks character b mod 31.
    expect(code).toBe('23Z22969');
    expect(isShortCode(code)).toBe(true);
  });

  it('when too few random bytes are given, then no code is made', () => {
    expect(() => shortCodeFrom(new Uint8Array(7))).toThrow(RangeError);
  });

  it('when a person types a code in lower case with spaces or hyphens, then it normalizes to the stored form', () => {
    expect(normalizeShortCode('ab2c d3-ef')).toBe('AB2CD3EF');
  });

  it('when a code has the wrong length or a look-alike character, then it is not a short code', () => {
    for (const code of ['', 'K7QM4XP', 'K7QM4XPRS', 'K7QM4XP0', 'K7QM4XPO', 'K7QM4XP1', 'k7qm4xpr'])
      expect(isShortCode(code)).toBe(false);
  });
});

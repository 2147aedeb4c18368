import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCode, issueCode, RANDOM_BYTES } from '../../../src/domain/verification-code.js';

const KEY = randomBytes(32);
const RANDOM = Uint8Array.from({ length: RANDOM_BYTES }, (_, index) => index * 23);

/** `code` with the character at `index` replaced by another of the alphabet. */
const altered = (code: string, index: number): string => {
  const replacement = code[index] === '7' ? '8' : '7';
  return `${code.slice(0, index)}${replacement}${code.slice(index + 1)}`;
};

describe('verification codes', () => {
  it('when a code is issued, then it is LS and the year, then six groups of four, and it checks', () => {
    const code = issueCode(KEY, 2026, RANDOM);

    expect(code).toMatch(/^LS26(-[0-9A-HJKMNP-TV-Z]{4}){6}$/);
    expect(checkCode(KEY, code)).toBe(code);
  });

  it('when it is retyped in lower case, without hyphens, with O for 0 and l for 1, then it still checks', () => {
    const code = issueCode(KEY, 2026, RANDOM);
    const retyped = code
      .replaceAll('-', ' ')
      .toLowerCase()
      .replaceAll('0', 'o')
      .replaceAll('1', 'l');

    expect(checkCode(KEY, retyped)).toBe(code);
  });

  it('when any one character of it is changed, then it does not check', () => {
    const code = issueCode(KEY, 2026, RANDOM);
    const positions = Array.from(code).flatMap((character, index) =>
      /[0-9A-Z]/.test(character) && index >= 2 ? [index] : [],
    );

    expect(positions).toHaveLength(26);
    for (const index of positions) expect(checkCode(KEY, altered(code, index))).toBeNull();
  });

  it('when it was made with another key, then it does not check', () => {
    const code = issueCode(randomBytes(32), 2026, RANDOM);

    expect(checkCode(KEY, code)).toBeNull();
  });

  it('when the text is not shaped like a code, then it does not check', () => {
    for (const text of [
      '',
      'LS26',
      'XX26-0000-0000-0000-0000-0000-0000',
      `${issueCode(KEY, 2026, RANDOM)}-0000`,
      'LS26-UUUU-0000-0000-0000-0000-0000',
    ])
      expect(checkCode(KEY, text)).toBeNull();
  });

  it('when two codes are issued from different random bytes, then they differ', () => {
    expect(issueCode(KEY, 2026, randomBytes(RANDOM_BYTES))).not.toBe(
      issueCode(KEY, 2026, randomBytes(RANDOM_BYTES)),
    );
  });
});

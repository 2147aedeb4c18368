import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkVerificationCode,
  issueVerificationCode,
  VERIFICATION_CODE_RANDOM_BYTES,
} from '../../src/index.js';

const KEY = randomBytes(32);
const RANDOM = Uint8Array.from(
  { length: VERIFICATION_CODE_RANDOM_BYTES },
  (_, index) => index * 23,
);
const issue = (kind: string, key: Uint8Array = KEY, random: Uint8Array = RANDOM): string =>
  issueVerificationCode(key, kind, 2026, random);

/** `code` with the character at `index` replaced by another of the alphabet. */
const altered = (code: string, index: number): string => {
  const replacement = code[index] === '7' ? '8' : '7';
  return `${code.slice(0, index)}${replacement}${code.slice(index + 1)}`;
};

describe('verification codes', () => {
  it.each(['LS', 'TC'])(
    'when a %s code is issued, then it is the kind and the year, then six groups of four, and it checks',
    (kind) => {
      const code = issue(kind);

      expect(code).toMatch(new RegExp(`^${kind}26(-[0-9A-HJKMNP-TV-Z]{4}){6}$`));
      expect(checkVerificationCode(KEY, kind, code)).toBe(code);
    },
  );

  it('when a code of one kind is checked as another, then it does not check, even with the prefix swapped', () => {
    const code = issue('TC');

    expect(checkVerificationCode(KEY, 'LS', code)).toBeNull();
    expect(checkVerificationCode(KEY, 'LS', `LS${code.slice(2)}`)).toBeNull();
  });

  it('when the kind is not two capital letters, then no code is issued', () => {
    expect(() => issue('T')).toThrow(RangeError);
    expect(() => issue('tc')).toThrow(RangeError);
  });

  it('when it is retyped in lower case, without hyphens, with O for 0 and l for 1, then it still checks', () => {
    const code = issue('LS');
    const retyped = code
      .replaceAll('-', ' ')
      .toLowerCase()
      .replaceAll('0', 'o')
      .replaceAll('1', 'l');

    expect(checkVerificationCode(KEY, 'LS', retyped)).toBe(code);
  });

  it('when any one character of it is changed, then it does not check', () => {
    const code = issue('TC');
    const positions = Array.from(code).flatMap((character, index) =>
      /[0-9A-Z]/.test(character) && index >= 2 ? [index] : [],
    );

    expect(positions).toHaveLength(26);
    for (const index of positions)
      expect(checkVerificationCode(KEY, 'TC', altered(code, index))).toBeNull();
  });

  it('when it was made with another key, then it does not check', () => {
    expect(checkVerificationCode(KEY, 'LS', issue('LS', randomBytes(32)))).toBeNull();
  });

  it('when the text is not shaped like a code, then it does not check', () => {
    for (const text of [
      '',
      'LS26',
      'XX26-0000-0000-0000-0000-0000-0000',
      `${issue('LS')}-0000`,
      'LS26-UUUU-0000-0000-0000-0000-0000',
    ])
      expect(checkVerificationCode(KEY, 'LS', text)).toBeNull();
  });

  it('when two codes are issued from different random bytes, then they differ', () => {
    expect(issue('LS', KEY, randomBytes(VERIFICATION_CODE_RANDOM_BYTES))).not.toBe(
      issue('LS', KEY, randomBytes(VERIFICATION_CODE_RANDOM_BYTES)),
    );
  });
});

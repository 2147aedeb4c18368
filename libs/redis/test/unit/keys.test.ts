import { AppError } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { INVALID_KEY_CODE, MAX_KEY_PART_LENGTH, redisKey } from '../../src/index.js';

function rejection(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('redisKey', () => {
  it('when given parts, then it joins them under the ls: prefix', () => {
    expect(redisKey('ratelimit', 'login', 'user-42')).toBe('ls:ratelimit:login:user-42');
  });

  it('when a part holds colons or non-ASCII text, then it is kept as is', () => {
    expect(redisKey('ratelimit', 'ip', '2001:db8::1')).toBe('ls:ratelimit:ip:2001:db8::1');
    expect(redisKey('cache', '读书节')).toBe('ls:cache:读书节');
  });

  it('when no part is given, then it throws an invalid_argument AppError', () => {
    const error = rejection(() => redisKey());
    expect(error.kind).toBe('invalid_argument');
    expect(error.code).toBe(INVALID_KEY_CODE);
  });

  it.each([
    ['an empty part', ''],
    ['a space', 'a b'],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['a NUL', 'a\u0000b'],
    ['a DEL', 'a\u007fb'],
    ['a no-break space', 'a\u00a0b'],
    ['an ideographic space', 'a\u3000b'],
  ])('when a part contains %s, then it throws an invalid_argument AppError', (_label, part) => {
    const error = rejection(() => redisKey('idem', 'svc', part));
    expect(error.kind).toBe('invalid_argument');
    expect(error.code).toBe(INVALID_KEY_CODE);
    expect(error.httpStatus).toBe(400);
  });

  it('when a part is longer than the limit, then it throws; at the limit, it is accepted', () => {
    expect(rejection(() => redisKey('idem', 'x'.repeat(MAX_KEY_PART_LENGTH + 1))).code).toBe(
      INVALID_KEY_CODE,
    );
    expect(redisKey('idem', 'x'.repeat(MAX_KEY_PART_LENGTH))).toBe(
      `ls:idem:${'x'.repeat(MAX_KEY_PART_LENGTH)}`,
    );
  });

  it('when a part is rejected, then the message does not echo it', () => {
    const error = rejection(() => redisKey('idem', '138 0013 8000'));
    expect(error.message).not.toContain('138');
  });
});

import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  assertContentUrl,
  assertLength,
  assertRequiredShare,
  LESSON_CONTENT_URL_INVALID,
  LESSON_LENGTH_INVALID,
  LESSON_REQUIRED_SHARE_INVALID,
  LESSON_TRANSITION_NOT_ALLOWED,
  MAX_LESSON_SECONDS,
  nextStatus,
  requiredSeconds,
} from '../../../src/domain/lessons.js';

describe('a lesson’s terms', () => {
  it.each([0, -1, 1.5, MAX_LESSON_SECONDS + 1, Number.NaN])(
    'when the length is %s, then it is refused',
    (seconds) => {
      expect(
        refusalOf(() => {
          assertLength(seconds);
        }),
      ).toMatchObject({
        code: LESSON_LENGTH_INVALID,
      });
    },
  );

  it.each([1, 600, MAX_LESSON_SECONDS])('when the length is %s, then it is accepted', (seconds) => {
    expect(() => {
      assertLength(seconds);
    }).not.toThrow();
  });

  it.each([0.49, 1.01, Number.NaN])(
    'when the required share is %s, then it is refused',
    (share) => {
      expect(
        refusalOf(() => {
          assertRequiredShare(share);
        }),
      ).toMatchObject({
        code: LESSON_REQUIRED_SHARE_INVALID,
      });
    },
  );

  it.each([0.5, 0.9, 1])('when the required share is %s, then it is accepted', (share) => {
    expect(() => {
      assertRequiredShare(share);
    }).not.toThrow();
  });

  it.each(['http://example.org/v.mp4', 'ftp://example.org/v', 'not a url', 'https://'])(
    'when the content URL is %s, then it is refused',
    (url) => {
      expect(
        refusalOf(() => {
          assertContentUrl(url);
        }),
      ).toMatchObject({
        code: LESSON_CONTENT_URL_INVALID,
      });
    },
  );

  it('when the content URL is https, then it is accepted', () => {
    expect(() => {
      assertContentUrl('https://media.example.org/lessons/1.mp4');
    }).not.toThrow();
  });

  it.each([
    [600, 0.9, 540],
    [601, 0.9, 541],
    [100, 0.7, 70],
    [1, 0.5, 1],
    [3600, 1, 3600],
  ])(
    'when the length is %s and the share %s, then %s seconds are required',
    (length, share, seconds) => {
      expect(requiredSeconds(length, share)).toBe(seconds);
    },
  );
});

describe('a lesson’s life cycle', () => {
  it.each([
    ['draft', 'publish', 'published'],
    ['withdrawn', 'publish', 'published'],
    ['published', 'withdraw', 'withdrawn'],
  ] as const)('when a %s lesson is told to %s, then it becomes %s', (status, action, next) => {
    expect(nextStatus(status, action)).toBe(next);
  });

  it.each([
    ['published', 'publish'],
    ['draft', 'withdraw'],
    ['withdrawn', 'withdraw'],
  ] as const)('when a %s lesson is told to %s, then it is refused', (status, action) => {
    expect(refusalOf(() => nextStatus(status, action))).toMatchObject({
      kind: 'failed_precondition',
      code: LESSON_TRANSITION_NOT_ALLOWED,
    });
  });
});

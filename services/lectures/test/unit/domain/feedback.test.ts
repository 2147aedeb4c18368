import { DomainError } from '@learning/domain';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  attendingParticipant,
  assertRateable,
  COMMENT_MAX_LENGTH,
  commentStatusOf,
  containsBlockedWord,
  foldedWordList,
  foldForMatching,
  normalizeComment,
  reviewedStatus,
  summarize,
  validateRating,
} from '../../../src/domain/feedback.js';

const codeOf = (run: () => unknown): string => {
  const refusal = refusalOf(run);
  if (!(refusal instanceof DomainError)) throw new Error('not a domain refusal');
  return refusal.code;
};

const starts = new Date('2026-04-10T09:00:00Z');

describe('a rating', () => {
  it('when it is a whole number from 1 to 5, then it is taken as it is', () => {
    expect([1, 2, 3, 4, 5].map(validateRating)).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([0, 6, -1, 3.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'when it is %s, then FEEDBACK_RATING_INVALID',
    (rating) => {
      expect(codeOf(() => validateRating(rating))).toBe('FEEDBACK_RATING_INVALID');
    },
  );
});

describe('a comment', () => {
  it('when absent or blank, then there is none', () => {
    expect(normalizeComment(undefined)).toBeNull();
    expect(normalizeComment(null)).toBeNull();
    expect(normalizeComment(' \n\t ')).toBeNull();
  });

  it('when given decomposed, then it is stored in NFC and trimmed', () => {
    expect(normalizeComment('  Cafe\u0301 讲得好 ')).toBe('Café 讲得好');
  });

  it('when it has 500 characters once composed, then it is taken, though it had 1000 code points', () => {
    const decomposed = 'e\u0301'.repeat(COMMENT_MAX_LENGTH);

    expect(normalizeComment(decomposed)).toBe('é'.repeat(COMMENT_MAX_LENGTH));
  });

  it('when it has 500 characters outside the basic plane, then each counts once', () => {
    const wide = '𠀀'.repeat(COMMENT_MAX_LENGTH);

    expect(normalizeComment(wide)).toBe(wide);
  });

  it('when it has 501 characters once normalized, then FEEDBACK_COMMENT_TOO_LONG', () => {
    expect(codeOf(() => normalizeComment('好'.repeat(COMMENT_MAX_LENGTH + 1)))).toBe(
      'FEEDBACK_COMMENT_TOO_LONG',
    );
  });
});

describe('when a session may be rated', () => {
  it('when it has started and is scheduled or held, then it may', () => {
    expect(() => {
      assertRateable({ status: 'scheduled', startsAt: starts }, starts);
    }).not.toThrow();
    expect(() => {
      assertRateable({ status: 'held', startsAt: starts }, new Date('2026-05-01T00:00:00Z'));
    }).not.toThrow();
  });

  it('when it has not started, then FEEDBACK_SESSION_NOT_STARTED', () => {
    expect(
      codeOf(() => {
        assertRateable({ status: 'scheduled', startsAt: starts }, new Date(starts.getTime() - 1));
      }),
    ).toBe('FEEDBACK_SESSION_NOT_STARTED');
  });

  it('when it was cancelled, then FEEDBACK_SESSION_CANCELLED, before or after its start', () => {
    for (const now of [new Date(starts.getTime() - 1), new Date(starts.getTime() + 1)])
      expect(
        codeOf(() => {
          assertRateable({ status: 'cancelled', startsAt: starts }, now);
        }),
      ).toBe('FEEDBACK_SESSION_CANCELLED');
  });

  it('when the person did not attend, then FEEDBACK_NOT_ATTENDEE; when they did, their participant id', () => {
    expect(
      codeOf(() => {
        attendingParticipant(null);
      }),
    ).toBe('FEEDBACK_NOT_ATTENDEE');
    expect(attendingParticipant('p-1')).toBe('p-1');
  });
});

describe('the blocked words', () => {
  const words = foldedWordList(['傻逼', ' Spam ', '', 'SPAM', '  ']);

  it('when the list is folded, then blanks and repeats are dropped', () => {
    expect(words).toEqual(['傻逼', 'spam']);
  });

  it('when text is folded, then full-width forms, case, spaces, punctuation and zero-width characters go', () => {
    expect(foldForMatching('Ｓｐａｍ')).toBe('spam');
    expect(foldForMatching('傻 逼')).toBe('傻逼');
    expect(foldForMatching('傻\u200b逼！')).toBe('傻逼');
    expect(foldForMatching('S.P-A_M')).toBe('spam');
  });

  it.each(['傻逼', '你就是个傻 逼', '傻，逼', '傻\u200b逼', 'this is S P A M', 'ＳＰＡＭ'])(
    'when a comment reads "%s", then it is caught',
    (comment) => {
      expect(containsBlockedWord(comment, words)).toBe(true);
    },
  );

  it('when a comment has none of the words, then it is not caught', () => {
    expect(containsBlockedWord('讲得很好，受益匪浅', words)).toBe(false);
    expect(containsBlockedWord('傻瓜式操作很方便', words)).toBe(false);
  });

  it('when a comment is new, then a clean one is published, a caught one waits for review, none is none', () => {
    expect(commentStatusOf('讲得好', words)).toEqual({ status: 'published', flagged: false });
    expect(commentStatusOf('傻 逼', words)).toEqual({ status: 'pending_review', flagged: true });
    expect(commentStatusOf(null, words)).toEqual({ status: 'none', flagged: false });
  });
});

describe('a review', () => {
  it('when a flagged comment is reviewed, then publish shows it and hide keeps it hidden', () => {
    expect(reviewedStatus(true, 'publish')).toBe('published');
    expect(reviewedStatus(true, 'hide')).toBe('hidden');
  });

  it('when the comment was never flagged, then FEEDBACK_NOT_FLAGGED', () => {
    expect(codeOf(() => reviewedStatus(false, 'hide'))).toBe('FEEDBACK_NOT_FLAGGED');
  });
});

describe('a summary', () => {
  it('when ratings are counted, then count, mean to two decimals and the distribution follow', () => {
    expect(
      summarize(
        new Map([
          [5, 2],
          [4, 1],
        ]),
      ),
    ).toEqual({
      count: 3,
      mean: 4.67,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 2 },
    });
  });

  it('when nobody rated, then the mean is null', () => {
    expect(summarize(new Map())).toEqual({
      count: 0,
      mean: null,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    });
  });

  it('when a count is for a value outside 1 to 5, then it is ignored', () => {
    expect(summarize(new Map([[7, 3]])).count).toBe(0);
  });
});

import { listOf } from '@learning/config';
import { generatePiiEnvironment } from '@learning/pii';
import { describe, expect, it } from 'vitest';
import { loadLecturesConfig } from '../../src/config.js';
import { containsBlockedWord, foldedWordList } from '../../src/domain/feedback.js';

const base = { JWT_JWKS_URL: 'https://id.example/jwks.json', ...generatePiiEnvironment() };

describe('the feedback and held settings', () => {
  it('when nothing is set, then the default word list catches common abuse and the grace is two hours', () => {
    const config = loadLecturesConfig(base);
    const words = foldedWordList(listOf(config.FEEDBACK_BLOCKED_WORDS));

    expect(containsBlockedWord('你 傻 逼', words)).toBe(true);
    expect(containsBlockedWord('F.U.C.K this', words)).toBe(true);
    expect(containsBlockedWord('讲得很好，妈妈的故事很感人', words)).toBe(false);
    expect(config.SESSION_HELD_GRACE_MS).toBe(2 * 60 * 60_000);
  });

  it('when a list and a grace are set, then they replace the defaults', () => {
    const config = loadLecturesConfig({
      ...base,
      FEEDBACK_BLOCKED_WORDS: '垃圾, junk',
      SESSION_HELD_GRACE_MS: '0',
    });

    expect(listOf(config.FEEDBACK_BLOCKED_WORDS)).toEqual(['垃圾', 'junk']);
    expect(config.SESSION_HELD_GRACE_MS).toBe(0);
  });

  it('when the grace is negative, then the config is refused', () => {
    expect(() => loadLecturesConfig({ ...base, SESSION_HELD_GRACE_MS: '-1' })).toThrow(
      /SESSION_HELD_GRACE_MS/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { CONTENT_CATEGORIES, TIERS } from '@learning/domain/vocabulary';
import en from '../../src/i18n/en.js';
import zhCN from '../../src/i18n/zh-CN.js';

/** Every leaf's dotted key. */
function keysOf(messages: object, prefix = ''): string[] {
  return Object.entries(messages as Record<string, unknown>).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keysOf(value, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe("the portal's words", () => {
  it('when a key is in Chinese, then it is in English too, and the other way round', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zhCN).sort());
  });

  it("when the platform's vocabulary names a tier or category, then the portal has a name for it in both languages", () => {
    for (const messages of [zhCN, en]) {
      expect(Object.keys(messages.tier).sort()).toEqual([...TIERS].sort());
      expect(Object.keys(messages.category).sort()).toEqual([...CONTENT_CATEGORIES].sort());
    }
  });
});

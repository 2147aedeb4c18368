import { describe, expect, it } from 'vitest';
import { Ranker, rankingTitle } from '../../../src/domain/rankings.js';

describe('the ranking tables', () => {
  it('when scores are read best first, then equal scores share a rank and the next takes its position', () => {
    const ranker = new Ranker();

    expect([9000, 9000, 8500, 8000, 8000, 8000, 100].map((score) => ranker.rankOf(score))).toEqual([
      1, 1, 3, 4, 4, 4, 7,
    ]);
  });

  it('when a table is titled, then it names the year and the kind in Chinese', () => {
    expect(rankingTitle(2026, 'enterprise')).toBe('2026年度学习型组织评估排名（学习型企业）');
    expect(rankingTitle(2026, 'area')).toBe('2026年度学习型组织评估排名（乡镇（街道））');
  });
});

/**
 * The year's ranking tables the office hands to the leadership: one target's
 * current assessments, best first, ties sharing a rank (1, 1, 3). Pure.
 */
import type { SystemTarget } from './evaluation.js';

/** How the tables name each target in Chinese. */
export const TARGET_LABELS: Readonly<Record<SystemTarget, string>> = {
  agency: '学习型机关',
  public_institution: '学习型事业单位',
  enterprise: '学习型企业',
  community: '学习型社区',
  village_town: '学习型村镇',
  family: '学习型家庭',
  area: '乡镇（街道）',
};

export const rankingTitle = (year: number, target: SystemTarget): string =>
  `${String(year)}年度学习型组织评估排名（${TARGET_LABELS[target]}）`;

export const PASS_LABEL = '达标';
export const FAIL_LABEL = '未达标';
export const LOCKED_LABEL = '已锁定';
export const PROVISIONAL_LABEL = '暂定';

/**
 * Gives ranks to scores read best first: a score equal to the one before
 * shares its rank, the next different one takes its position (1, 1, 3).
 */
export class Ranker {
  private position = 0;
  private lastScore: number | undefined;
  private lastRank = 0;

  rankOf(score: number): number {
    this.position += 1;
    if (score !== this.lastScore) {
      this.lastRank = this.position;
      this.lastScore = score;
    }
    return this.lastRank;
  }
}

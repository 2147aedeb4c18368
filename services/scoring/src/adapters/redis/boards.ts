/**
 * The boards as Redis sorted sets (member: the holder's id, score: its
 * balance in hundredths). A year's keys share one hash tag, so a Redis
 * Cluster keeps them in one slot and the swap's transaction can rename them:
 *
 *   ls:scoring:{boards-<ns>-<year>}:live:<scope>:<family>:<subject>   a live board
 *   ls:scoring:{boards-<ns>-<year>}:index                            the live boards' keys
 *   ls:scoring:{boards-<ns>-<year>}:build:<rebuild>:…                a rebuild's unseen boards and index
 *   ls:scoring:{boards-<ns>-<year>}:built                            the mark a rebuild leaves
 *
 * `<ns>` is the service's database, so deployments sharing a Redis (test
 * runs) never mix their boards.
 */
import type { RedisClient } from '@learning/redis';
import { redisKey } from '@learning/redis';
import {
  boardKeyParts,
  isRanked,
  type Board,
  type BoardScope,
  type Placement,
} from '../../domain/boards.js';
import type { BoardPage, BoardStore, MemberRank } from '../../application/leaderboards/ports.js';

export class RedisBoards implements BoardStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string,
  ) {}

  private key(year: number, ...parts: string[]): string {
    return redisKey('scoring', `{boards-${this.namespace}-${year}}`, ...parts);
  }

  private liveKey(scope: BoardScope, board: Board): string {
    return this.key(scope.year, 'live', ...boardKeyParts(scope, board));
  }

  private buildKey(rebuildId: string, placement: Placement): string {
    return this.key(
      placement.scope.year,
      'build',
      rebuildId,
      ...boardKeyParts(placement.scope, placement.board),
    );
  }

  async place(placements: readonly Placement[]): Promise<void> {
    if (placements.length === 0) return;
    const batch = this.redis.multi();
    for (const placement of placements) {
      const key = this.liveKey(placement.scope, placement.board);
      if (isRanked(placement.score)) {
        batch.zAdd(key, { score: placement.score, value: placement.member });
        batch.sAdd(this.key(placement.scope.year, 'index'), key);
      } else batch.zRem(key, placement.member);
    }
    await batch.exec();
  }

  async build(rebuildId: string, year: number, placements: readonly Placement[]): Promise<void> {
    if (placements.length === 0) return;
    const batch = this.redis.multi();
    const index = this.key(year, 'build', rebuildId, 'index');
    for (const placement of placements) {
      batch.zAdd(this.buildKey(rebuildId, placement), {
        score: placement.score,
        value: placement.member,
      });
      batch.sAdd(index, this.liveKey(placement.scope, placement.board));
    }
    await batch.exec();
  }

  async swap(rebuildId: string, year: number): Promise<number> {
    const buildIndex = this.key(year, 'build', rebuildId, 'index');
    const liveIndex = this.key(year, 'index');
    const [built, live] = await Promise.all([
      this.redis.sMembers(buildIndex),
      this.redis.sMembers(liveIndex),
    ]);
    const buildPrefix = this.key(year, 'build', rebuildId);
    const livePrefix = this.key(year, 'live');
    const fresh = new Set(built);
    const swap = this.redis.multi();
    for (const key of built) swap.rename(`${buildPrefix}${key.slice(livePrefix.length)}`, key);
    // Boards nobody stands on any more (every credit on them reversed) go.
    for (const key of live) if (!fresh.has(key)) swap.del(key);
    if (built.length > 0) swap.rename(buildIndex, liveIndex);
    else swap.del(liveIndex);
    await swap.exec();
    return built.length;
  }

  async discard(rebuildId: string, year: number): Promise<void> {
    const buildIndex = this.key(year, 'build', rebuildId, 'index');
    const built = await this.redis.sMembers(buildIndex);
    const buildPrefix = this.key(year, 'build', rebuildId);
    const livePrefix = this.key(year, 'live');
    const keys = built.map((key) => `${buildPrefix}${key.slice(livePrefix.length)}`);
    await this.redis.del([...keys, buildIndex]);
  }

  async markBuilt(year: number, at: Date): Promise<void> {
    await this.redis.set(this.key(year, 'built'), at.toISOString());
  }

  async isBuilt(year: number): Promise<boolean> {
    return (await this.redis.exists(this.key(year, 'built'))) === 1;
  }

  async page(
    scope: BoardScope,
    board: Board,
    offset: number,
    size: number,
  ): Promise<BoardPage | null> {
    const key = this.liveKey(scope, board);
    const [total, members] = await Promise.all([
      this.redis.zCard(key),
      this.redis.zRangeWithScores(key, offset, offset + size - 1, { REV: true }),
    ]);
    if (total === 0) return null;
    const first = members[0];
    const above = first === undefined ? 0 : await this.redis.zCount(key, `(${first.score}`, '+inf');
    return {
      members: members.map(({ value, score }) => ({ member: value, score })),
      above,
      total,
    };
  }

  /**
   * Where a holder stands on the live boards of the given years: each board
   * (its key's tail, `<year|campaign-id>:<family>:<subject>`) with the score.
   */
  async standingsOf(
    years: readonly number[],
    member: string,
  ): Promise<{ year: number; board: string; score: number }[]> {
    const standings: { year: number; board: string; score: number }[] = [];
    for (const year of years) {
      const keys = await this.redis.sMembers(this.key(year, 'index'));
      if (keys.length === 0) continue;
      const lookup = this.redis.multi();
      for (const key of keys) lookup.zScore(key, member);
      const scores = (await lookup.exec()) as unknown as (number | null)[];
      const prefix = `${this.key(year, 'live')}:`;
      keys.forEach((key, index) => {
        const score = scores[index];
        if (typeof score === 'number')
          standings.push({ year, board: key.slice(prefix.length), score });
      });
    }
    return standings;
  }

  /** Takes a holder off every live board of the given years; how many boards held them. */
  async removeFromAll(years: readonly number[], member: string): Promise<number> {
    let removed = 0;
    for (const year of years) {
      const keys = await this.redis.sMembers(this.key(year, 'index'));
      if (keys.length === 0) continue;
      const batch = this.redis.multi();
      for (const key of keys) batch.zRem(key, member);
      const results = (await batch.exec()) as unknown as number[];
      removed += results.reduce((sum, count) => sum + count, 0);
    }
    return removed;
  }

  async rankOf(scope: BoardScope, board: Board, member: string): Promise<MemberRank | null> {
    const key = this.liveKey(scope, board);
    const score = await this.redis.zScore(key, member);
    if (score === null) return null;
    const [above, total] = await Promise.all([
      this.redis.zCount(key, `(${score}`, '+inf'),
      this.redis.zCard(key),
    ]);
    return { score, above, total };
  }
}

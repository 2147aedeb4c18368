/**
 * Rebuilds' progress (kept a day after they end) and each year's lease, in
 * Redis so that every replica sees them: a rebuild asked of one replica
 * while another runs one returns the running one.
 */
import type { RedisClient } from '@learning/redis';
import { redisKey } from '@learning/redis';
import type {
  RebuildProgress,
  RebuildRegistry,
  RebuildStatus,
} from '../../application/leaderboards/ports.js';

const PROGRESS_TTL_MS = 24 * 60 * 60_000;

/** Extends the lease while it is still this rebuild's; an expired lease may be another's now. */
const RENEW_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE_SCRIPT = `
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0`;

interface StoredProgress {
  id: string;
  year: number;
  status: RebuildStatus;
  holders: number;
  boards: number;
  startedAt: string;
  finishedAt: string | null;
}

export class RedisRebuilds implements RebuildRegistry {
  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string,
  ) {}

  private leaseKey(year: number): string {
    // In the year's hash tag, beside the boards it rebuilds.
    return redisKey('scoring', `{boards-${this.namespace}-${year}}`, 'rebuilding');
  }

  private progressKey(id: string): string {
    return redisKey('scoring', this.namespace, 'rebuild', id);
  }

  async claim(
    progress: RebuildProgress,
    leaseMs: number,
  ): Promise<{ claimed: true } | { claimed: false; runningId: string }> {
    const lease = this.leaseKey(progress.year);
    const taken = await this.redis.set(lease, progress.id, {
      condition: 'NX',
      expiration: { type: 'PX', value: leaseMs },
    });
    if (taken === null) {
      const runningId = await this.redis.get(lease);
      // The other rebuild ended between the two calls: this one may start.
      if (runningId === null) return this.claim(progress, leaseMs);
      return { claimed: false, runningId };
    }
    await this.save(progress, leaseMs);
    return { claimed: true };
  }

  async save(progress: RebuildProgress, leaseMs: number): Promise<void> {
    const stored: StoredProgress = {
      ...progress,
      startedAt: progress.startedAt.toISOString(),
      finishedAt: progress.finishedAt?.toISOString() ?? null,
    };
    await this.redis.set(this.progressKey(progress.id), JSON.stringify(stored), {
      expiration: { type: 'PX', value: PROGRESS_TTL_MS },
    });
    const lease = this.leaseKey(progress.year);
    if (progress.status === 'running')
      await this.redis.eval(RENEW_SCRIPT, {
        keys: [lease],
        arguments: [progress.id, String(leaseMs)],
      });
    else await this.redis.eval(RELEASE_SCRIPT, { keys: [lease], arguments: [progress.id] });
  }

  async find(id: string): Promise<RebuildProgress | null> {
    const text = await this.redis.get(this.progressKey(id));
    if (text === null) return null;
    const stored = JSON.parse(text) as StoredProgress;
    return {
      ...stored,
      startedAt: new Date(stored.startedAt),
      finishedAt: stored.finishedAt === null ? null : new Date(stored.finishedAt),
    };
  }
}

/**
 * Assessment runs' progress (kept a day after they end) and each year and
 * target's lease, in Redis so that every replica sees them: a run asked of
 * one replica while another runs it returns the running one.
 */
import { redisKey, type RedisClient } from '@learning/redis';
import type { RunProgress, RunRegistry, RunStatus } from '../../application/assessments/ports.js';
import type { SystemTarget } from '../../domain/evaluation.js';

const PROGRESS_TTL_MS = 24 * 60 * 60_000;

/** Extends the lease while it is still this run's; an expired lease may be another's now. */
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
  target: SystemTarget;
  status: RunStatus;
  subjects: number;
  changed: number;
  unchanged: number;
  startedAt: string;
  finishedAt: string | null;
}

export class RedisAssessmentRuns implements RunRegistry {
  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string,
  ) {}

  private leaseKey(year: number, target: SystemTarget): string {
    return redisKey('scoring', this.namespace, 'assessment-run', String(year), target);
  }

  private progressKey(id: string): string {
    return redisKey('scoring', this.namespace, 'assessment-run-progress', id);
  }

  async claim(
    progress: RunProgress,
    leaseMs: number,
  ): Promise<{ claimed: true } | { claimed: false; runningId: string }> {
    const lease = this.leaseKey(progress.year, progress.target);
    const taken = await this.redis.set(lease, progress.id, {
      condition: 'NX',
      expiration: { type: 'PX', value: leaseMs },
    });
    if (taken === null) {
      const runningId = await this.redis.get(lease);
      // The other run ended between the two calls: this one may start.
      if (runningId === null) return this.claim(progress, leaseMs);
      return { claimed: false, runningId };
    }
    await this.save(progress, leaseMs);
    return { claimed: true };
  }

  async save(progress: RunProgress, leaseMs: number): Promise<void> {
    const stored: StoredProgress = {
      ...progress,
      startedAt: progress.startedAt.toISOString(),
      finishedAt: progress.finishedAt?.toISOString() ?? null,
    };
    await this.redis.set(this.progressKey(progress.id), JSON.stringify(stored), {
      expiration: { type: 'PX', value: PROGRESS_TTL_MS },
    });
    const lease = this.leaseKey(progress.year, progress.target);
    if (progress.status === 'running')
      await this.redis.eval(RENEW_SCRIPT, {
        keys: [lease],
        arguments: [progress.id, String(leaseMs)],
      });
    else await this.redis.eval(RELEASE_SCRIPT, { keys: [lease], arguments: [progress.id] });
  }

  async find(id: string): Promise<RunProgress | null> {
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

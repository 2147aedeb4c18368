/**
 * Long jobs that one replica runs at a time (a year's leaderboard rebuild, a
 * year's assessments): each job's progress, kept a day after it ends, and a
 * lease per job scope, in Redis so every replica sees them. Asking a replica
 * for a job while another runs one of the same scope answers the running one.
 */
import type { RedisClient } from './client.js';

/** What every job's progress has; the rest is the job's own figures (other names than these dates). */
export interface LeasedJobProgress {
  readonly id: string;
  readonly status: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export interface LeasedJobsOptions<P extends LeasedJobProgress> {
  /** The lease's key: one running job per key (the year, or the year and target). */
  readonly leaseKeyOf: (progress: P) => string;
  readonly progressKeyOf: (id: string) => string;
  /** How long an ended job's progress stays readable (default a day). */
  readonly progressTtlMs?: number;
}

const DAY_MS = 24 * 60 * 60_000;

/** Extends the lease while it is still this job's; an expired lease may be another's now. */
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

/** JSON.stringify writes a progress's two dates as ISO strings: they read back as Dates. */
const reviveDates = (key: string, value: unknown): unknown =>
  (key === 'startedAt' || key === 'finishedAt') && typeof value === 'string'
    ? new Date(value)
    : value;

export class RedisLeasedJobs<P extends LeasedJobProgress> {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: LeasedJobsOptions<P>,
  ) {}

  /** Takes the scope's lease for `progress` and stores it, or names the job already running. */
  async claim(
    progress: P,
    leaseMs: number,
  ): Promise<{ claimed: true } | { claimed: false; runningId: string }> {
    const lease = this.options.leaseKeyOf(progress);
    const taken = await this.redis.set(lease, progress.id, {
      condition: 'NX',
      expiration: { type: 'PX', value: leaseMs },
    });
    if (taken === null) {
      const runningId = await this.redis.get(lease);
      // The other job ended between the two calls: this one may start.
      if (runningId === null) return this.claim(progress, leaseMs);
      return { claimed: false, runningId };
    }
    await this.save(progress, leaseMs);
    return { claimed: true };
  }

  /** Stores the progress; renews the lease while the job runs, frees it once it has ended. */
  async save(progress: P, leaseMs: number): Promise<void> {
    await this.redis.set(this.options.progressKeyOf(progress.id), JSON.stringify(progress), {
      expiration: { type: 'PX', value: this.options.progressTtlMs ?? DAY_MS },
    });
    const lease = this.options.leaseKeyOf(progress);
    if (progress.status === 'running')
      await this.redis.eval(RENEW_SCRIPT, {
        keys: [lease],
        arguments: [progress.id, String(leaseMs)],
      });
    else await this.redis.eval(RELEASE_SCRIPT, { keys: [lease], arguments: [progress.id] });
  }

  async find(id: string): Promise<P | null> {
    const text = await this.redis.get(this.options.progressKeyOf(id));
    if (text === null) return null;
    // Only save() writes this key, from a P: the text is one, dates revived.
    return JSON.parse(text, reviveDates) as P;
  }
}

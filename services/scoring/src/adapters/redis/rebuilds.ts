/**
 * Rebuilds' progress (kept a day after they end) and each year's lease, in
 * Redis so that every replica sees them: a rebuild asked of one replica
 * while another runs one returns the running one.
 */
import { redisKey, RedisLeasedJobs, type RedisClient } from '@learning/redis';
import type { RebuildProgress, RebuildRegistry } from '../../application/leaderboards/ports.js';

export class RedisRebuilds extends RedisLeasedJobs<RebuildProgress> implements RebuildRegistry {
  constructor(redis: RedisClient, namespace: string) {
    super(redis, {
      // In the year's hash tag, beside the boards it rebuilds.
      leaseKeyOf: ({ year }) => redisKey('scoring', `{boards-${namespace}-${year}}`, 'rebuilding'),
      progressKeyOf: (id) => redisKey('scoring', namespace, 'rebuild', id),
    });
  }
}

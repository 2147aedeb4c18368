/**
 * Assessment runs' progress (kept a day after they end) and each year and
 * target's lease, in Redis so that every replica sees them: a run asked of
 * one replica while another runs it returns the running one.
 */
import { redisKey, RedisLeasedJobs, type RedisClient } from '@learning/redis';
import type { RunProgress, RunRegistry } from '../../application/assessments/ports.js';

export class RedisAssessmentRuns extends RedisLeasedJobs<RunProgress> implements RunRegistry {
  constructor(redis: RedisClient, namespace: string) {
    super(redis, {
      leaseKeyOf: ({ year, target }) =>
        redisKey('scoring', namespace, 'assessment-run', String(year), target),
      progressKeyOf: (id) => redisKey('scoring', namespace, 'assessment-run-progress', id),
    });
  }
}

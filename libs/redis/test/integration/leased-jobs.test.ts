import { expect, it } from 'vitest';
import { describeWithServers } from '@learning/testing';
import { redisKey, RedisLeasedJobs, type LeasedJobProgress } from '../../src/index.js';
import { runId, sleep, useRedisTestBed } from './support.js';

interface Progress extends LeasedJobProgress {
  readonly year: number;
  readonly done: number;
}

describeWithServers(['redis'], 'RedisLeasedJobs', (servers) => {
  const bed = useRedisTestBed(servers);
  const jobs = () =>
    new RedisLeasedJobs<Progress>(bed.client, {
      leaseKeyOf: ({ year }) => redisKey('jobs', runId, 'lease', String(year)),
      progressKeyOf: (id) => redisKey('jobs', runId, 'progress', id),
    });
  const job = (id: string, year: number, fields: Partial<Progress> = {}): Progress => ({
    id,
    year,
    status: 'running',
    done: 0,
    startedAt: new Date('2026-12-01T01:00:00Z'),
    finishedAt: null,
    ...fields,
  });

  it('when a second job of the same scope is claimed while one runs, then it is told the running one; another scope is free', async () => {
    const registry = jobs();

    expect(await registry.claim(job('a', 2025), 5_000)).toEqual({ claimed: true });
    expect(await registry.claim(job('b', 2025), 5_000)).toEqual({ claimed: false, runningId: 'a' });
    expect(await registry.claim(job('c', 2024), 5_000)).toEqual({ claimed: true });
  });

  it('when a job ends, then its lease is freed and its progress reads back with its dates and figures', async () => {
    const registry = jobs();
    await registry.claim(job('d', 2023), 5_000);
    const ended = job('d', 2023, {
      status: 'succeeded',
      done: 42,
      finishedAt: new Date('2026-12-01T01:05:00Z'),
    });

    await registry.save(ended, 5_000);

    expect(await registry.find('d')).toEqual(ended);
    expect(await registry.claim(job('e', 2023), 5_000)).toEqual({ claimed: true });
    expect(await registry.find('unknown')).toBeNull();
  });

  it('when a running job stops renewing, then its lease expires and a new job may claim the scope', async () => {
    const registry = jobs();
    await registry.claim(job('f', 2022), 200);
    await registry.save(job('f', 2022, { done: 1 }), 200);

    await sleep(400);

    expect(await registry.claim(job('g', 2022), 5_000)).toEqual({ claimed: true });
  });
});

import { expect, it } from 'vitest';
import { captureLogger, describeWithServers } from '@learning/testing';
import { connectRedis, PageCache } from '../../src/index.js';
import { runId, sleep, useRedisTestBed } from './support.js';

describeWithServers(['redis'], 'PageCache', (servers) => {
  const bed = useRedisTestBed(servers);

  it('when a page is asked twice, then it is rendered once and served from the cache the second time', async () => {
    const cache = new PageCache(bed.client, { name: `${runId}-twice`, ttlMs: 10_000 });
    let renders = 0;
    const render = async () => `page ${(renders += 1)}`;
    expect(await cache.through('/v1/activities?tier=pupil', render)).toEqual({
      page: 'page 1',
      hit: false,
    });
    expect(await cache.through('/v1/activities?tier=pupil', render)).toEqual({
      page: 'page 1',
      hit: true,
    });
    expect(await cache.through('/v1/activities?tier=cadre', render)).toEqual({
      page: 'page 2',
      hit: false,
    });
  });

  it('when the cache is invalidated, then no replica serves a page stored before', async () => {
    const name = `${runId}-invalidate`;
    const [replicaA, replicaB] = [
      new PageCache(bed.client, { name, ttlMs: 10_000 }),
      new PageCache(bed.client, { name, ttlMs: 10_000 }),
    ];
    await replicaA.through('key', async () => 'before');
    await replicaB.invalidate();
    expect(await replicaA.through('key', async () => 'after')).toEqual({
      page: 'after',
      hit: false,
    });
    expect(await replicaB.through('key', async () => 'unused')).toEqual({
      page: 'after',
      hit: true,
    });
  });

  it('when a page outlives its time, then it is rendered again', async () => {
    const cache = new PageCache(bed.client, { name: `${runId}-ttl`, ttlMs: 100 });
    await cache.through('key', async () => 'first');
    await sleep(200);
    expect(await cache.through('key', async () => 'second')).toEqual({
      page: 'second',
      hit: false,
    });
  });

  it('when Redis cannot answer, then the page is rendered and nothing fails', async () => {
    const closed = await connectRedis({
      url: servers.redis.url,
      logger: captureLogger('page-cache-closed').logger,
    });
    await closed.close();
    const cache = new PageCache(closed, { name: `${runId}-down`, ttlMs: 1_000 });
    expect(await cache.through('key', async () => 'rendered')).toEqual({
      page: 'rendered',
      hit: false,
    });
  });

  it('when pages are also kept in the process, then a hot page skips Redis, this replica drops it at once, and another replica after its local time', async () => {
    const name = `${runId}-local`;
    const replicaA = new PageCache(bed.client, { name, ttlMs: 10_000, localTtlMs: 150 });
    const replicaB = new PageCache(bed.client, { name, ttlMs: 10_000, localTtlMs: 150 });
    await replicaA.through('key', async () => 'first');
    await replicaB.through('key', async () => 'unused');
    // Redis loses the page: a replica that kept it still serves it from memory.
    await bed.client.del(await bed.client.keys(`ls:cache:{${name}}:page:*`));
    expect(await replicaA.through('key', async () => 'rendered')).toEqual({
      page: 'first',
      hit: true,
    });

    await replicaA.invalidate();
    expect(await replicaA.through('key', async () => 'second')).toEqual({
      page: 'second',
      hit: false,
    });
    expect(await replicaB.through('key', async () => 'unused')).toEqual({
      page: 'first',
      hit: true,
    });
    await sleep(200);
    expect(await replicaB.through('key', async () => 'unused')).toEqual({
      page: 'second',
      hit: true,
    });
  });
});

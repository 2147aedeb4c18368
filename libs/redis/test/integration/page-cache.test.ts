import { expect, it } from 'vitest';
import { captureLogger, describeWithServers, eventually } from '@learning/testing';
import { connectRedis, PageCache } from '../../src/index.js';
import { runId, sleep, useRedisTestBed } from './support.js';

/** A promise settled from outside, to hold a render until the test lets it finish. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describeWithServers(['redis'], 'PageCache', (servers) => {
  const bed = useRedisTestBed(servers);

  it('when a page is asked twice, then it is rendered once and served from the cache the second time', async () => {
    const cache = new PageCache(bed.client, {
      name: `${runId}-twice`,
      ttlMs: 10_000,
      localTtlMs: 10_000,
    });
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

  it('when the cache is invalidated, then a replica that kept nothing no longer finds the page stored before', async () => {
    const name = `${runId}-invalidate`;
    const replica = () => new PageCache(bed.client, { name, ttlMs: 10_000, localTtlMs: 10_000 });
    await replica().through('key', async () => 'before');
    await replica().invalidate();
    expect(await replica().through('key', async () => 'after')).toEqual({
      page: 'after',
      hit: false,
    });
    expect(await replica().through('key', async () => 'unused')).toEqual({
      page: 'after',
      hit: true,
    });
  });

  it('when a page outlives its time, then it is rendered again', async () => {
    const cache = new PageCache(bed.client, {
      name: `${runId}-ttl`,
      ttlMs: 100,
      localTtlMs: 50,
      localStaleMs: 1,
    });
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
    const cache = new PageCache(closed, { name: `${runId}-down`, ttlMs: 1_000, localTtlMs: 1_000 });
    expect(await cache.through('key', async () => 'rendered')).toEqual({
      page: 'rendered',
      hit: false,
    });
  });

  it('when pages are kept in the process, then a hot page skips Redis, this replica drops it at once, and another replica after its local time', async () => {
    const name = `${runId}-local`;
    const options = { name, ttlMs: 10_000, localTtlMs: 150, localStaleMs: 1 };
    const [replicaA, replicaB] = [
      new PageCache(bed.client, options),
      new PageCache(bed.client, options),
    ];
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

  it('when many requests ask for a page nobody has, then it is rendered once and each gets it', async () => {
    const cache = new PageCache(bed.client, {
      name: `${runId}-coalesce`,
      ttlMs: 10_000,
      localTtlMs: 10_000,
    });
    const rendering = deferred<string>();
    let renders = 0;
    const render = () => {
      renders += 1;
      return rendering.promise;
    };

    const answers = Array.from({ length: 20 }, () => cache.through('key', render));
    rendering.resolve('page');

    expect(await Promise.all(answers)).toEqual(
      Array.from({ length: 20 }, () => ({ page: 'page', hit: false })),
    );
    expect(renders).toBe(1);
  });

  it('when a kept page goes stale, then it is served while one request renders it anew, and the new page after', async () => {
    const cache = new PageCache(bed.client, {
      name: `${runId}-stale`,
      ttlMs: 50,
      localTtlMs: 50,
      localStaleMs: 60_000,
    });
    await cache.through('key', async () => 'first');
    await sleep(120);
    const rendering = deferred<string>();
    let renders = 0;
    const render = () => {
      renders += 1;
      return rendering.promise;
    };

    const whileRendering = await Promise.all(
      Array.from({ length: 10 }, () => cache.through('key', render)),
    );
    rendering.resolve('second');

    expect(whileRendering).toEqual(
      Array.from({ length: 10 }, () => ({ page: 'first', hit: true })),
    );
    await eventually('the new page served', async () => {
      const { page } = await cache.through('key', render);
      return page === 'second' ? page : undefined;
    });
    expect(renders).toBe(1);
  });

  it('when a render fails, then every request that waited for it gets its error, and nothing is kept', async () => {
    const cache = new PageCache(bed.client, {
      name: `${runId}-fails`,
      ttlMs: 10_000,
      localTtlMs: 10_000,
    });
    let renders = 0;
    const failingRender = () => {
      renders += 1;
      return Promise.reject(new Error('database timed out'));
    };
    const answers = Array.from({ length: 5 }, () =>
      cache.through('key', failingRender).then(
        () => 'served',
        (error: unknown) => (error as Error).message,
      ),
    );

    expect(await Promise.all(answers)).toEqual(
      Array.from({ length: 5 }, () => 'database timed out'),
    );
    expect(renders).toBe(1);
    expect(await cache.through('key', async () => 'rendered again')).toEqual({
      page: 'rendered again',
      hit: false,
    });
  });

  it('when the cache is invalidated during a render, then its waiters get the page but later requests render anew', async () => {
    const cache = new PageCache(bed.client, {
      name: `${runId}-invalidated-in-flight`,
      ttlMs: 10_000,
      localTtlMs: 10_000,
    });
    const rendering = deferred<string>();
    const waiting = cache.through('key', () => rendering.promise);
    await cache.invalidate();
    rendering.resolve('before the change');

    expect((await waiting).page).toBe('before the change');
    expect(await cache.through('key', async () => 'after the change')).toEqual({
      page: 'after the change',
      hit: false,
    });
  });
});

import { once } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureLogger, describeWithServers } from '@learning/testing';
import {
  connectRedis,
  LockExpiredError,
  redisKey,
  withLock,
  type LockResult,
  type RedisClient,
} from '../../src/index.js';
import { deleteRunKeys, runId, sleep } from './support.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describeWithServers(['redis'], 'withLock', (servers) => {
  let client: RedisClient;

  beforeAll(async () => {
    client = await connectRedis({
      url: servers.redis.url,
      logger: captureLogger('redis-test').logger,
    });
  });

  afterAll(async () => {
    await deleteRunKeys(client);
    await client.close();
  });

  it('when two callers race, then exactly one runs its work and the lock is free afterwards', async () => {
    const name = `${runId}-race`;
    const gate = deferred();
    let runs = 0;
    const work = async (): Promise<string> => {
      runs++;
      await gate.promise;
      return 'tick done';
    };

    const first = withLock(client, name, 10_000, work);
    const second = withLock(client, name, 10_000, work);
    // The loser answers without waiting for the winner's work.
    await Promise.race([first, second]);
    gate.resolve();
    const results = await Promise.all([first, second]);

    expect(runs).toBe(1);
    expect(results.filter((result) => result.acquired)).toEqual([
      { acquired: true, value: 'tick done' },
    ]);
    expect(await client.exists(redisKey('lock', name))).toBe(0);
    expect(await withLock(client, name, 10_000, () => Promise.resolve('third'))).toEqual({
      acquired: true,
      value: 'third',
    });
  });

  it('when the work throws, then the error reaches the caller and the lock is released', async () => {
    const name = `${runId}-throws`;
    await expect(
      withLock(client, name, 10_000, () => Promise.reject(new Error('job failed'))),
    ).rejects.toThrow('job failed');
    expect(await client.exists(redisKey('lock', name))).toBe(0);
  });

  it('when work outlives the TTL and another caller takes the lock, then the signal aborts and the first release leaves the new lock alone', async () => {
    const name = `${runId}-handover`;
    const secondHolding = deferred();
    const firstFinished = deferred();
    let firstSignal: AbortSignal | undefined;

    const first = withLock(client, name, 200, async (signal) => {
      firstSignal = signal;
      await Promise.all([
        secondHolding.promise,
        signal.aborted ? undefined : once(signal, 'abort'),
      ]);
      return 'first';
    }).finally(firstFinished.resolve);

    let second: LockResult<{ stillHeld: number; thirdAcquired: boolean }> = { acquired: false };
    while (!second.acquired) {
      second = await withLock(client, name, 10_000, async () => {
        secondHolding.resolve();
        await firstFinished.promise;
        const stillHeld = await client.exists(redisKey('lock', name));
        const third = await withLock(client, name, 10_000, () => Promise.resolve('third'));
        return { stillHeld, thirdAcquired: third.acquired };
      });
      if (!second.acquired) await sleep(25);
    }

    expect(await first).toEqual({ acquired: true, value: 'first' });
    expect(firstSignal?.aborted).toBe(true);
    expect(firstSignal?.reason).toBeInstanceOf(LockExpiredError);
    expect(second).toEqual({ acquired: true, value: { stillHeld: 1, thirdAcquired: false } });
  });

  it('when the TTL is not a positive integer, then it throws before touching Redis', async () => {
    await expect(withLock(client, `${runId}-bad`, 0, () => Promise.resolve(1))).rejects.toThrow(
      RangeError,
    );
  });
});

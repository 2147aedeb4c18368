import { once } from 'node:events';
import { expect, it } from 'vitest';
import { describeWithServers } from '@learning/testing';
import {
  claimOnce,
  LockExpiredError,
  redisKey,
  withLock,
  type LockResult,
} from '../../src/index.js';
import { runId, sleep, useRedisTestBed } from './support.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describeWithServers(['redis'], 'withLock', (servers) => {
  const bed = useRedisTestBed(servers);

  it('when two callers race, then exactly one runs its work and the lock is free afterwards', async () => {
    const name = `${runId}-race`;
    const gate = deferred();
    let runs = 0;
    const work = async (): Promise<string> => {
      runs++;
      await gate.promise;
      return 'tick done';
    };

    const first = withLock(bed.client, name, 10_000, work);
    const second = withLock(bed.client, name, 10_000, work);
    // The loser answers without waiting for the winner's work.
    await Promise.race([first, second]);
    gate.resolve();
    const results = await Promise.all([first, second]);

    expect(runs).toBe(1);
    expect(results.filter((result) => result.acquired)).toEqual([
      { acquired: true, value: 'tick done' },
    ]);
    expect(await bed.client.exists(redisKey('lock', name))).toBe(0);
    expect(await withLock(bed.client, name, 10_000, () => Promise.resolve('third'))).toEqual({
      acquired: true,
      value: 'third',
    });
  });

  it('when the work throws, then the error reaches the caller and the lock is released', async () => {
    const name = `${runId}-throws`;
    await expect(
      withLock(bed.client, name, 10_000, () => Promise.reject(new Error('job failed'))),
    ).rejects.toThrow('job failed');
    expect(await bed.client.exists(redisKey('lock', name))).toBe(0);
  });

  it('when work outlives the TTL and another caller takes the lock, then the signal aborts and the first release leaves the new lock alone', async () => {
    const name = `${runId}-handover`;
    const secondHolding = deferred();
    const firstFinished = deferred();
    let firstSignal: AbortSignal | undefined;

    const first = withLock(bed.client, name, 200, async (signal) => {
      firstSignal = signal;
      await Promise.all([
        secondHolding.promise,
        signal.aborted ? undefined : once(signal, 'abort'),
      ]);
      return 'first';
    }).finally(firstFinished.resolve);

    let second: LockResult<{ stillHeld: number; thirdAcquired: boolean }> = { acquired: false };
    while (!second.acquired) {
      second = await withLock(bed.client, name, 10_000, async () => {
        secondHolding.resolve();
        await firstFinished.promise;
        const stillHeld = await bed.client.exists(redisKey('lock', name));
        const third = await withLock(bed.client, name, 10_000, () => Promise.resolve('third'));
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
    await expect(withLock(bed.client, `${runId}-bad`, 0, () => Promise.resolve(1))).rejects.toThrow(
      RangeError,
    );
  });
});

describeWithServers(['redis'], 'claimOnce', (servers) => {
  const bed = useRedisTestBed(servers);

  it('when many callers claim one name at once, then exactly one wins, and the claim lapses after its time', async () => {
    const name = `${runId}-claim`;
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => claimOnce(bed.client, name, 300)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    // Still held: a late caller in the same window loses too.
    expect(await claimOnce(bed.client, name, 300)).toBe(false);
    await sleep(400);
    expect(await claimOnce(bed.client, name, 300)).toBe(true);
  });

  it('when the time is not a positive integer, then it refuses before touching Redis', async () => {
    await expect(claimOnce(bed.client, `${runId}-bad`, 0)).rejects.toThrow(/ttlMs/);
  });
});

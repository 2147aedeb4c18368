import { describeWithServers } from '@learning/testing';
import { expect, it } from 'vitest';
import { PerSecondQuota } from '../../src/index.js';
import { runId, useRedisTestBed } from './support.js';

describeWithServers(['redis'], 'PerSecondQuota', (servers) => {
  const bed = useRedisTestBed(servers, 'redis-lib-test');

  /** A clock stopped at `ms` past the epoch, moved by hand. */
  const clockAt = (ms: number) => {
    const clock = { now: ms };
    return { clock, now: () => clock.now };
  };

  it('when a second’s units are taken, then what is left is granted and then nothing, with the time to the next second', async () => {
    const { now } = clockAt(1_800_000_000_250);
    const quota = new PerSecondQuota(bed.client, { name: `${runId}-a`, perSecond: 5, now });

    const grants = [
      await quota.take('sms', 3),
      await quota.take('sms', 3),
      await quota.take('sms', 3),
    ];

    expect(grants).toEqual([
      { granted: 3, msUntilNextSecond: 750 },
      { granted: 2, msUntilNextSecond: 750 },
      { granted: 0, msUntilNextSecond: 750 },
    ]);
  });

  it('when the next wall-clock second begins, then its units are there again', async () => {
    const { clock, now } = clockAt(1_800_000_001_900);
    const quota = new PerSecondQuota(bed.client, { name: `${runId}-b`, perSecond: 4, now });

    const spent = await quota.take('sms', 10);
    const none = await quota.take('sms', 1);
    clock.now += 100;
    const next = await quota.take('sms', 10);

    expect([spent.granted, none.granted, next.granted]).toEqual([4, 0, 4]);
  });

  it('when many callers (replicas) take at once, then together they are granted exactly the quota, and keys stay apart', async () => {
    const { now } = clockAt(1_800_000_002_000);
    const replicas = Array.from(
      { length: 8 },
      () => new PerSecondQuota(bed.client, { name: `${runId}-c`, perSecond: 10, now }),
    );

    const grants = await Promise.all(replicas.map((quota) => quota.take('email', 3)));
    const other = await replicas[0]?.take('wechat', 3);

    expect(grants.reduce((sum, grant) => sum + grant.granted, 0)).toBe(10);
    expect(other?.granted).toBe(3);
  });

  it('when asked for no units or built without a quota, then it refuses as a programming error', async () => {
    const quota = new PerSecondQuota(bed.client, { name: `${runId}-d`, perSecond: 1 });

    await expect(quota.take('sms', 0)).rejects.toThrow(RangeError);
    expect(() => new PerSecondQuota(bed.client, { name: `${runId}-e`, perSecond: 0 })).toThrow(
      RangeError,
    );
  });
});

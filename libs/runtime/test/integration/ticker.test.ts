import { claimOnce, connectRedis, type RedisClient } from '@learning/redis';
import { captureLogger, describeWithServers, uniqueName } from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tickingWorker } from '../../src/index.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describeWithServers(['redis'], 'tickingWorker', (servers) => {
  const { logger } = captureLogger('ticker-test');
  let redis: RedisClient;

  beforeAll(async () => {
    redis = await connectRedis({ url: servers.redis.url, logger, name: 'ticker-test' });
  });
  afterAll(async () => {
    await redis.close();
  });

  it('when two replicas tick side by side, then every tick runs exactly once between them', async () => {
    const name = uniqueName('ticks');
    const runs: { replica: string; tick: number }[] = [];
    const replica = (id: string) =>
      tickingWorker({
        name,
        everyMs: 100,
        redis,
        logger,
        run: async (tickAt) => {
          runs.push({ replica: id, tick: tickAt.getTime() });
        },
      });
    const [a, b] = [replica('a'), replica('b')];
    a.start();
    b.start();
    await sleep(1_050);
    await Promise.all([a.stop(), b.stop()]);

    // Each replica's run at start is its own; every tick after it runs once between them.
    const ticks = runs.slice(2).map((run) => run.tick);
    expect(new Set(ticks).size).toBe(ticks.length);
    // About ten ticks of 100 ms in a second, each on a multiple of 100 ms.
    expect(ticks.length).toBeGreaterThanOrEqual(8);
    expect(ticks.every((tick) => tick % 100 === 0)).toBe(true);
  });

  it('when a worker starts after another ran the current tick, then it still runs at once, catching up on what fell due while it was down', async () => {
    const ran: Date[] = [];
    const name = uniqueName('start');
    await claimOnce(
      redis,
      `${name}:${Math.floor(Date.parse('2026-04-01T00:00:30.000Z') / 60_000)}`,
      60_000,
    );
    const worker = tickingWorker({
      name,
      everyMs: 60_000,
      redis,
      logger,
      clock: () => new Date('2026-04-01T00:00:30.000Z'),
      run: async (tickAt) => {
        ran.push(tickAt);
      },
    });
    worker.start();
    await sleep(100);
    await worker.stop();
    expect(ran).toEqual([new Date('2026-04-01T00:00:00.000Z')]);
  });

  it('when a tick fails, then the failure is logged and the next tick still runs', async () => {
    const logs = captureLogger('ticker-failure');
    let calls = 0;
    const worker = tickingWorker({
      name: uniqueName('failing'),
      everyMs: 100,
      redis,
      logger: logs.logger,
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
      },
    });
    worker.start();
    await sleep(350);
    await worker.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(logs.lines.some((line) => line['msg'] === 'tick failed')).toBe(true);
  });
});

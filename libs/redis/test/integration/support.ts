import { captureLogger, uniqueName, type Servers } from '@learning/testing';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis, type RedisClient } from '../../src/index.js';

/** Unique per test file run, so parallel runs on one Redis never share a key. */
export const runId = uniqueName('t');

/** Deletes every key this run wrote (all of them contain the run id). */
export async function deleteRunKeys(client: RedisClient): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `ls:*${runId}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export interface RedisTestBed {
  client: RedisClient;
}

/** Registers beforeAll/afterAll hooks: a client for the suite, and afterwards the run's keys deleted; `client` is ready inside tests. */
export function useRedisTestBed(servers: Servers<'redis'>, name?: string): RedisTestBed {
  const bed = {} as RedisTestBed;
  beforeAll(async () => {
    bed.client = await connectRedis({
      url: servers.redis.url,
      logger: captureLogger('redis-test').logger,
      name,
    });
  });
  afterAll(async () => {
    await deleteRunKeys(bed.client);
    await bed.client.close();
  });
  return bed;
}

import { uniqueName } from '@learning/testing';
import type { RedisClient } from '../../src/index.js';

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

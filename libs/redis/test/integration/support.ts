import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createRootLogger, type Logger } from '@learning/logger';
import type { RedisClient } from '../../src/index.js';

export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Unique per test file run, so parallel runs on one Redis never share a key. */
export const runId = `t${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;

export function capturingLogger(): { logger: Logger; output: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = createRootLogger({
    service: 'redis-test',
    version: '0.0.0',
    level: 'debug',
    destination,
  });
  return { logger, output: () => chunks.join('') };
}

/** Deletes every key this run wrote (all of them contain the run id). */
export async function deleteRunKeys(client: RedisClient): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `ls:*${runId}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

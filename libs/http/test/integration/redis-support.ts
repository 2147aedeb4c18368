import { randomBytes } from 'node:crypto';
import { connectRedis, type RedisClient } from '@learning/redis';
import { capturingLogger } from '../support.js';

export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A service name no other run uses, so limits and stored responses never leak between runs. */
export const uniqueService = (): string => `http-test-${randomBytes(6).toString('hex')}`;

export const connectTestRedis = (): Promise<RedisClient> =>
  connectRedis({ url: redisUrl, logger: capturingLogger().logger, name: 'http-tests' });

/** Deletes every key written under `service`. */
export async function deleteServiceKeys(client: RedisClient, service: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `ls:*${service}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

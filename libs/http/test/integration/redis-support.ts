import { connectRedis, type RedisClient } from '@learning/redis';
import { captureLogger, uniqueName } from '@learning/testing';

/** A service name no other run uses, so limits and stored responses never leak between runs. */
export const uniqueService = (): string => uniqueName('http-test');

export const connectTestRedis = (url: string): Promise<RedisClient> =>
  connectRedis({ url, logger: captureLogger('test-service').logger, name: 'http-tests' });

/** Deletes every key written under `service`. */
export async function deleteServiceKeys(client: RedisClient, service: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `ls:*${service}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

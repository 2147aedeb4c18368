import type { RedisClient } from '@learning/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../support.js';

/** A Redis client that answers every command with nothing, counting them. */
function countingRedis(): { client: RedisClient; calls: string[] } {
  const calls: string[] = [];
  const client = new Proxy(
    {},
    {
      get: (_target, property) =>
        typeof property === 'string'
          ? () => {
              calls.push(property);
              return Promise.resolve(null);
            }
          : undefined,
    },
  ) as RedisClient;
  return { client, calls };
}

describe('a rate limit disabled for a route', () => {
  const redis = countingRedis();
  let server: TestServer;

  beforeAll(async () => {
    server = await testServer(undefined, { redis: redis.client });
    server.app.get('/unlimited', { config: { auth: 'none', rateLimit: false } }, () => ({}));
    server.app.get('/limited', { config: { auth: 'none' } }, () => ({}));
    await server.app.ready();
  });

  afterAll(async () => {
    await server.app.close();
  });

  it('when such a route is called, then Redis is asked nothing, while a limited route asks it', async () => {
    redis.calls.length = 0;
    const unlimited = await server.app.inject({ method: 'GET', url: '/unlimited' });
    const probe = await server.app.inject({ method: 'GET', url: '/healthz' });
    const callsForUnlimited = redis.calls.length;

    const limited = await server.app.inject({ method: 'GET', url: '/limited' });

    expect([unlimited.statusCode, probe.statusCode, limited.statusCode]).toEqual([200, 200, 200]);
    expect(callsForUnlimited).toBe(0);
    expect(redis.calls.length).toBeGreaterThan(0);
  });
});

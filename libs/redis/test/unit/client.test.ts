import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import {
  describeServer,
  isRedisUnavailable,
  reconnectDelayMs,
  RedisConnectionError,
} from '../../src/client.js';

describe('describeServer', () => {
  it('when the URL carries credentials, then only host and port are returned', () => {
    expect(describeServer('redis://svc-user:s3cret@cache.internal:6380/2')).toBe(
      'cache.internal:6380',
    );
  });

  it('when the URL has no port, then the Redis default port is shown', () => {
    expect(describeServer('rediss://cache.internal')).toBe('cache.internal:6379');
  });

  it('when the URL is malformed or not redis, then it throws without echoing the URL', () => {
    expect(() => describeServer('not a url s3cret')).toThrow(RedisConnectionError);
    expect(() => describeServer('not a url s3cret')).not.toThrow(/s3cret/);
    expect(() => describeServer('http://user:s3cret@host:80')).toThrow(/redis:\/\/ or rediss:\/\//);
  });
});

describe('reconnectDelayMs', () => {
  it('when retries grow, then the delay grows and stays capped', () => {
    const first = reconnectDelayMs(0);
    const later = reconnectDelayMs(3);
    expect(first).toBeGreaterThanOrEqual(100);
    expect(first).toBeLessThan(350);
    expect(later).toBeGreaterThanOrEqual(800);
    for (const retries of [10, 100, 10_000]) {
      const delay = reconnectDelayMs(retries);
      expect(delay).toBeGreaterThanOrEqual(5_000);
      expect(delay).toBeLessThan(5_250);
    }
  });
});

describe('isRedisUnavailable', () => {
  it('when a command is sent on a client that is not connected, then its error counts as unavailable, and other errors do not', async () => {
    const closed = createClient({ url: 'redis://127.0.0.1:1' });

    const error = await closed.get('key').then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(isRedisUnavailable(error)).toBe(true);
    expect(isRedisUnavailable(new Error('WRONGTYPE'))).toBe(false);
  });
});

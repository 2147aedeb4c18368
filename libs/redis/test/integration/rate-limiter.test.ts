import { AppError } from '@learning/errors';
import { expect, it } from 'vitest';
import { describeWithServers } from '@learning/testing';
import { RateLimiter, redisKey } from '../../src/index.js';
import { runId, useRedisTestBed } from './support.js';

describeWithServers(['redis'], 'RateLimiter', (servers) => {
  const bed = useRedisTestBed(servers, 'redis-lib-test');

  it('when a key consumes its points, then the next call is refused with a retry time within the window', async () => {
    const limiter = new RateLimiter(bed.client, {
      name: `${runId}-login`,
      points: 3,
      durationSeconds: 60,
    });
    const decisions = [];
    for (let call = 0; call < 4; call++) decisions.push(await limiter.consume('user-1'));

    expect(decisions.slice(0, 3)).toEqual([
      { allowed: true, remaining: 2, retryAfterSeconds: 0, limit: 3 },
      { allowed: true, remaining: 1, retryAfterSeconds: 0, limit: 3 },
      { allowed: true, remaining: 0, retryAfterSeconds: 0, limit: 3 },
    ]);
    const refused = decisions[3];
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 3 });
    expect(refused?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused?.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('when one key is exhausted, then another key of the same limiter is unaffected', async () => {
    const limiter = new RateLimiter(bed.client, {
      name: `${runId}-api`,
      points: 2,
      durationSeconds: 60,
    });
    await limiter.consume('203.0.113.7');
    await limiter.consume('203.0.113.7');
    expect((await limiter.consume('203.0.113.7')).allowed).toBe(false);

    expect(await limiter.consume('2001:db8::1')).toEqual({
      allowed: true,
      remaining: 1,
      retryAfterSeconds: 0,
      limit: 2,
    });
  });

  it('when points are consumed, then the counter lives under the ls:ratelimit:<name>:<key> key with the window as TTL', async () => {
    const name = `${runId}-keys`;
    const limiter = new RateLimiter(bed.client, { name, points: 10, durationSeconds: 30 });
    await limiter.consume('user-2', 4);

    const key = redisKey('ratelimit', name, 'user-2');
    expect(await bed.client.get(key)).toBe('4');
    const ttl = await bed.client.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('when a call asks for more points than remain, then it is refused', async () => {
    const limiter = new RateLimiter(bed.client, {
      name: `${runId}-bulk`,
      points: 5,
      durationSeconds: 60,
    });
    expect((await limiter.consume('org-1', 4)).remaining).toBe(1);
    expect((await limiter.consume('org-1', 2)).allowed).toBe(false);
  });

  it('when the key contains whitespace, then consume rejects with an invalid_argument AppError', async () => {
    const limiter = new RateLimiter(bed.client, {
      name: `${runId}-bad`,
      points: 5,
      durationSeconds: 60,
    });
    const error: unknown = await limiter.consume('user 1').catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('invalid_argument');
  });

  it('when points or duration are not positive integers, then construction throws', () => {
    expect(
      () => new RateLimiter(bed.client, { name: `${runId}-x`, points: 0, durationSeconds: 60 }),
    ).toThrow(RangeError);
    expect(
      () => new RateLimiter(bed.client, { name: `${runId}-x`, points: 1, durationSeconds: 1.5 }),
    ).toThrow(RangeError);
  });
});

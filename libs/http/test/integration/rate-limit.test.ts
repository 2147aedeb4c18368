import type { LocalIssuer } from '@learning/auth';
import type { RedisClient } from '@learning/redis';
import { describeWithServers } from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { localIssuer, testServer, type TestServer } from '../support.js';
import { connectTestRedis, deleteServiceKeys, uniqueService } from './redis-support.js';

describeWithServers(['redis'], 'rate limiting on Redis', (servers) => {
  let redis: RedisClient;
  let issuer: LocalIssuer;
  let server: TestServer;
  let service: string;

  beforeAll(async () => {
    redis = await connectTestRedis(servers.redis.url);
    issuer = await localIssuer();
    service = uniqueService();
    server = await testServer(issuer, {
      service: { name: service, version: '0.0.1' },
      redis,
      rateLimit: { points: 3, durationSeconds: 60 },
    });
    const { app } = server;
    app.get('/a', { config: { auth: 'optional' } }, () => ({ ok: true }));
    app.get('/b', { config: { auth: 'optional' } }, () => ({ ok: true }));
    app.get(
      '/search',
      { config: { auth: 'none', rateLimit: { points: 1, durationSeconds: 60 } } },
      () => ({}),
    );
    app.get('/unlimited', { config: { auth: 'none', rateLimit: false } }, () => ({}));
    await app.ready();
  });

  afterAll(async () => {
    await server.app.close();
    await deleteServiceKeys(redis, service);
    redis.destroy();
  });

  const fromAddress = (remoteAddress: string, url: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'GET', url, remoteAddress, headers });

  it('when a client exceeds the default limit across routes, then 429 RATE_LIMITED with Retry-After and RateLimit headers', async () => {
    const statuses: number[] = [];
    for (const url of ['/a', '/b', '/a'])
      statuses.push((await fromAddress('10.0.0.1', url)).statusCode);

    const limited = await fromAddress('10.0.0.1', '/b');

    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-limit']).toBe('3');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
  });

  it('when a request is allowed, then the RateLimit headers count down', async () => {
    const first = await fromAddress('10.0.0.2', '/a');
    const second = await fromAddress('10.0.0.2', '/a');

    expect([first.headers['ratelimit-remaining'], second.headers['ratelimit-remaining']]).toEqual([
      '2',
      '1',
    ]);
  });

  it('when another address calls, then it has its own allowance', async () => {
    for (let i = 0; i < 4; i += 1) await fromAddress('10.0.0.3', '/a');

    const other = await fromAddress('10.0.0.4', '/a');

    expect(other.statusCode).toBe(200);
  });

  it('when two people share an address, then each authenticated person is counted apart', async () => {
    const alice = {
      authorization: `Bearer ${await issuer.sign({ subject: 'alice', roles: ['participant'] })}`,
    };
    const bob = {
      authorization: `Bearer ${await issuer.sign({ subject: 'bob', roles: ['participant'] })}`,
    };
    for (let i = 0; i < 3; i += 1) await fromAddress('10.0.0.5', '/a', alice);

    const aliceAgain = await fromAddress('10.0.0.5', '/a', alice);
    const bobFirst = await fromAddress('10.0.0.5', '/a', bob);

    expect(aliceAgain.statusCode).toBe(429);
    expect(bobFirst.statusCode).toBe(200);
  });

  it('when a route sets its own limit, then it applies there and apart from the default', async () => {
    const first = await fromAddress('10.0.0.6', '/search');
    const second = await fromAddress('10.0.0.6', '/search');
    const elsewhere = await fromAddress('10.0.0.6', '/a');

    expect([first.statusCode, second.statusCode, elsewhere.statusCode]).toEqual([200, 429, 200]);
    expect(second.headers['ratelimit-limit']).toBe('1');
  });

  it('when a route opts out, or is a probe, then it is never limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await fromAddress('10.0.0.7', '/unlimited')).statusCode);
      statuses.push((await fromAddress('10.0.0.7', '/healthz')).statusCode);
    }

    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(
      (await fromAddress('10.0.0.7', '/unlimited')).headers['ratelimit-limit'],
    ).toBeUndefined();
  });
});

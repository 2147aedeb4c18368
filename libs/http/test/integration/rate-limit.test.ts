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

describeWithServers(['redis'], 'rate limiting behind a proxy', (servers) => {
  let redis: RedisClient;
  const started: { server: TestServer; service: string }[] = [];

  beforeAll(async () => {
    redis = await connectTestRedis(servers.redis.url);
  });

  afterAll(async () => {
    for (const { server, service } of started) {
      await server.app.close();
      await deleteServiceKeys(redis, service);
    }
    redis.destroy();
  });

  /** A server allowing one anonymous request per client, trusting `trustProxy`. */
  async function limitedServer(trustProxy?: number | readonly string[]): Promise<TestServer> {
    const service = uniqueService();
    const server = await testServer(undefined, {
      service: { name: service, version: '0.0.1' },
      redis,
      rateLimit: { points: 1, durationSeconds: 60 },
      ...(trustProxy === undefined ? {} : { trustProxy }),
    });
    server.app.get('/portal', () => ({ ok: true }));
    await server.app.ready();
    started.push({ server, service });
    return server;
  }

  /** Two portal users whose requests both arrive through the ingress at 10.1.0.2. */
  const twoUsersThroughTheIngress = async (server: TestServer): Promise<number[]> => {
    const statuses: number[] = [];
    for (const client of ['203.0.113.7', '198.51.100.9']) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/portal',
        remoteAddress: '10.1.0.2',
        headers: { 'x-forwarded-for': client },
      });
      statuses.push(response.statusCode);
    }
    return statuses;
  };

  it('when no proxy is trusted, then users behind the ingress share its address and one bucket', async () => {
    expect(await twoUsersThroughTheIngress(await limitedServer())).toEqual([200, 429]);
  });

  it('when one hop is trusted, then each user is counted by the address the ingress forwarded', async () => {
    expect(await twoUsersThroughTheIngress(await limitedServer(1))).toEqual([200, 200]);
  });

  it('when the ingress range is trusted, then each user is counted apart, and a client naming itself is not believed', async () => {
    const server = await limitedServer(['10.1.0.0/16']);

    expect(await twoUsersThroughTheIngress(server)).toEqual([200, 200]);

    // Straight from the internet, a forged header names someone else: counted by the socket.
    const spoof = (forwardedFor: string) =>
      server.app.inject({
        method: 'GET',
        url: '/portal',
        remoteAddress: '192.0.2.50',
        headers: { 'x-forwarded-for': forwardedFor },
      });
    expect((await spoof('203.0.113.100')).statusCode).toBe(200);
    expect((await spoof('203.0.113.101')).statusCode).toBe(429);
  });
});

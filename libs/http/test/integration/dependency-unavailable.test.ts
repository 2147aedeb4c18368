import { connectMongo } from '@learning/mongo';
import { PublicPageCache, type RedisClient } from '@learning/redis';
import {
  captureLogger,
  describeWithServers,
  startTcpProxy,
  uniqueName,
  type TcpProxy,
} from '@learning/testing';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { publicPageKey, publicPageSender } from '../../src/index.js';
import { testServer, type TestServer } from '../support.js';
import { connectTestRedis, deleteServiceKeys, uniqueService } from './redis-support.js';

describeWithServers(['mongo', 'redis'], 'a dependency that does not answer', (servers) => {
  let redis: RedisClient;
  let service: string;
  const opened: {
    proxy: TcpProxy;
    connection: Awaited<ReturnType<typeof connectMongo>>;
    server: TestServer;
  }[] = [];

  beforeAll(async () => {
    redis = await connectTestRedis(servers.redis.url);
    service = uniqueService();
  });

  afterEach(async () => {
    for (const { proxy, connection, server } of opened.splice(0)) {
      await server.app.close();
      await connection.close(true);
      await proxy.close();
    }
  });

  afterAll(async () => {
    await deleteServiceKeys(redis, service);
    redis.destroy();
  });

  /** A public listing rendered from MongoDB reached through a proxy, cached in Redis. */
  async function listingServer(): Promise<{ server: TestServer; proxy: TcpProxy }> {
    const proxy = await startTcpProxy(servers.mongo.uri);
    const connection = await connectMongo({
      uri: proxy.through(servers.mongo.uri),
      database: uniqueName('http_dependency'),
      logger: captureLogger('http-dependency').logger,
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
      socketTimeoutMS: 500,
    });
    const things = connection.collection('things');
    const pages = new PublicPageCache(
      redis,
      { name: `${service}-${uniqueName('pages')}`, ttlMs: 60_000 },
      captureLogger('http-dependency-pages').logger,
    );
    const server = await testServer(undefined, { service: { name: service, version: '0.0.1' } });
    const sendPublic = publicPageSender(pages, 5);
    server.app.get<{ Querystring: { q?: string } }>('/public/things', async (request, reply) => {
      await sendPublic(reply, publicPageKey('/public/things', request.query), () =>
        things.find({ name: request.query.q ?? '' }).toArray(),
      );
    });
    await server.app.ready();
    opened.push({ proxy, connection, server });
    return { server, proxy };
  }

  it('when MongoDB stops answering while a page is rendered, then 503 DEPENDENCY_UNAVAILABLE with Retry-After, logged as a warning', async () => {
    const { server, proxy } = await listingServer();
    const before = await server.app.inject({ method: 'GET', url: '/public/things?q=first' });
    proxy.stall();

    const during = await server.app.inject({ method: 'GET', url: '/public/things?q=second' });

    expect(before.statusCode).toBe(200);
    expect(during.statusCode).toBe(503);
    expect(during.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(during.headers['retry-after']).toBe('5');
    expect(
      server.logs.lines.some(
        (line) =>
          line['level'] === 'warn' &&
          line['msg'] === 'request refused: a dependency did not answer',
      ),
    ).toBe(true);
  });

  it('when MongoDB is gone (connections refused), then 503 DEPENDENCY_UNAVAILABLE, not 500', async () => {
    const { server, proxy } = await listingServer();
    await proxy.close();

    const response = await server.app.inject({ method: 'GET', url: '/public/things?q=gone' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('when a route meets a Redis connection that is closed, then 503 DEPENDENCY_UNAVAILABLE, not 500', async () => {
    const closed = await connectTestRedis(servers.redis.url);
    await closed.close();
    const server = await testServer(undefined, { service: { name: service, version: '0.0.1' } });
    server.app.get('/counter', async () => ({ count: await closed.get(`${service}:counter`) }));
    await server.app.ready();

    const response = await server.app.inject({ method: 'GET', url: '/counter' });
    await server.app.close();

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(response.headers['retry-after']).toBe('5');
  });
});

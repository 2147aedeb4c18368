import { once } from 'node:events';
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { captureLogger, describeWithServers } from '@learning/testing';
import {
  connectRedis,
  redisReady,
  RedisConnectionError,
  type RedisClient,
} from '../../src/index.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A TCP relay to the real Redis that a test can stop, restart or silence, standing in for a server that goes away. */
class Relay {
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | undefined;
  silent = false;

  constructor(
    readonly port: number,
    readonly upstream: URL,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const { hostname, port } = this.upstream;
    const server = net.createServer((socket) => {
      const target = net.connect(Number(port || 6379), hostname);
      for (const end of [socket, target]) {
        this.#sockets.add(end);
        end.on('error', () => end.destroy());
        end.on('close', () => {
          this.#sockets.delete(end);
          socket.destroy();
          target.destroy();
        });
      }
      socket.on('data', (data) => {
        if (!this.silent) target.write(data);
      });
      target.pipe(socket);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

function closeLater(client: RedisClient): void {
  cleanups.push(() => {
    if (client.isOpen) client.destroy();
  });
}

describeWithServers(['redis'], 'connectRedis', (servers) => {
  afterEach(runCleanups);

  it('when the server is up, then it resolves a ready client named as asked', async () => {
    const client = await connectRedis({
      url: servers.redis.url,
      logger: captureLogger('redis-test').logger,
      name: 'scoring-test',
    });
    closeLater(client);
    expect(client.isReady).toBe(true);
    expect(await client.clientGetName()).toBe('scoring-test');
    expect(await redisReady(client)).toBe(true);
  });

  it('when nothing listens on the port, then it rejects with a clear error naming the server but not the credentials', async () => {
    const port = await freePort();
    const { logger, text } = captureLogger('redis-test');

    const error: unknown = await connectRedis({
      url: `redis://svc-user:s3cret-pass@127.0.0.1:${port}`,
      logger,
      connectTimeoutMs: 1_500,
    }).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(RedisConnectionError);
    const message = (error as Error).message;
    expect(message).toBe(
      `Could not connect to Redis at 127.0.0.1:${port} within 1500 ms (ECONNREFUSED).`,
    );
    expect(text()).toContain('redis connection error');
    expect(text()).not.toContain('s3cret-pass');
    expect(text()).not.toContain('svc-user');
  });

  it('when the server refuses the credentials, then it rejects with the refusal and without the password', async () => {
    const { logger, text } = captureLogger('redis-test');
    const withPassword = new URL(servers.redis.url);
    withPassword.username = 'svc-user';
    withPassword.password = 's3cret-pass';

    const error: unknown = await connectRedis({
      url: withPassword.href,
      logger,
      connectTimeoutMs: 1_000,
    }).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(RedisConnectionError);
    expect((error as Error).message).toMatch(
      /^Could not connect to Redis at .+ within 1000 ms \((WRONGPASS|ERR AUTH|NOAUTH)/,
    );
    expect((error as Error).message).not.toContain('s3cret-pass');
    expect(text()).not.toContain('s3cret-pass');
  });

  it('when the name is not a valid client name, then it rejects before connecting', async () => {
    await expect(
      connectRedis({
        url: servers.redis.url,
        logger: captureLogger('redis-test').logger,
        name: 'two words',
      }),
    ).rejects.toThrow(RedisConnectionError);
  });
});

describeWithServers(['redis'], 'redisReady', (servers) => {
  afterEach(runCleanups);

  it('when the server goes away, then it is false; when the server returns, then the client reconnects and it is true', async () => {
    const relay = new Relay(await freePort(), new URL(servers.redis.url));
    await relay.start();
    cleanups.push(() => relay.stop());
    const { logger, text } = captureLogger('redis-test');
    const client = await connectRedis({ url: relay.url, logger, connectTimeoutMs: 2_000 });
    closeLater(client);
    expect(await redisReady(client)).toBe(true);

    const lost = once(client, 'error');
    await relay.stop();
    await lost;
    expect(await redisReady(client)).toBe(false);
    await expect(client.ping()).rejects.toThrow();

    // Not events.once: the failed reconnect attempts emit 'error', which would reject it.
    const back = new Promise((resolve) => client.once('ready', resolve));
    await relay.start();
    await back;
    expect(await redisReady(client)).toBe(true);
    expect(text()).toContain('redis connection error');
  });

  it('when the server stops answering, then it is false after the timeout', async () => {
    const relay = new Relay(await freePort(), new URL(servers.redis.url));
    await relay.start();
    cleanups.push(() => relay.stop());
    const client = await connectRedis({
      url: relay.url,
      logger: captureLogger('redis-test').logger,
    });
    closeLater(client);

    relay.silent = true;

    expect(client.isReady).toBe(true);
    expect(await redisReady(client, 300)).toBe(false);
  });
});

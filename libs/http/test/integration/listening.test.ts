import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeGracefully } from '../../src/index.js';
import { deferred, testServer, type TestServer } from '../support.js';

interface Answer {
  status: number;
  body: string;
}

interface Outgoing {
  method?: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Holds the body back until this settles, so it reaches the server in a later packet than the headers. */
  bodyAfter?: Promise<void>;
}

/** One request on its own connection, as a new client would open it. */
function send(port: number, options: Outgoing): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        agent: false,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (response: IncomingMessage) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    outgoing.on('error', reject);
    if (options.bodyAfter === undefined) {
      outgoing.end(options.body);
      return;
    }
    outgoing.flushHeaders();
    void options.bodyAfter.then(() => outgoing.end(options.body));
  });
}

async function listen(server: TestServer): Promise<number> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return (server.app.server.address() as AddressInfo).port;
}

describe('a listening server', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    if (server !== undefined && server.app.server.listening) await server.app.close();
    server = undefined;
  });

  it('when a JSON body arrives after the headers, then the handler still logs with the request correlation id', async () => {
    server = await testServer(undefined);
    const { app, logs } = server;
    const headersSeen = deferred();
    app.addHook('onRequest', async () => {
      headersSeen.resolve();
    });
    app.post('/echo', async (request) => {
      await sleep(1);
      request.log.info('handling the body');
      return request.body;
    });
    const port = await listen(server);

    const answer = await send(port, {
      method: 'POST',
      path: '/echo',
      body: JSON.stringify({ title: 'Reading festival' }),
      headers: { 'x-correlation-id': 'corr-socket-0001' },
      bodyAfter: headersSeen.promise,
    });

    expect(answer).toEqual({ status: 200, body: '{"title":"Reading festival"}' });
    const handling = logs.lines.find((line) => line.msg === 'handling the body');
    expect(handling?.correlationId).toBe('corr-socket-0001');
  });

  it('when a body arriving after the headers is malformed, then the refusal is logged with the correlation id', async () => {
    server = await testServer(undefined);
    const { app, logs } = server;
    const headersSeen = deferred();
    app.addHook('onRequest', async () => {
      headersSeen.resolve();
    });
    app.post('/echo', (request) => request.body);
    const port = await listen(server);

    const answer = await send(port, {
      method: 'POST',
      path: '/echo',
      body: '{"title":',
      headers: { 'x-correlation-id': 'corr-socket-0002' },
      bodyAfter: headersSeen.promise,
    });

    expect(answer.status).toBe(400);
    const lines = logs.lines.filter((line) => line.correlationId === 'corr-socket-0002');
    expect(lines.map((line) => [line.msg, line['code'] ?? line['statusCode']])).toEqual([
      ['request refused', 'MALFORMED_JSON'],
      ['request completed', 400],
    ]);
  });

  it('when closing with a request in flight, then that request completes and new connections are refused', async () => {
    server = await testServer(undefined);
    const release = deferred();
    const entered = deferred();
    server.app.get('/slow', async () => {
      entered.resolve();
      await release.promise;
      return { finished: true };
    });
    const port = await listen(server);
    const inFlight = send(port, { path: '/slow' });
    await entered.promise;

    const closing = closeGracefully(server.app, 10_000);
    await vi.waitFor(() => {
      expect(server?.app.server.listening).toBe(false);
    });
    const refused = await send(port, { path: '/healthz' }).catch((error: unknown) => error);
    release.resolve();

    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(await inFlight).toEqual({ status: 200, body: '{"finished":true}' });
    expect(await closing).toBe(true);
  });

  it('when a request outlives the shutdown deadline, then its connection is cut and close reports it', async () => {
    server = await testServer(undefined);
    const entered = deferred();
    server.app.get('/stuck', async () => {
      entered.resolve();
      await new Promise(() => undefined);
    });
    const port = await listen(server);
    const inFlight = send(port, { path: '/stuck' }).catch((error: unknown) => error);
    await entered.promise;

    const drained = await closeGracefully(server.app, 50);

    expect(drained).toBe(false);
    expect(await inFlight).toMatchObject({ code: 'ECONNRESET' });
    expect(server.app.server.listening).toBe(false);
  });
});

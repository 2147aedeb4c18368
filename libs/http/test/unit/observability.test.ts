import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalIssuer } from '@learning/auth';
import { Type } from '@sinclair/typebox';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_HELMET_OPTIONS } from '../../src/docs.js';
import { localIssuer, testServer, type TestServer } from '../support.js';

const PHONE = '13812345678';
const ID_NUMBER = '11010519491231002X';

describe('correlation ids and request logs', () => {
  let issuer: LocalIssuer;
  let server: TestServer;

  beforeAll(async () => {
    issuer = await localIssuer();
    server = await testServer(issuer);
    const { app, logs } = server;
    app.get('/slow', { config: { auth: 'none' } }, async (request) => {
      await sleep(5);
      request.log.info('after an await');
      // A module that only knows the process's root logger still writes the request's id.
      logs.logger.info('from the root logger');
      await Promise.resolve();
      return { ok: true };
    });
    app.post(
      '/participants',
      {
        config: { auth: 'none' },
        schema: {
          body: Type.Object(
            {
              name: Type.String(),
              phone: Type.String({ pattern: '^1[3-9]\\d{9}$' }),
              age: Type.Integer(),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        await sleep(1);
        request.log.info({ participant: request.body }, 'registering');
        return { ok: true };
      },
    );
    app.get('/me', async (request) => {
      await sleep(1);
      request.log.info('acting');
      return {};
    });
    await app.ready();
  });

  afterAll(async () => {
    await server.app.close();
  });

  const linesOf = (correlationId: string) =>
    server.logs.lines.filter((line) => line.correlationId === correlationId);

  it('when a valid x-correlation-id is sent, then it is echoed and carried by every line of the request, across awaits', async () => {
    const correlationId = 'corr-0001-abcdef';

    const response = await server.app.inject({
      method: 'GET',
      url: '/slow',
      headers: { 'x-correlation-id': correlationId },
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    expect(linesOf(correlationId).map((line) => line.msg)).toEqual([
      'after an await',
      'from the root logger',
      'request completed',
    ]);
  });

  it('when no correlation id is sent, then one is made, echoed and logged', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/slow' });

    const correlationId = response.headers['x-correlation-id'];
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(linesOf(String(correlationId))).toHaveLength(3);
  });

  it('when the sent correlation id is malformed, then it is replaced rather than trusted', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/slow',
      headers: { 'x-correlation-id': 'bad id\n{"level":"fatal"}' },
    });

    expect(response.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the body was parsed from a stream, then handler lines still carry the correlation id', async () => {
    const correlationId = 'corr-0002-body';

    await server.app.inject({
      method: 'POST',
      url: '/participants',
      headers: { 'x-correlation-id': correlationId },
      payload: { name: 'Li', phone: PHONE, age: 30 },
    });

    expect(linesOf(correlationId).map((line) => line.msg)).toEqual([
      'registering',
      'request completed',
    ]);
  });

  it('when the request is authenticated, then its lines name the actor', async () => {
    const correlationId = 'corr-0003-actor';
    const token = await issuer.sign({ subject: 'user-42', roles: ['participant'] });

    await server.app.inject({
      method: 'GET',
      url: '/me',
      headers: { 'x-correlation-id': correlationId, authorization: `Bearer ${token}` },
    });

    const lines = linesOf(correlationId);
    expect(lines.map((line) => [line.msg, line['actor']])).toEqual([
      ['acting', 'user-42'],
      ['request completed', 'user-42'],
    ]);
  });

  it('when a request completes, then one info line gives the route pattern, status and duration', async () => {
    const correlationId = 'corr-0004-completed';

    await server.app.inject({
      method: 'GET',
      url: '/slow?x=1',
      headers: { 'x-correlation-id': correlationId },
    });

    const completed = linesOf(correlationId).find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/slow',
      statusCode: 200,
    });
    expect(typeof completed?.['responseTimeMs']).toBe('number');
  });

  it('when personal data is sent in a body, a bad field and a token, then no log line contains any of it', async () => {
    const token = await issuer.sign({ subject: 'user-1', roles: ['participant'] });

    const valid = await server.app.inject({
      method: 'POST',
      url: '/participants',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'Li', phone: PHONE, age: 30 },
    });
    const invalid = await server.app.inject({
      method: 'POST',
      url: '/participants',
      payload: { name: 'Li', phone: ID_NUMBER, age: 30 },
    });

    expect(valid.statusCode).toBe(200);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).not.toContain(ID_NUMBER);
    const text = server.logs.text();
    expect(text).toContain('registering');
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain(token);
  });

  it('when a probe is polled, then its request line is written at debug, not info', async () => {
    const correlationId = 'corr-0005-probe';

    await server.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-correlation-id': correlationId },
    });

    expect(linesOf(correlationId).map((line) => [line.msg, line.level])).toEqual([
      ['request completed', 'debug'],
    ]);
  });
});

describe('probes', () => {
  it('when every readiness check passes, then /readyz is 200 with each check', async () => {
    const { app } = await testServer(undefined, {
      readiness: { mongo: () => Promise.resolve(true), redis: () => Promise.resolve(true) },
    });

    const response = await app.inject({ method: 'GET', url: '/readyz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { mongo: 'ok', redis: 'ok' } });
    await app.close();
  });

  it('when checks fail, throw or hang, then /readyz is 503 and names each of them', async () => {
    const { app, logs } = await testServer(undefined, {
      readinessTimeoutMs: 20,
      readiness: {
        mongo: () => Promise.resolve(true),
        kafka: () => Promise.resolve(false),
        redis: () => Promise.reject(new Error('ECONNREFUSED')),
        grpc: () => new Promise<boolean>(() => undefined),
      },
    });

    const response = await app.inject({ method: 'GET', url: '/readyz' });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'unavailable',
      checks: { mongo: 'ok', kafka: 'failed', redis: 'failed', grpc: 'timeout' },
      failed: ['kafka', 'redis', 'grpc'],
    });
    expect(logs.text()).toContain('ECONNREFUSED');
    await app.close();
  });

  it('when /healthz is asked, then 200 whatever the dependencies say', async () => {
    const { app } = await testServer(undefined, {
      readiness: { mongo: () => Promise.resolve(false) },
    });

    const response = await app.inject({ method: 'GET', url: '/healthz' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    await app.close();
  });
});

describe('metrics', () => {
  it('when routes have been served, then /metrics has the duration histogram by route pattern and status', async () => {
    const { app, registry } = await testServer(undefined);
    app.get('/activities/:id', () => ({ ok: true }));
    registry.setDefaultLabels({});
    await app.inject({ method: 'GET', url: '/activities/17' });
    await app.inject({ method: 'GET', url: '/activities/18' });
    await app.inject({ method: 'GET', url: '/nothing-here' });

    const response = await app.inject({ method: 'GET', url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="/activities/:id",status_code="200"} 2',
    );
    expect(response.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1',
    );
    expect(response.body).not.toContain('/activities/17');
    await app.close();
  });
});

describe('OpenAPI and security headers', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await testServer(await localIssuer());
    server.app.post(
      '/activities',
      {
        schema: {
          summary: 'Publish an activity',
          body: Type.Object({ title: Type.String() }, { additionalProperties: false }),
          response: { 201: Type.Object({ id: Type.String() }) },
        },
      },
      (_request, reply) => {
        reply.code(201);
        return { id: 'a1' };
      },
    );
    server.app.get('/catalogue', { config: { auth: 'none' } }, () => []);
    await server.app.ready();
  });

  afterAll(async () => {
    await server.app.close();
  });

  it('when /openapi.json is fetched, then it is OpenAPI 3 with the routes, the bearer scheme and per-route security', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/openapi.json' });

    expect(response.statusCode).toBe(200);
    const document = response.json<{
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, { summary?: string; security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Test API', version: '1.2.3' });
    expect(document.components.securitySchemes['bearerAuth']).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.paths['/activities']?.['post']).toMatchObject({
      summary: 'Publish an activity',
      security: [{ bearerAuth: [] }],
    });
    expect(document.paths['/catalogue']?.['get']?.security).toBeUndefined();
    expect(Object.keys(document.paths)).not.toContain('/healthz');
  });

  it('when an API route answers, then it carries the strict API policy and helmet headers', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/catalogue' });

    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
  });

  it('when an API route answers, then it carries every header helmet itself sets, with the same values', async () => {
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    helmet(API_HELMET_OPTIONS)(response.req, response, () => undefined);
    const fromHelmet = Object.entries(response.getHeaders()).map(
      ([name, value]): [string, string] => [name, String(value)],
    );

    const answer = await server.app.inject({ method: 'GET', url: '/catalogue' });

    expect(fromHelmet.length).toBeGreaterThan(5);
    for (const [name, value] of fromHelmet)
      expect([name, answer.headers[name]]).toEqual([name, value]);
  });

  it('when /docs is opened, then the Swagger UI page is served with a policy that lets its own scripts run', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/docs/' });
    const script = await server.app.inject({
      method: 'GET',
      url: '/docs/static/swagger-initializer.js',
    });

    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain("default-src 'none'");
    expect(script.statusCode).toBe(200);
  });
});

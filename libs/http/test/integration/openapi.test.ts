import type { RedisClient } from '@learning/redis';
import { describeWithServers } from '@learning/testing';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { localIssuer, testServer, type TestServer } from '../support.js';
import { connectTestRedis, uniqueService } from './redis-support.js';
import { openApiOperations, type OpenApiDocument } from '../openapi-support.js';

describeWithServers(['redis'], 'the OpenAPI document', (servers) => {
  let redis: RedisClient;
  let server: TestServer;
  let document: OpenApiDocument;

  beforeAll(async () => {
    redis = await connectTestRedis(servers.redis.url);
    server = await testServer(await localIssuer(), {
      service: { name: uniqueService(), version: '0.0.1' },
      redis,
    });
    const Body = Type.Object({ title: Type.String() });
    const Params = Type.Object({ id: Type.String() });
    const { app } = server;
    app.post(
      '/activities',
      { config: { idempotency: 'required', roles: ['city_admin'] }, schema: { body: Body } },
      () => ({}),
    );
    app.post('/activities/:id/notes', { schema: { params: Params, body: Body } }, () => ({}));
    app.patch(
      '/activities/:id',
      { config: { idempotency: 'required' }, schema: { params: Params, body: Body } },
      () => ({}),
    );
    app.delete('/activities/:id', { schema: { params: Params } }, () => ({}));
    app.get(
      '/public/activities',
      {
        config: { auth: 'none' },
        schema: { response: { 200: Type.Array(Type.String()), 404: { description: 'Own words' } } },
      },
      () => [],
    );
    await app.ready();
    document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
  });

  afterAll(async () => {
    await server.app.close();
    redis.destroy();
  });

  it('when a write requires an Idempotency-Key, then it declares the header as required; an optional one declares it optional', () => {
    const header = (path: string, method: string) =>
      openApiOperations(document)
        .find((operation) => operation.path === path && operation.method === method)
        ?.parameters.find((parameter) => parameter.in === 'header');

    expect(header('/activities', 'post')).toMatchObject({
      name: 'idempotency-key',
      required: true,
    });
    expect(header('/activities/{id}', 'patch')).toMatchObject({ required: true });
    expect(header('/activities/{id}/notes', 'post')).toMatchObject({
      name: 'idempotency-key',
      required: false,
    });
    expect(header('/activities/{id}', 'delete')).toBeUndefined();
  });

  it('when any operation is read, then its 4xx and 500 answers use the one error schema', () => {
    const operations = openApiOperations(document);
    expect(operations.length).toBe(5);
    for (const operation of operations) {
      const errors = Object.entries(operation.responses).filter(([status]) => status >= '400');
      expect(errors.map(([status]) => status)).toEqual(expect.arrayContaining(['400', '500']));
      for (const [status, response] of errors) {
        if (operation.path === '/public/activities' && status === '404') continue;
        expect({
          operation: operation.id,
          status,
          schema: response.content?.['application/json']?.schema,
        }).toEqual({
          operation: operation.id,
          status,
          schema: { $ref: '#/components/schemas/Error' },
        });
      }
    }
    expect(document.components.schemas['Error']).toMatchObject({
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, details: { type: 'array' } },
    });
  });

  it('when an operation is authenticated, takes a path id, a body or a key, then the matching statuses are declared', () => {
    const statuses = (path: string, method: string) =>
      Object.keys(
        openApiOperations(document).find(
          (operation) => operation.path === path && operation.method === method,
        )?.responses ?? {},
      );

    expect(statuses('/activities', 'post')).toEqual(
      expect.arrayContaining(['401', '403', '409', '413', '415', '422', '429', '503']),
    );
    expect(statuses('/activities/{id}', 'delete')).toEqual(
      expect.arrayContaining(['401', '404', '409']),
    );
    expect(statuses('/public/activities', 'get')).not.toContain('401');
  });

  it('when a route describes one of its errors itself, then its own description stays', () => {
    const own = openApiOperations(document).find(
      (operation) => operation.path === '/public/activities',
    )?.responses['404'];
    expect(own?.description).toBe('Own words');
  });
});

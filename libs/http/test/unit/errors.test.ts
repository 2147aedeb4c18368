import { AppError } from '@learning/errors';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findForbiddenKey } from '../../src/forbidden-keys.js';
import { HttpError } from '../../src/index.js';
import { testServer, type TestServer } from '../support.js';

const Participant = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    age: Type.Integer({ minimum: 0 }),
    address: Type.Optional(
      Type.Object({ township: Type.String() }, { additionalProperties: false }),
    ),
    tags: Type.Optional(Type.Array(Type.Unknown())),
    filter: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

describe('error responses', () => {
  let server: TestServer;
  let handled = 0;

  beforeAll(async () => {
    server = await testServer(undefined, { bodyLimit: 1024 });
    server.app.post('/participants', { schema: { body: Participant } }, (request, reply) => {
      handled += 1;
      return reply.code(201).send({ name: request.body.name });
    });
    server.app.get(
      '/search',
      { schema: { querystring: Type.Object({ limit: Type.Integer({ maximum: 100 }) }) } },
      () => ({}),
    );
    server.app.get(
      '/since',
      { schema: { querystring: Type.Object({ from: Type.String({ format: 'date-time' }) }) } },
      () => ({}),
    );
    server.app.post(
      '/birthdays',
      { schema: { body: Type.Object({ on: Type.String({ format: 'date' }) }) } },
      () => ({}),
    );
    server.app.get('/missing', () => {
      throw new AppError('not_found', 'ACTIVITY_NOT_FOUND', 'No such activity.');
    });
    server.app.get('/busy', () => {
      throw new AppError('unavailable', 'SCORING_UNAVAILABLE', 'Scoring is busy.', {
        retryAfterSeconds: 7,
      });
    });
    server.app.get('/teapot', () => {
      throw new HttpError(422, 'invalid_argument', 'CANNOT_PROCESS', 'Cannot process this.');
    });
    server.app.get('/crash', () => {
      throw new Error('connection string mongodb://admin:hunter2@db broke');
    });
    await server.app.ready();
  });

  afterAll(async () => {
    await server.app.close();
  });

  it('when the body misses a field, has a wrong type and an unknown field, then 400 VALIDATION_FAILED lists each', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      payload: { age: 'old', nickname: 'x' },
    });

    expect(response.statusCode).toBe(400);
    const body = response.json<{
      code: string;
      message: string;
      details: { field: string; message: string }[];
    }>();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toBe('3 fields are not valid; see details.');
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: '/name', message: 'is required' },
        { field: '/nickname', message: 'is not an accepted field' },
        { field: '/age', message: 'must be integer' },
      ]),
    );
    expect(body.details).toHaveLength(3);
  });

  it('when a nested object carries an unknown field, then the field path points into it', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      payload: { name: 'Li', age: 30, address: { township: 'Xihu', floor: 3 } },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      details: [{ field: '/address/floor', message: 'is not an accepted field' }],
    });
  });

  it('when a query parameter is out of range, then the field is named under query', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/search?limit=500' });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'One field is not valid; see details.',
      details: [{ field: 'query/limit', message: 'must be <= 100' }],
    });
  });

  it.each([
    { name: '1e309', limit: '1e309' },
    { name: '400 nines', limit: '9'.repeat(400) },
    { name: '-Infinity', limit: '-Infinity' },
  ])(
    'when a query number overflows to Infinity ($name), then 400 rather than a limit past the maximum',
    async ({ limit }) => {
      const response = await server.app.inject({ method: 'GET', url: `/search?limit=${limit}` });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'query/limit' }],
      });
    },
  );

  it('when a query number is in range, then it still passes', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/search?limit=1e2' });

    expect(response.statusCode).toBe(200);
  });

  it('when an instant or a date lies in the year 0000, then 400 names the field', async () => {
    const instant = await server.app.inject({
      method: 'GET',
      url: '/since?from=0000-01-01T00:00:00.000Z',
    });
    const date = await server.app.inject({
      method: 'POST',
      url: '/birthdays',
      payload: { on: '0000-12-31' },
    });

    expect(instant.statusCode).toBe(400);
    expect(instant.json()).toMatchObject({ details: [{ field: 'query/from' }] });
    expect(date.statusCode).toBe(400);
    expect(date.json()).toMatchObject({ details: [{ field: '/on' }] });
  });

  it('when an instant or a date lies in the year 0001 or 9999, then it passes', async () => {
    for (const from of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'])
      expect(
        (await server.app.inject({ method: 'GET', url: `/since?from=${from}` })).statusCode,
      ).toBe(200);
    expect(
      (
        await server.app.inject({
          method: 'POST',
          url: '/birthdays',
          payload: { on: '0001-01-01' },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('when a body sends a number as a string, then 400 rather than a silent conversion', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      payload: { name: 'Li', age: '30' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      details: [{ field: '/age', message: 'must be integer' }],
    });
  });

  it('when the body is valid, then the handler runs', async () => {
    const before = handled;

    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      payload: { name: 'Li', age: 30 },
    });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ name: 'Li' });
    expect(handled).toBe(before + 1);
  });

  it('when the JSON is malformed, then 400 MALFORMED_JSON', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Li",',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON.',
    });
  });

  it('when the JSON body tries prototype poisoning, then 400 MALFORMED_JSON and the handler does not run', async () => {
    const before = handled;

    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Li", "age": 1, "__proto__": {"admin": true}}',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_JSON' });
    expect(handled).toBe(before);
  });

  it('when the body is larger than the limit, then 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      payload: { name: 'x'.repeat(2000), age: 1 },
    });

    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('when a JSON body is sent as text/plain, then 415 UNSUPPORTED_MEDIA_TYPE, not a schema error', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ name: 'x', age: 1 }),
    });

    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('when the content type is not accepted, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/participants',
      headers: { 'content-type': 'application/xml' },
      payload: '<participant/>',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('when no route matches, then 404 ROUTE_NOT_FOUND as JSON without echoing the path', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/participants/13812345678' });

    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      code: 'ROUTE_NOT_FOUND',
      message: 'Nothing is served at this method and path.',
    });
  });

  it('when a handler throws an AppError, then its kind decides the status and its code is returned', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/missing' });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'ACTIVITY_NOT_FOUND', message: 'No such activity.' });
  });

  it('when an AppError says when to retry, then Retry-After is set', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/busy' });

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
  });

  it('when an HttpError names its own status, then that status is sent', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/teapot' });

    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ code: 'CANNOT_PROCESS', message: 'Cannot process this.' });
  });

  it('when a handler throws an unknown error, then 500 INTERNAL hides the detail and the log keeps it', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/crash' });

    expect(response.statusCode).toBe(500);
    expect(response.json<{ code: string }>().code).toBe('INTERNAL');
    expect(response.body).not.toContain('hunter2');
    const logged = server.logs.lines.find((line) => line.msg === 'request failed unexpectedly');
    expect(logged?.level).toBe('error');
    expect(JSON.stringify(logged)).toContain('broke');
  });
});

describe('keys that could reach MongoDB as operators', () => {
  let server: TestServer;
  let handled = 0;

  beforeAll(async () => {
    server = await testServer(undefined);
    server.app.post('/anything', (_request, reply) => {
      handled += 1;
      return reply.code(204).send();
    });
    server.app.get('/list', () => ({ items: [] }));
    await server.app.ready();
  });

  afterAll(async () => {
    await server.app.close();
  });

  it.each([
    ['a top-level operator', { $where: 'sleep(1000)' }, '/$where'],
    ['a nested operator', { filter: { name: { $ne: null } } }, '/filter/name/$ne'],
    ['an operator inside an array', { tags: [{ ok: 1 }, { $gt: '' }] }, '/tags/1/$gt'],
    ['a dotted path', { 'roles.0': 'city_admin' }, '/roles.0'],
  ])(
    'when the body holds %s, then 400 FORBIDDEN_KEY names it and the handler does not run',
    async (_case, payload, field) => {
      const before = handled;

      const response = await server.app.inject({ method: 'POST', url: '/anything', payload });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'FORBIDDEN_KEY', details: [{ field }] });
      expect(handled).toBe(before);
    },
  );

  it('when a query parameter name starts with "$", then 400 FORBIDDEN_KEY', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/list?$where=1' });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'FORBIDDEN_KEY',
      details: [{ field: 'query/$where' }],
    });
  });

  it('when "$" appears only inside values, then the body is accepted', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/anything',
      payload: { price: '$5', note: 'a.b' },
    });

    expect(response.statusCode).toBe(204);
  });

  it('when a value is nested far deeper than a call stack allows, then its forbidden key is still found', () => {
    // Bodies this deep are refused before parsing (JSON_TOO_DEEP); the walk must not rely on that.
    const depth = 20_000;
    const value: unknown = JSON.parse(`${'['.repeat(depth)}{"$gt":1}${']'.repeat(depth)}`);

    expect(findForbiddenKey(value)).toBe(`${'/0'.repeat(depth)}/$gt`);
  });
});

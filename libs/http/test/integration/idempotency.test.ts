import type { LocalIssuer } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { RedisClient } from '@learning/redis';
import { describeWithServers } from '@learning/testing';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deferred, localIssuer, testServer, type Deferred, type TestServer } from '../support.js';
import { connectTestRedis, deleteServiceKeys, uniqueService } from './redis-support.js';

describeWithServers(['redis'], 'Idempotency-Key on Redis', (servers) => {
  let redis: RedisClient;
  let issuer: LocalIssuer;
  let server: TestServer;
  let service: string;
  let created = 0;
  let failures = 0;
  let gate: Deferred<void> | undefined;
  let entered: Deferred<void> | undefined;

  beforeAll(async () => {
    redis = await connectTestRedis(servers.redis.url);
    issuer = await localIssuer();
    service = uniqueService();
    server = await testServer(issuer, { service: { name: service, version: '0.0.1' }, redis });
    const { app } = server;
    const body = Type.Object({ title: Type.String() }, { additionalProperties: false });
    app.post(
      '/activities',
      { config: { auth: 'optional' }, schema: { body } },
      async (request, reply) => {
        entered?.resolve();
        if (gate !== undefined) await gate.promise;
        created += 1;
        return reply
          .code(201)
          .header('location', `/activities/a${created}`)
          .send({ id: `a${created}`, title: request.body.title });
      },
    );
    app.post('/flaky', { config: { auth: 'none' } }, () => {
      failures += 1;
      throw new Error('database went away');
    });
    app.post('/refused', { config: { auth: 'none' } }, () => {
      throw new AppError('failed_precondition', 'ACTIVITY_FULL', 'The activity is full.');
    });
    app.post(
      '/payments',
      { config: { auth: 'none', idempotency: 'required' } },
      (_request, reply) => reply.code(201).send({ paid: true }),
    );
    app.patch('/activities/:id', { config: { auth: 'none' } }, () => ({ patched: (created += 1) }));
    app.delete('/activities/:id', { config: { auth: 'none', idempotency: 'optional' } }, () => ({
      deleted: (created += 1),
    }));
    await app.ready();
  });

  afterAll(async () => {
    await server.app.close();
    await deleteServiceKeys(redis, service);
    redis.destroy();
  });

  const post = (
    url: string,
    key: string | undefined,
    payload: object,
    headers: Record<string, string> = {},
  ) =>
    server.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { ...headers, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    });

  it('when a POST is retried with the same key and body, then the first response is replayed and the work done once', async () => {
    const before = created;

    const first = await post('/activities', 'key-replay-1', { title: 'Reading month' });
    const retry = await post('/activities', 'key-replay-1', { title: 'Reading month' });

    expect(created).toBe(before + 1);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe(first.body);
    expect(retry.headers['location']).toBe(first.headers['location']);
    expect(retry.headers['content-type']).toBe(first.headers['content-type']);
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('when the same key comes with a different body, then 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await post('/activities', 'key-mismatch-1', { title: 'Reading month' });

    const reused = await post('/activities', 'key-mismatch-1', { title: 'Something else' });

    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('when a retry arrives while the first is still running, then 409 IDEMPOTENCY_KEY_IN_USE', async () => {
    gate = deferred();
    entered = deferred();
    const first = post('/activities', 'key-in-progress-1', { title: 'Lecture' });
    await entered.promise;

    const concurrent = await post('/activities', 'key-in-progress-1', { title: 'Lecture' });
    gate.resolve();
    gate = undefined;
    entered = undefined;

    expect(concurrent.statusCode).toBe(409);
    expect(concurrent.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    expect(concurrent.headers['retry-after']).toBe('1');
    expect((await first).statusCode).toBe(201);
  });

  it('when two people use the same key, then neither sees the other response', async () => {
    const alice = {
      authorization: `Bearer ${await issuer.sign({ subject: 'alice', roles: ['participant'] })}`,
    };
    const bob = {
      authorization: `Bearer ${await issuer.sign({ subject: 'bob', roles: ['participant'] })}`,
    };

    const fromAlice = await post('/activities', 'key-shared-1', { title: 'Same' }, alice);
    const fromBob = await post('/activities', 'key-shared-1', { title: 'Same' }, bob);

    expect(fromBob.headers['idempotent-replayed']).toBeUndefined();
    expect(fromBob.json<{ id: string }>().id).not.toBe(fromAlice.json<{ id: string }>().id);
  });

  it('when the handler fails with a 500, then nothing is stored and a retry runs again', async () => {
    const before = failures;

    const first = await post('/flaky', 'key-flaky-1', {});
    const retry = await post('/flaky', 'key-flaky-1', {});

    expect([first.statusCode, retry.statusCode]).toEqual([500, 500]);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(failures).toBe(before + 2);
  });

  it('when the handler refuses with a 4xx AppError, then the refusal is what a retry gets', async () => {
    await post('/refused', 'key-refused-1', {});

    const retry = await post('/refused', 'key-refused-1', {});

    expect(retry.statusCode).toBe(409);
    expect(retry.json()).toMatchObject({ code: 'ACTIVITY_FULL' });
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });

  it('when validation fails, then nothing is stored and a corrected retry with the same key goes through', async () => {
    const invalid = await post('/activities', 'key-invalid-1', { title: 42 });
    const corrected = await post('/activities', 'key-invalid-1', { title: 'Fixed' });

    expect(invalid.statusCode).toBe(400);
    expect(corrected.statusCode).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
  });

  it('when a route requires the header and it is missing, then 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    const missing = await post('/payments', undefined, {});
    const present = await post('/payments', 'key-payment-1', {});

    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED' });
    expect(present.statusCode).toBe(201);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(201)],
    ['with a space', 'two words'],
    ['with a control character', 'key\u0007bell'],
  ])('when the key is %s, then 400 IDEMPOTENCY_KEY_INVALID', async (_case, key) => {
    const response = await post('/activities', key, { title: 'x' });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
  });

  it('when a PATCH carries a key on a route that did not opt in, then the key is ignored', async () => {
    const first = await server.app.inject({
      method: 'PATCH',
      url: '/activities/a1',
      headers: { 'idempotency-key': 'key-patch-1' },
    });
    const second = await server.app.inject({
      method: 'PATCH',
      url: '/activities/a1',
      headers: { 'idempotency-key': 'key-patch-1' },
    });

    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body).not.toBe(first.body);
  });

  it('when a DELETE route opted in, then its retry is replayed', async () => {
    const first = await server.app.inject({
      method: 'DELETE',
      url: '/activities/a1',
      headers: { 'idempotency-key': 'key-delete-1' },
    });
    const second = await server.app.inject({
      method: 'DELETE',
      url: '/activities/a1',
      headers: { 'idempotency-key': 'key-delete-1' },
    });

    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toBe(first.body);
  });
});

describeWithServers(['redis'], 'when Redis is gone', (servers) => {
  let server: TestServer;

  beforeAll(async () => {
    const redis = await connectTestRedis(servers.redis.url);
    server = await testServer(undefined, {
      service: { name: uniqueService(), version: '0.0.1' },
      redis,
      rateLimit: { points: 1, durationSeconds: 60 },
    });
    server.app.post('/activities', (_request, reply) => reply.code(201).send({ ok: true }));
    await server.app.ready();
    redis.destroy();
  });

  afterAll(async () => {
    await server.app.close();
  });

  it('when requests arrive, then rate limiting lets them through and says so in the log', async () => {
    const first = await server.app.inject({ method: 'POST', url: '/activities', payload: {} });
    const second = await server.app.inject({ method: 'POST', url: '/activities', payload: {} });

    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(server.logs.text()).toContain('rate limit not checked: Redis unavailable');
  });

  it('when an Idempotency-Key is sent, then 503 IDEMPOTENCY_UNAVAILABLE rather than acting without the guarantee', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/activities',
      payload: {},
      headers: { 'idempotency-key': 'key-outage-1' },
    });

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'IDEMPOTENCY_UNAVAILABLE' });
    expect(response.headers['retry-after']).toBe('1');
  });
});

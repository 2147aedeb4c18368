/**
 * `learning health` and `learning demo seed` against real servers on
 * 127.0.0.1: a tiny fastify app and a grpc-js server with the platform's
 * health service stand for a service; no client library is mocked.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createGrpcServer, type GrpcServer } from '@learning/grpc';
import { ensureSigningKey, generateDemoCity, requestsFor } from '@learning/local-infra';
import { captureLogger } from '@learning/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learning } from '../support.js';

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('learning health', () => {
  const ready = { value: true };
  let http: FastifyInstance;
  let grpc: GrpcServer;
  let httpPort: number;
  let grpcPort: number;

  beforeAll(async () => {
    http = Fastify();
    http.get('/readyz', async (_request, reply) =>
      reply.code(ready.value ? 200 : 503).send({ status: ready.value ? 'ok' : 'down' }),
    );
    await http.listen({ host: '127.0.0.1', port: 0 });
    const address = http.server.address();
    httpPort = typeof address === 'object' && address !== null ? address.port : 0;
    grpc = createGrpcServer({
      logger: captureLogger('health-test').logger,
      registry: new Registry(),
      readiness: { store: () => Promise.resolve(ready.value) },
      healthPollMs: 20,
    });
    grpcPort = await grpc.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    await grpc.stop(100);
    await http.close();
  });

  it('when every service is ready, then the table says ready and SERVING and it exits 0', async () => {
    ready.value = true;
    const { code, stdout } = await learning('health', '--service', `alpha=${httpPort}:${grpcPort}`);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^service\s+http \/readyz\s+grpc health\s+where$/m);
    expect(stdout).toMatch(
      /^alpha\s+ready\s+SERVING\s+http:\/\/127\.0\.0\.1:\d+\s+127\.0\.0\.1:\d+$/m,
    );
  });

  it('when one service is not ready and another is down, then each row says so and it exits 1 naming them', async () => {
    ready.value = false;
    const down = [await freePort(), await freePort()];
    const { code, stdout, stderr } = await learning(
      'health',
      '--timeout',
      '1000',
      '--service',
      `alpha=${httpPort}:${grpcPort}`,
      '--service',
      `beta=${down[0] ?? 0}:${down[1] ?? 0}`,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^alpha\s+not ready \(503\)\s+NOT_SERVING/m);
    expect(stdout).toMatch(/^beta\s+unreachable\s+unreachable/m);
    expect(stderr).toContain('not healthy: alpha, beta');
  });

  it('when --service is malformed, then it refuses with exit 2', async () => {
    const { code, stderr } = await learning('health', '--service', 'alpha=80');
    expect(code).toBe(2);
    expect(stderr).toContain('--service takes name=httpPort:grpcPort');
  });
});

describe('learning demo seed', () => {
  interface Received {
    method: string;
    url: string;
    body: unknown;
    idempotencyKey: string | undefined;
    authorization: string | undefined;
    answeredId: string;
  }
  const received: Received[] = [];
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    ensureSigningKey();
    // Answers every request as the services do on success: the new resource's id.
    app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
    app.all('/*', async (request) => {
      const answeredId = randomUUID();
      received.push({
        method: request.method,
        url: request.url,
        body: request.body,
        idempotencyKey: request.headers['idempotency-key'] as string | undefined,
        authorization: request.headers.authorization,
        answeredId,
      });
      return { id: answeredId };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('when a small city is seeded, then every request of it arrives once, with a token and its own key, and members and pairings name the ids the services answered', async () => {
    const city = generateDemoCity({ size: 'small', seed: 5 });
    const { code, stdout } = await learning(
      'demo',
      'seed',
      '--size',
      'small',
      '--seed',
      '5',
      '--registration-url',
      base,
      '--activities-url',
      base,
      '--concurrency',
      '4',
      // Today's sign-ups and attendance wait a minute for the activities to end; a stack's test.
      '--no-history',
    );

    expect(code).toBe(0);
    expect(stdout).toContain(`${city.participants.length} participants`);
    expect(received).toHaveLength(requestsFor(city, true, false, false));
    expect(new Set(received.map((request) => request.idempotencyKey)).size).toBe(received.length);
    expect(received.every((request) => request.authorization?.startsWith('Bearer ey'))).toBe(true);

    const imported = received.find((request) => request.url === '/v1/jurisdictions:import');
    expect((imported?.body as { items: unknown[] }).items).toHaveLength(city.jurisdictions.length);
    const participantIds = new Set(
      received
        .filter((request) => request.url === '/v1/participants:register-for')
        .map((request) => request.answeredId),
    );
    expect(participantIds.size).toBe(city.participants.length);
    const memberships = received.filter((request) => request.method === 'PUT');
    expect(memberships).toHaveLength(
      city.organizations.reduce((total, { members }) => total + members.length, 0),
    );
    for (const { url } of memberships)
      expect(participantIds.has(url.split('/').at(-1) ?? '')).toBe(true);
    const organizationIds = new Set(
      received.filter((request) => request.url === '/v1/organizations').map((r) => r.answeredId),
    );
    const placeIds = new Set(
      received.filter((request) => request.url === '/v1/network/places').map((r) => r.answeredId),
    );
    const pairings = received.filter((request) => request.url === '/v1/network/pairings');
    expect(pairings).toHaveLength(city.pairings.length);
    const campaignId = received.find((request) => request.url === '/v1/campaigns')?.answeredId;
    const festival = received.filter((request) => request.url === '/v1/activities');
    expect(festival).toHaveLength(city.festivalActivities.length);
    for (const { body } of festival)
      expect((body as { campaignId: string }).campaignId).toBe(campaignId);
    for (const { body } of pairings) {
      const { enterpriseId, libraryId } = body as { enterpriseId: string; libraryId: string };
      expect(organizationIds.has(enterpriseId)).toBe(true);
      expect(placeIds.has(libraryId)).toBe(true);
    }
    // Some 600 HTTP requests: seconds on a busy machine.
  }, 30_000);

  it('when a service refuses a request, then the load stops with its status and exits 1', async () => {
    const refusing = Fastify();
    refusing.all('/*', async (_request, reply) =>
      reply.code(400).send({ code: 'VALIDATION_FAILED', message: 'no' }),
    );
    await refusing.listen({ host: '127.0.0.1', port: 0 });
    const address = refusing.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    try {
      const { code, stderr } = await learning(
        'demo',
        'seed',
        '--registration-url',
        url,
        '--no-network',
      );
      expect(code).toBe(1);
      expect(stderr).toContain('answered 400');
    } finally {
      await refusing.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localIssuer, testServer, type TestServer } from '../support.js';

const PORTAL = 'https://xuexi.city.test';
const ELSEWHERE = 'https://evil.test';

const preflight = (origin: string) => ({
  method: 'OPTIONS' as const,
  url: '/v1/things',
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization, content-type, idempotency-key',
  },
});

describe('CORS', () => {
  let server: TestServer;
  let unconfigured: TestServer;

  beforeAll(async () => {
    const issuer = await localIssuer();
    server = await testServer(issuer, { corsOrigins: [PORTAL] });
    unconfigured = await testServer(issuer);
    for (const { app } of [server, unconfigured]) {
      app.post('/v1/things', () => ({ ok: true }));
      await app.ready();
    }
  });

  afterAll(async () => {
    await server.app.close();
    await unconfigured.app.close();
  });

  it('when a configured portal sends a preflight, then it is granted without a token, with the headers the API needs', async () => {
    const response = await server.app.inject(preflight(PORTAL));

    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers['access-control-allow-headers']).toContain('idempotency-key');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['vary']).toContain('Origin');
  });

  it('when another origin sends a preflight, then it is not granted', async () => {
    const response = await server.app.inject(preflight(ELSEWHERE));

    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('when no origins are configured, then no origin is granted, not even a portal', async () => {
    const response = await unconfigured.app.inject(preflight(PORTAL));

    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('when a portal calls without a token, then the 401 carries the grant so the portal can read it', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { origin: PORTAL },
      payload: {},
    });

    expect(response.statusCode).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(response.headers['access-control-expose-headers']).toContain('x-correlation-id');
  });

  it('when another origin calls, then the answer carries no grant', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { origin: ELSEWHERE },
      payload: {},
    });

    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

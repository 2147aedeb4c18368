import type { LocalIssuer } from '@learning/auth';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, principalOf } from '../../src/index.js';
import { captureLogger } from '@learning/testing';
import { localIssuer, testServer, type TestServer } from '../support.js';

describe('authentication and roles', () => {
  let issuer: LocalIssuer;
  let server: TestServer;

  beforeAll(async () => {
    issuer = await localIssuer();
    server = await testServer(issuer);
    const app = server.app;
    app.get('/me', (request) => ({
      subject: principalOf(request).subject,
      roles: principalOf(request).roles,
    }));
    app.get('/admin', { config: { roles: ['city_admin'] } }, () => ({ ok: true }));
    app.get('/maybe', { config: { auth: 'optional' } }, (request) => ({
      subject: request.principal?.subject ?? null,
    }));
    app.get('/public', { config: { auth: 'none' } }, (request) => ({
      principal: request.principal ?? null,
    }));
    app.get('/public-misuse', { config: { auth: 'none' } }, (request) => ({
      subject: principalOf(request).subject,
    }));
    await app.ready();
  });

  afterAll(async () => {
    await server.app.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('when a route declares nothing and no token is sent, then 401 TOKEN_MISSING (routes are private by default)', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/me' });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'TOKEN_MISSING' });
  });

  it('when a valid token is sent, then the handler reads the principal', async () => {
    const token = await issuer.sign({ subject: 'user-9', roles: ['participant'] });

    const response = await server.app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'user-9', roles: ['participant'] });
  });

  it('when the token is forged, then 401 TOKEN_INVALID', async () => {
    const stranger = await localIssuer();
    const token = await stranger.sign({ subject: 'user-9', roles: ['city_admin'] });

    const response = await server.app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('when the token has expired, then 401 TOKEN_EXPIRED', async () => {
    const token = await issuer.sign(
      { subject: 'user-9', roles: ['participant'] },
      { expiresIn: -120 },
    );

    const response = await server.app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('when the Authorization header uses another scheme, then 401 TOKEN_INVALID', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/me',
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('when the principal lacks the route role, then 403 ROLE_REQUIRED', async () => {
    const token = await issuer.sign({
      subject: 'user-9',
      roles: ['area_officer'],
      jurisdictions: ['330102'],
    });

    const response = await server.app.inject({
      method: 'GET',
      url: '/admin',
      headers: bearer(token),
    });

    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'ROLE_REQUIRED' });
  });

  it('when the principal holds the route role, then 200', async () => {
    const token = await issuer.sign({ subject: 'admin-1', roles: ['city_admin'] });

    const response = await server.app.inject({
      method: 'GET',
      url: '/admin',
      headers: bearer(token),
    });

    expect(response.statusCode).toBe(200);
  });

  it('when auth is optional and no token is sent, then the principal is undefined', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/maybe' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: null });
  });

  it('when auth is optional and a token is sent, then it is verified and used', async () => {
    const token = await issuer.sign({ subject: 'user-3', roles: ['participant'] });

    const response = await server.app.inject({
      method: 'GET',
      url: '/maybe',
      headers: bearer(token),
    });

    expect(response.json()).toEqual({ subject: 'user-3' });
  });

  it('when auth is optional and a bad token is sent, then 401 instead of silently treating the caller as anonymous', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/maybe',
      headers: bearer('a.b.c'),
    });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('when a public route gets a token, then the token is not even read', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/public',
      headers: bearer('a.b.c'),
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ principal: null });
  });

  it('when a handler on a public route asks for the principal, then 401 TOKEN_MISSING', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/public-misuse' });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'TOKEN_MISSING' });
  });

  it('when an unknown route is requested without a token, then 404 rather than 401', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/nowhere' });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it.each(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs/'])(
    'when %s is requested without a token, then it is served',
    async (url) => {
      const response = await server.app.inject({ method: 'GET', url });

      expect(response.statusCode).toBe(200);
    },
  );
});

describe('route declarations checked at start', () => {
  const bare = async () =>
    createHttpServer({
      service: { name: 'bare', version: '0.0.1' },
      logger: captureLogger('test-service').logger,
      registry: new Registry(),
    });

  it('when a server has no verifier, then routes are public by default', async () => {
    const app = await bare();
    app.get('/open', () => ({ ok: true }));

    const response = await app.inject({ method: 'GET', url: '/open' });

    expect(response.statusCode).toBe(200);
    await app.close();
  });

  it('when a route asks for auth on a server without a verifier, then registering it throws', async () => {
    const app = await bare();

    expect(() => app.get('/private', { config: { auth: 'required' } }, () => ({}))).toThrow(
      /no token verifier/,
    );
    await app.close();
  });

  it('when a route declares roles with optional auth, then registering it throws', async () => {
    const issuer = await localIssuer();
    const { app } = await testServer(issuer);

    expect(() =>
      app.get('/odd', { config: { auth: 'optional', roles: ['expert'] } }, () => ({})),
    ).toThrow(/need auth 'required'/);
    await app.close();
  });

  it('when a route requires Idempotency-Key on a server without Redis, then registering it throws', async () => {
    const app = await bare();

    expect(() => app.post('/orders', { config: { idempotency: 'required' } }, () => ({}))).toThrow(
      /no Redis/,
    );
    await app.close();
  });
});

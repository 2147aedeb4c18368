import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@learning/errors';
import { rejectionOf } from '@learning/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalIssuer, createTokenVerifier, type LocalIssuer } from '../../src/index.js';

const ISSUER = 'http://127.0.0.1/issuer';
const AUDIENCE = 'learning-platform';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error === undefined) resolve();
      else reject(error);
    });
  });
}

describe('a verifier reading the issuer JWKS over HTTP', () => {
  let issuer: LocalIssuer;
  let server: Server;
  let baseUrl: string;
  let jwksRequests = 0;

  beforeAll(async () => {
    issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });
    server = createServer((request, response) => {
      if (request.url === '/.well-known/jwks.json') {
        jwksRequests += 1;
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(issuer.jwks));
      } else {
        response.writeHead(500).end('broken');
      }
    });
    baseUrl = await listen(server);
  });

  afterAll(async () => {
    await close(server);
  });

  it('when tokens are verified twice, then both verify and the key set is fetched once', async () => {
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `${baseUrl}/.well-known/jwks.json`,
    });
    const before = jwksRequests;

    const first = await verifier.verify(
      await issuer.sign({ subject: 'a', roles: ['participant'] }),
    );
    const second = await verifier.verify(await issuer.sign({ subject: 'b', roles: ['expert'] }));

    expect([first.subject, second.subject]).toEqual(['a', 'b']);
    expect(jwksRequests - before).toBe(1);
  });

  it('when the JWKS endpoint answers with an error, then AUTH_UNAVAILABLE (503), not the person’s fault', async () => {
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `${baseUrl}/broken`,
    });

    const error = await rejectionOf(
      verifier.verify(await issuer.sign({ subject: 'a', roles: ['participant'] })),
    );

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'AUTH_UNAVAILABLE', httpStatus: 503 });
  });

  it('when nothing listens at the JWKS address, then AUTH_UNAVAILABLE', async () => {
    const idle = createServer();
    const idleUrl = await listen(idle);
    await close(idle);
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `${idleUrl}/jwks.json`,
    });

    const error = await rejectionOf(
      verifier.verify(await issuer.sign({ subject: 'a', roles: ['participant'] })),
    );

    expect(error).toMatchObject({ code: 'AUTH_UNAVAILABLE' });
  });

  it('when the token names a key id the JWKS does not hold, then TOKEN_INVALID', async () => {
    const stranger = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `${baseUrl}/.well-known/jwks.json`,
    });

    const error = await rejectionOf(
      verifier.verify(await stranger.sign({ subject: 'a', roles: ['participant'] })),
    );

    expect(error).toMatchObject({ code: 'TOKEN_INVALID', httpStatus: 401 });
  });
});

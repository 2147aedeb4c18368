import { AppError } from '@learning/errors';
import { rejectionOf } from '@learning/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clientCredentialsTokens,
  createLocalIssuer,
  createTokenVerifier,
  type ClientCredentialsOptions,
  type LocalIssuer,
} from '../../src/index.js';

const ISSUER = 'http://127.0.0.1/issuer';
const AUDIENCE = 'learning-platform';
const CLIENT_ID = 'registration';
// Characters that client_secret_basic must form-encode before Base64 (RFC 6749 §2.3.1).
const CLIENT_SECRET = 'S3cret:with/odd+chars& spaces';

type Answer = 'token' | 'server error' | 'not json' | 'no access_token';

/** A token endpoint as an identity provider runs it, minting JWTs with the local issuer. */
interface TokenEndpoint {
  answer: Answer;
  expiresInSeconds: number;
  delayMs: number;
  requests: URLSearchParams[];
}

/** The client id and secret of a Basic header, decoded as RFC 6749 §2.3.1 encodes them. */
function basicCredentials(header: string | undefined): [string, string] | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  const formDecode = (part: string): string => decodeURIComponent(part.replace(/\+/g, ' '));
  return [formDecode(decoded.slice(0, separator)), formDecode(decoded.slice(separator + 1))];
}

describe('client-credentials tokens from a token endpoint', () => {
  let issuer: LocalIssuer;
  let server: FastifyInstance;
  let tokenUrl: string;
  const endpoint: TokenEndpoint = {
    answer: 'token',
    expiresInSeconds: 300,
    delayMs: 0,
    requests: [],
  };

  beforeAll(async () => {
    issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });
    server = Fastify();
    server.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, new URLSearchParams(body as string));
      },
    );
    server.post('/oauth/token', async (request, reply) => {
      const form = request.body as URLSearchParams;
      endpoint.requests.push(form);
      await new Promise((resolve) => setTimeout(resolve, endpoint.delayMs));
      const credentials = basicCredentials(request.headers.authorization);
      if (credentials?.[0] !== CLIENT_ID || credentials[1] !== CLIENT_SECRET)
        return reply.code(401).send({ error: 'invalid_client' });
      if (form.get('grant_type') !== 'client_credentials')
        return reply.code(400).send({ error: 'unsupported_grant_type' });
      switch (endpoint.answer) {
        case 'server error':
          return reply.code(500).type('text/plain').send('upstream database is down');
        case 'not json':
          return reply.type('application/json').send('{"access_token": "eyJ');
        case 'no access_token':
          return reply.send({ token_type: 'Bearer', expires_in: endpoint.expiresInSeconds });
        case 'token':
          return reply.header('cache-control', 'no-store').send({
            access_token: await issuer.sign(
              {
                subject: `service:${CLIENT_ID}`,
                roles: ['service'],
                service: CLIENT_ID,
                cityWide: true,
              },
              { expiresIn: endpoint.expiresInSeconds },
            ),
            token_type: 'Bearer',
            expires_in: endpoint.expiresInSeconds,
          });
      }
    });
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    tokenUrl = `${address}/oauth/token`;
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    endpoint.answer = 'token';
    endpoint.expiresInSeconds = 300;
    endpoint.delayMs = 0;
    endpoint.requests = [];
  });

  /** A clock the test moves by hand. */
  function manualClock(): { now: () => Date; advance: (ms: number) => void } {
    let current = Date.parse('2026-03-01T08:00:00Z');
    return {
      now: () => new Date(current),
      advance: (ms) => {
        current += ms;
      },
    };
  }

  const tokens = (options: Partial<ClientCredentialsOptions> = {}): (() => Promise<string>) =>
    clientCredentialsTokens({
      tokenUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      ...options,
    });

  it('when asked twice, then one request is made and the issued token verifies as the service', async () => {
    const provider = tokens();

    const first = await provider();
    const second = await provider();

    expect(second).toBe(first);
    expect(endpoint.requests).toHaveLength(1);
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: issuer.jwks,
    });
    await expect(verifier.verify(first)).resolves.toMatchObject({
      subject: `service:${CLIENT_ID}`,
      roles: ['service'],
      service: CLIENT_ID,
      cityWide: true,
    });
  });

  it('when scope and audience are given, then the grant asks for them', async () => {
    await tokens({ scope: 'seating.read enrollments.read', audience: AUDIENCE })();

    expect(Object.fromEntries(endpoint.requests[0] ?? [])).toEqual({
      grant_type: 'client_credentials',
      scope: 'seating.read enrollments.read',
      audience: AUDIENCE,
    });
  });

  it('when the token nears its expiry, then it is renewed once and the new one is reused', async () => {
    const clock = manualClock();
    const provider = tokens({ clock: clock.now, refreshBeforeMs: 60_000 });
    const first = await provider();

    clock.advance(239_000);
    expect(await provider()).toBe(first);
    expect(endpoint.requests).toHaveLength(1);

    // `iat` has one-second resolution: a different lifetime tells the second token from the first.
    endpoint.expiresInSeconds = 400;
    clock.advance(2_000);
    const renewed = await provider();
    clock.advance(1_000);
    const afterRenewal = await provider();

    expect(renewed).not.toBe(first);
    expect(afterRenewal).toBe(renewed);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('when the lifetime is shorter than the renewal margin, then the token is still reused for half of it', async () => {
    endpoint.expiresInSeconds = 60;
    const clock = manualClock();
    const provider = tokens({ clock: clock.now, refreshBeforeMs: 120_000 });

    await provider();
    clock.advance(29_000);
    await provider();
    expect(endpoint.requests).toHaveLength(1);

    clock.advance(2_000);
    await provider();
    expect(endpoint.requests).toHaveLength(2);
  });

  it('when 20 callers ask at once, then one request serves them all', async () => {
    endpoint.delayMs = 50;
    const provider = tokens();

    const issued = await Promise.all(Array.from({ length: 20 }, () => provider()));

    expect(new Set(issued).size).toBe(1);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('when the renewal fails before the token expires, then the token in hand is used until it does', async () => {
    const clock = manualClock();
    const provider = tokens({ clock: clock.now });
    const first = await provider();
    endpoint.answer = 'server error';

    clock.advance(270_000);
    expect(await provider()).toBe(first);

    clock.advance(30_000);
    const error = await rejectionOf(provider());
    expect(error).toMatchObject({ code: 'SERVICE_TOKEN_UNAVAILABLE' });
    expect(endpoint.requests).toHaveLength(3);
  });

  it('when the credentials are wrong, then SERVICE_TOKEN_UNAVAILABLE (503) without the secret', async () => {
    const wrongSecret = 'not-the-secret-7f3a9c';
    const error = await rejectionOf(tokens({ clientSecret: wrongSecret })());

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      kind: 'unavailable',
      code: 'SERVICE_TOKEN_UNAVAILABLE',
      httpStatus: 503,
    });
    expect((error as AppError).cause).toMatchObject({
      message: expect.stringContaining('HTTP 401 with OAuth error "invalid_client"') as unknown,
    });
    const everything = `${(error as AppError).message} ${String((error as AppError).cause)} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(wrongSecret);
    expect(everything).not.toContain(CLIENT_SECRET);
  });

  it.each<[Answer, string]>([
    ['server error', 'HTTP 500'],
    ['not json', 'JSON'],
    ['no access_token', 'access_token'],
  ])(
    'when the endpoint answers "%s", then SERVICE_TOKEN_UNAVAILABLE naming what failed, without the secret',
    async (answer, described) => {
      endpoint.answer = answer;

      const error = await rejectionOf(tokens()());

      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'SERVICE_TOKEN_UNAVAILABLE', httpStatus: 503 });
      expect(String((error as AppError).cause)).toContain(described);
      expect(`${(error as AppError).message} ${String((error as AppError).cause)}`).not.toContain(
        CLIENT_SECRET,
      );
    },
  );

  it('when a request fails, then the next caller asks again', async () => {
    endpoint.answer = 'server error';
    const provider = tokens();
    await rejectionOf(provider());

    endpoint.answer = 'token';
    await expect(provider()).resolves.toMatch(/^ey/);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('when the endpoint does not answer in time, then SERVICE_TOKEN_UNAVAILABLE', async () => {
    endpoint.delayMs = 500;

    const error = await rejectionOf(tokens({ timeoutMs: 50 })());

    expect(error).toMatchObject({ code: 'SERVICE_TOKEN_UNAVAILABLE' });
    expect(String((error as AppError).cause)).toContain('no answer in time');
  });

  it('when a fetch is given, then the token request goes through it', async () => {
    const fetched: string[] = [];
    const provider = tokens({
      fetch: (input, init) => {
        fetched.push(input instanceof Request ? input.url : input.toString());
        return fetch(input, init);
      },
    });

    await provider();

    expect(fetched).toEqual([tokenUrl]);
  });

  it('when the token URL is plain http to another host, then it is refused at once', () => {
    expect(() =>
      clientCredentialsTokens({
        tokenUrl: 'http://id.city.example/oauth/token',
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      }),
    ).toThrow(/must be https/);
  });
});

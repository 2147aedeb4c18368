import { createLocalIssuer, createTokenVerifier, type LocalIssuer } from '@learning/auth';
import { captureLogger } from '@learning/testing';
import { Registry } from 'prom-client';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../src/index.js';

export const ISSUER = 'https://id.city.test';
export const AUDIENCE = 'learning-platform';

export const localIssuer = (): Promise<LocalIssuer> =>
  createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });

export interface TestServer {
  app: HttpServer;
  logs: ReturnType<typeof captureLogger>;
  registry: Registry;
}

/** A server as a service would build it, with a local issuer's verifier unless told otherwise. */
export async function testServer(
  issuer: LocalIssuer | undefined,
  overrides: Partial<HttpServerOptions> = {},
): Promise<TestServer> {
  const logs = captureLogger('test-service');
  const registry = new Registry();
  const app = await createHttpServer({
    service: { name: 'test-service', version: '1.2.3' },
    logger: logs.logger,
    registry,
    ...(issuer === undefined
      ? {}
      : { auth: createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: issuer.jwks }) }),
    openapi: { title: 'Test API', description: 'For tests' },
    ...overrides,
  });
  return { app, logs, registry };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}

/** A promise with its resolver, to hold a handler until the test lets it go. */
export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

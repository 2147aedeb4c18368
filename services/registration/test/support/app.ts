/** The registration app started on ephemeral ports against the harness's servers, with a local token issuer. */
import { createLocalIssuer, createTokenVerifier, type LocalIssuer } from '@learning/auth';
import { topicsToProvision } from '@learning/events';
import { generatePiiEnvironment } from '@learning/pii';
import { captureLogger, ensureTopics, uniqueName, type Servers } from '@learning/testing';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadRegistrationConfig } from '../../src/config.js';
import { send, type SendOptions } from './http.js';

export interface RunningApp {
  readonly logs: ReturnType<typeof captureLogger>;
  app: App;
  issuer: LocalIssuer;
  ports: { httpPort: number; grpcPort: number };
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** `send` (./http.ts) to this app. */
  send: (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    options?: SendOptions,
  ) => Promise<Response>;
}

/**
 * The app's environment on the harness's servers: ephemeral ports, a database
 * of its own, tokens from `issuer`, fresh personal-data keys.
 */
export function testEnvironment(
  servers: Servers<'mongo' | 'kafka' | 'redis'>,
  issuer: LocalIssuer,
): Record<string, string> {
  return {
    MONGODB_URI: servers.mongo.uri,
    MONGODB_DATABASE: uniqueName('registration'),
    KAFKA_BROKERS: servers.kafka.brokers.join(','),
    REDIS_URL: servers.redis.url,
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    SHUTDOWN_GRACE_MS: '2000',
    // Test files reuse subjects against one Redis and poll eagerly; routes' own limits still apply.
    HTTP_RATE_LIMIT_POINTS: '1000000',
    // The stand-in holds empty fetches and rebalances for these full spans (infra/local/kafka).
    KAFKA_MAX_WAIT_MS: '100',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '500',
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    JWT_PUBLIC_KEY: issuer.publicKeyPem,
    ...generatePiiEnvironment(),
  };
}

/** Registers beforeAll/afterAll hooks; the fields are ready inside tests. */
export function useRegistrationApp(
  servers: Servers<'mongo' | 'kafka' | 'redis'>,
  /** Extra environment, read when the app starts (e.g. a fake owner's address known only then). */
  env: () => Readonly<Record<string, string>> = () => ({}),
): RunningApp {
  const running = {
    logs: captureLogger('registration'),
    send: (method, path, token, body, options) =>
      send(running.base, method, path, token, body, options),
  } as RunningApp;
  beforeAll(async () => {
    await ensureTopics(servers.kafka, topicsToProvision());
    running.issuer = await createLocalIssuer({ issuer: 'test-issuer', audience: 'test-audience' });
    const config = loadRegistrationConfig({
      ...testEnvironment(servers, running.issuer),
      ...env(),
    });
    const verifier = createTokenVerifier({
      issuer: running.issuer.issuer,
      audience: running.issuer.audience,
      jwks: running.issuer.jwks,
    });
    running.app = buildApp(config, { logger: running.logs.logger, verifier });
    running.ports = await running.app.start();
    running.base = `http://127.0.0.1:${running.ports.httpPort}`;
  });
  afterAll(async () => {
    await running.app.stop();
  });
  return running;
}

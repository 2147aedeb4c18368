/** The registration app started on ephemeral ports against the harness's servers, with a local token issuer. */
import { createLocalIssuer, createTokenVerifier, type LocalIssuer } from '@learning/auth';
import { topicsToProvision } from '@learning/events';
import { generatePiiEnvironment } from '@learning/pii';
import { captureLogger, ensureTopics, uniqueName, type Servers } from '@learning/testing';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadRegistrationConfig } from '../../src/config.js';

export interface RunningApp {
  readonly logs: ReturnType<typeof captureLogger>;
  app: App;
  issuer: LocalIssuer;
  ports: { httpPort: number; grpcPort: number };
  /** `http://127.0.0.1:<port>` */
  base: string;
}

/** Registers beforeAll/afterAll hooks; the fields are ready inside tests. */
export function useRegistrationApp(servers: Servers<'mongo' | 'kafka' | 'redis'>): RunningApp {
  const running = { logs: captureLogger('registration') } as RunningApp;
  beforeAll(async () => {
    await ensureTopics(servers.kafka, topicsToProvision());
    running.issuer = await createLocalIssuer({ issuer: 'test-issuer', audience: 'test-audience' });
    const config = loadRegistrationConfig({
      MONGODB_URI: servers.mongo.uri,
      MONGODB_DATABASE: uniqueName('registration'),
      KAFKA_BROKERS: servers.kafka.brokers.join(','),
      REDIS_URL: servers.redis.url,
      REDIS_KEY_PREFIX: uniqueName('registration'),
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      SHUTDOWN_GRACE_MS: '2000',
      // The stand-in holds empty fetches and rebalances for these full spans (infra/local/kafka).
      KAFKA_MAX_WAIT_MS: '100',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      JWT_ISSUER: running.issuer.issuer,
      JWT_AUDIENCE: running.issuer.audience,
      JWT_PUBLIC_KEY: running.issuer.publicKeyPem,
      ...generatePiiEnvironment(),
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

/**
 * A service's app started on ephemeral ports against the test harness's
 * servers, with a local token issuer, and requests to it as a signed-in caller.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { createLocalIssuer, createTokenVerifier, type LocalIssuer } from '@learning/auth';
import { topicsToProvision } from '@learning/events';
import { captureLogger, ensureTopics, uniqueName, type Servers } from '@learning/testing';
import { describeServers, obtainServers } from '@learning/testing/servers';
import type { SpanExporter } from '@learning/tracing';
import { afterAll, beforeAll } from 'vitest';
import { buildServiceApp, type App, type ServiceDefinition } from './app.js';
import type { ServiceConfig } from './config.js';
import type { Platform } from './platform.js';

export interface SendOptions {
  /** Instead of application/json; a string or bytes body is sent as it is either way. */
  readonly contentType?: string;
  /** Extra (lower-case) headers; an `idempotency-key` here replaces the fresh one. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One request with `token` as bearer (none when null), a fresh Idempotency-Key
 * on everything but GET, and `body` as JSON unless it is a string or bytes.
 */
export function send(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  options: SendOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (method !== 'GET') headers['idempotency-key'] = randomUUID();
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  Object.assign(headers, options.headers);
  const raw = typeof body === 'string' || body instanceof Uint8Array;
  return fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: raw ? body : JSON.stringify(body) }),
  });
}

export interface Call {
  status: number;
  body: Record<string, unknown>;
}

/** `send`, with the response body read as JSON (`{}` when empty). */
export async function call(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<Call> {
  const response = await send(base, method, path, token, body);
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

export type HarnessServers = Servers<'mongo' | 'kafka' | 'redis'>;

/** The token one service presents to another's gRPC (role `service`), long enough for any test file. */
export const serviceToken = (issuer: LocalIssuer, service: string): Promise<string> =>
  issuer.sign(
    { subject: `service:${service}`, roles: ['service'], service, cityWide: true },
    { expiresIn: '2h' },
  );

/**
 * The servers a benchmark runs a service against, found as the test harness
 * finds them (URLs from the environment, testcontainers, the local
 * stand-ins) and printed, with the registry's topics provisioned.
 */
export async function obtainServiceServers(): Promise<{
  servers: HarnessServers;
  stop: () => Promise<void>;
}> {
  const obtained = await obtainServers();
  console.log(describeServers(obtained.info));
  const { mongo, kafka, redis } = obtained.info;
  if (mongo === undefined || kafka === undefined || redis === undefined) {
    await obtained.stop();
    throw new Error(`servers missing: ${JSON.stringify(obtained.info.missing)}`);
  }
  await ensureTopics(kafka, topicsToProvision());
  return { servers: { mongo, kafka, redis }, stop: () => obtained.stop() };
}

/**
 * The environment every service's app needs on the harness's servers:
 * ephemeral ports, a database and consumer groups of its own, tokens from `issuer`.
 */
export function serviceTestEnvironment(
  service: string,
  servers: HarnessServers,
  issuer: LocalIssuer,
): Record<string, string> {
  return {
    MONGODB_URI: servers.mongo.uri,
    MONGODB_DATABASE: uniqueName(service),
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
    // Consumer groups of its own, starting where the topics end: test files run side by
    // side, and two apps of one service in one group would split its partitions, each
    // handling the other's events in its own database; a new group replaying every file's
    // events would see strangers' notices, rules and figures. Replicas meant to share
    // groups are given one namespace by their test.
    KAFKA_GROUP_NAMESPACE: uniqueName(`${service}-groups`),
    KAFKA_AUTO_OFFSET_RESET: 'latest',
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    JWT_PUBLIC_KEY: issuer.publicKeyPem,
  };
}

export interface RunningApp {
  readonly logs: ReturnType<typeof captureLogger>;
  app: App;
  issuer: LocalIssuer;
  ports: { httpPort: number; grpcPort: number };
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** `send` to this app. */
  send: (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    options?: SendOptions,
  ) => Promise<Response>;
}

let sharedIssuer: Promise<LocalIssuer> | undefined;

/**
 * The one token issuer of this test process: every app started here trusts
 * it, so one service's token is good at another, as with the city's issuer.
 */
export const testIssuer = (): Promise<LocalIssuer> =>
  (sharedIssuer ??= createLocalIssuer({ issuer: 'test-issuer', audience: 'test-audience' }));

/**
 * A loopback port free right now, for an address one app must know before
 * the other listens on it (two services that call each other).
 */
export function reservePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

export interface UseServiceAppOptions<C extends ServiceConfig> {
  loadConfig: (environment: Readonly<Record<string, string | undefined>>) => C;
  /** The service's own test environment beyond `serviceTestEnvironment` (fresh keys, peers' addresses). */
  environment?: (
    issuer: LocalIssuer,
  ) => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  /** Now, as the app sees it; the wall clock when absent. */
  clock?: () => Date;
  /** Turns tracing on with this exporter instead of OTLP (an InMemorySpanExporter to read the spans). */
  spanExporter?: SpanExporter;
}

/** Registers beforeAll/afterAll hooks that start and stop the app; the fields are ready inside tests. */
export function useServiceApp<C extends ServiceConfig, P extends Platform<C>>(
  service: ServiceDefinition<C, P>,
  servers: HarnessServers,
  options: UseServiceAppOptions<C>,
): RunningApp {
  const running = {
    logs: captureLogger(service.name),
    send: (method, path, token, body, sendOptions) =>
      send(running.base, method, path, token, body, sendOptions),
  } as RunningApp;
  beforeAll(async () => {
    await ensureTopics(servers.kafka, topicsToProvision());
    running.issuer = await testIssuer();
    const config = options.loadConfig({
      ...serviceTestEnvironment(service.name, servers, running.issuer),
      ...(await options.environment?.(running.issuer)),
    });
    const verifier = createTokenVerifier({
      issuer: running.issuer.issuer,
      audience: running.issuer.audience,
      jwks: running.issuer.jwks,
    });
    running.app = buildServiceApp(service, config, {
      logger: running.logs.logger,
      verifier,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.spanExporter === undefined ? {} : { spanExporter: options.spanExporter }),
    });
    running.ports = await running.app.start();
    running.base = `http://127.0.0.1:${running.ports.httpPort}`;
  });
  afterAll(async () => {
    await running.app.stop();
  });
  return running;
}

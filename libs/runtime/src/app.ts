/**
 * A service's wiring: its connections, its HTTP and gRPC servers, its modules,
 * and the order in which they start and drain. Every service is built by this
 * one function; configuration comes in as an argument, nothing here reads the
 * environment.
 */
import type { AddressInfo } from 'node:net';
import { AuditLog, auditModel, auditSink, auditTrail, registerAuditRoutes } from '@learning/audit';
import { createTokenVerifier, type TokenVerifier } from '@learning/auth';
import { listOf, trustedProxiesOf } from '@learning/config';
import {
  createKafka,
  createProducer,
  EventConsumer,
  kafkaReadiness,
  MongoInbox,
  OutboxRelay,
  type Subscription,
  type TopicSpec,
  type WithOutbox,
} from '@learning/events';
import { createGrpcServer } from '@learning/grpc';
import { closeGracefully, createHttpServer } from '@learning/http';
import { createRootLogger, type Logger } from '@learning/logger';
import { connectMongo, mongoReady, syncIndexes } from '@learning/mongo';
import { connectRedis, redisReady } from '@learning/redis';
import { startTracing, type SpanExporter } from '@learning/tracing';
import type { Model } from 'mongoose';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ServiceConfig } from './config.js';
import type { Module, Platform, Worker } from './platform.js';

export interface ServiceDefinition<C extends ServiceConfig, P extends Platform<C>> {
  readonly name: string;
  readonly version: string;
  /** CloudEvents `source` of everything the service publishes, e.g. `/learning/registration`. */
  readonly eventSource: string;
  /** Where the audit records of the service's changes travel, and the group that files them. */
  readonly audit: { readonly topic: TopicSpec; readonly group: string };
  readonly openapi: { readonly title: string; readonly description: string };
  /** Adds the service's own shared parts (an encryption vault) to what every module gets. */
  readonly extend: (platform: Platform<C>) => P;
  readonly modules: readonly Module<P>[];
}

export interface AppDeps {
  /** The process's root logger; one is made from the config when absent. */
  logger?: Logger;
  /** Replaces the verifier built from JWT_PUBLIC_KEY / JWT_JWKS_URL (tests use a local issuer). */
  verifier?: TokenVerifier;
  /** Now, as the service sees it; the wall clock when absent. */
  clock?: () => Date;
  /** Where spans go instead of OTLP, tracing on whatever the config says (tests read them back). */
  spanExporter?: SpanExporter;
}

export interface App {
  /** Connects, then listens; on a failure it closes what it opened and rejects. */
  start(): Promise<{ httpPort: number; grpcPort: number }>;
  /** Drains the servers, then closes the connections; never rejects, failures are logged. */
  stop(): Promise<void>;
}

/** Of the shutdown grace, what the servers may spend draining; the rest closes the connections. */
const DRAIN_SHARE = 0.75;

export function verifierFromConfig(config: ServiceConfig): TokenVerifier {
  const keys = {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxLifetimeSeconds: {
      person: config.JWT_MAX_PERSON_TOKEN_SECONDS,
      service: config.JWT_MAX_SERVICE_TOKEN_SECONDS,
    },
  };
  if (config.JWT_PUBLIC_KEY !== undefined)
    return createTokenVerifier({ ...keys, publicKeyPem: config.JWT_PUBLIC_KEY });
  if (config.JWT_JWKS_URL !== undefined)
    return createTokenVerifier({ ...keys, jwksUrl: config.JWT_JWKS_URL });
  throw new Error('JWT_PUBLIC_KEY or JWT_JWKS_URL must be set to verify tokens.');
}

export function buildServiceApp<C extends ServiceConfig, P extends Platform<C>>(
  service: ServiceDefinition<C, P>,
  config: C,
  deps: AppDeps = {},
): App {
  const logger =
    deps.logger ??
    createRootLogger({ service: service.name, version: service.version, level: config.LOG_LEVEL });
  const verifier = deps.verifier ?? verifierFromConfig(config);
  const clock = deps.clock ?? (() => new Date());
  const registry = new Registry();
  // Process CPU, memory, event-loop lag and GC, which dashboards and alerts read beside the
  // service's own metrics.
  collectDefaultMetrics({ register: registry });
  const drainMs = Math.floor(config.SHUTDOWN_GRACE_MS * DRAIN_SHARE);
  // What start() opened, closed in reverse: servers first, then the connections they use.
  const closers: { name: string; close: () => Promise<unknown> }[] = [];
  let starting: Promise<unknown> | undefined;
  let stopping: Promise<void> | undefined;

  async function closeAll(): Promise<void> {
    for (const { name, close } of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error({ err: error, component: name }, 'failed to close during shutdown');
      }
    }
  }

  async function open(): Promise<{ httpPort: number; grpcPort: number }> {
    try {
      const tracing = startTracing({
        service,
        config,
        ...(deps.spanExporter === undefined ? {} : { exporter: deps.spanExporter }),
      });
      // Closed last, so the spans of the shutdown itself are sent.
      closers.push({ name: 'tracing', close: () => tracing.shutdown() });
      const { tracer } = tracing;
      const mongo = await connectMongo({
        uri: config.MONGODB_URI,
        database: config.MONGODB_DATABASE,
        logger,
        appName: service.name,
      });
      closers.push({ name: 'mongo', close: () => mongo.close() });

      const redis = await connectRedis({ url: config.REDIS_URL, logger, name: service.name });
      closers.push({ name: 'redis', close: () => redis.close() });

      const kafka = createKafka({
        brokers: listOf(config.KAFKA_BROKERS),
        clientId: config.KAFKA_CLIENT_ID ?? service.name,
        logger,
      });
      const producer = createProducer(kafka);
      await producer.connect();
      closers.push({ name: 'kafka producer', close: () => producer.disconnect() });
      const kafkaProbe = kafkaReadiness(kafka);
      closers.push({ name: 'kafka admin', close: () => kafkaProbe.close() });

      const readiness = {
        mongo: () => mongoReady(mongo),
        kafka: kafkaProbe.check,
        redis: () => redisReady(redis),
      };
      const traced = tracer === undefined ? {} : { tracer };
      const grpc = createGrpcServer({ logger, registry, auth: verifier, readiness, ...traced });
      const http = await createHttpServer({
        service: { name: service.name, version: service.version },
        logger,
        registry,
        auth: verifier,
        readiness,
        redis,
        rateLimit: {
          points: config.HTTP_RATE_LIMIT_POINTS,
          durationSeconds: config.HTTP_RATE_LIMIT_WINDOW_SECONDS,
        },
        openapi: service.openapi,
        trustProxy: trustedProxiesOf(config.HTTP_TRUSTED_PROXIES),
        corsOrigins: config.HTTP_CORS_ORIGINS === undefined ? [] : listOf(config.HTTP_CORS_ORIGINS),
        ...traced,
      });

      // A relay per outbox model, started once the servers listen; kept as starters so each keeps its model's type.
      const relayStarters: (() => void)[] = [];
      const subscriptionsByGroup = new Map<string, Subscription<unknown>[]>();
      const workers: { name: string; worker: Worker }[] = [];
      const moduleClosers: { name: string; close: () => Promise<unknown> }[] = [];
      const audit = auditTrail(service.name, service.audit.topic);
      const auditLog = new AuditLog(auditModel(mongo), logger);
      const platform = service.extend({
        config,
        logger,
        registry,
        mongo,
        redis,
        kafka,
        producer,
        http,
        grpc,
        clock,
        audit,
        auditLog,
        publishOutboxOf<T extends WithOutbox>(model: Model<T>) {
          relayStarters.push(() => {
            const relay = new OutboxRelay({
              model,
              producer,
              source: service.eventSource,
              logger,
              registry,
              ...traced,
            });
            relay.start();
            closers.push({
              name: `relay ${model.collection.collectionName}`,
              close: () => relay.stop(),
            });
          });
        },
        consume(groupId, ...subscriptions) {
          subscriptionsByGroup.set(groupId, [
            ...(subscriptionsByGroup.get(groupId) ?? []),
            ...subscriptions,
          ]);
        },
        runWorker: (name, worker) => workers.push({ name, worker }),
        onClose: (name, close) => moduleClosers.push({ name, close }),
      });
      registerAuditRoutes(http, auditLog);
      platform.consume(service.audit.group, auditSink(audit, auditLog));
      for (const install of service.modules) await install(platform);
      closers.push(...moduleClosers);
      // Every model is registered by now; indexes are made before anything is served.
      await syncIndexes(mongo, logger);

      // Both drain within the same grace, side by side; each failure is logged on its own.
      closers.push({
        name: 'servers',
        close: async () => {
          const outcomes = await Promise.allSettled([
            closeGracefully(http, drainMs),
            grpc.stop(drainMs),
          ]);
          outcomes.forEach((outcome, index) => {
            if (outcome.status === 'rejected')
              logger.error(
                { err: outcome.reason, component: index === 0 ? 'http' : 'grpc' },
                'failed to close during shutdown',
              );
          });
        },
      });

      const grpcPort = await grpc.listen(config.GRPC_HOST, config.GRPC_PORT);
      await http.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
      const httpPort = (http.server.address() as AddressInfo).port;

      for (const { name, worker } of workers) {
        worker.start();
        closers.push({ name, close: () => worker.stop() });
      }
      for (const startRelay of relayStarters) startRelay();
      const inbox = new MongoInbox(mongo);
      const consumers: EventConsumer[] = [];
      for (const [groupId, subscriptions] of subscriptionsByGroup) {
        const consumer = new EventConsumer({
          kafka,
          groupId,
          subscriptions,
          inbox,
          producer,
          logger,
          registry,
          ...traced,
          ...(config.KAFKA_GROUP_NAMESPACE === undefined
            ? {}
            : { groupNamespace: config.KAFKA_GROUP_NAMESPACE }),
          fromBeginning: config.KAFKA_AUTO_OFFSET_RESET === 'earliest',
          tuning: {
            maxWaitTimeInMs: config.KAFKA_MAX_WAIT_MS,
            sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
            heartbeatInterval: config.KAFKA_HEARTBEAT_INTERVAL_MS,
          },
        });
        closers.push({ name: `consumer ${groupId}`, close: () => consumer.stop() });
        consumers.push(consumer);
      }
      // The groups join side by side: starting at the latest offsets waits for each to settle.
      await Promise.all(consumers.map((consumer) => consumer.start()));
      return { httpPort, grpcPort };
    } catch (error) {
      await closeAll();
      throw error;
    }
  }

  return {
    start() {
      if (starting !== undefined)
        return Promise.reject(new Error(`The ${service.name} app can be started only once.`));
      const opened = open();
      starting = opened;
      return opened;
    },
    stop() {
      // A stop during start waits for it, so nothing opened late is left behind.
      stopping ??= Promise.resolve(starting)
        .catch(() => undefined)
        .then(closeAll);
      return stopping;
    },
  };
}

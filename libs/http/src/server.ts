import type { TokenVerifier } from '@learning/auth';
import type { Logger } from '@learning/logger';
import type { RedisClient } from '@learning/redis';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Tracer } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { installAuthentication } from './auth.js';
import { correlationIdOf, installRequestContext, RequestLogController } from './context.js';
import { installCors } from './cors.js';
import { installDocs, type OpenApiInfo } from './docs.js';
import { installErrorHandling } from './errors.js';
import { assertNoForbiddenKeys } from './forbidden-keys.js';
import { installIdempotency } from './idempotency.js';
import { installJsonDepthLimit } from './json-depth.js';
import { installOps, type ReadinessCheck } from './ops.js';
import { installRateLimit } from './rate-limit.js';
import type { RateLimitOptions } from './route-config.js';
import { installTracing } from './tracing.js';
import { strictValidators } from './validation.js';

export type HttpServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpServerOptions {
  service: { name: string; version: string };
  /** The process's pino root; request lines are written through it. */
  logger: Logger;
  /** The service's registry; `/metrics` serves all of it. */
  registry: Registry;
  /** Without one, every route is public and a route asking for auth fails at start. */
  auth?: TokenVerifier;
  /** Named checks for `/readyz`, e.g. `{ mongo, kafka, redis }`. */
  readiness?: Record<string, ReadinessCheck>;
  /** How long one readiness check may take before it counts as failed. Default 2000. */
  readinessTimeoutMs?: number;
  /** Enables rate limiting and Idempotency-Key; without it both are off. */
  redis?: RedisClient;
  /** Per client (subject, else address) across all routes without their own limit. Default 600 per 60 s. */
  rateLimit?: RateLimitOptions;
  /** How long a response is kept for replay under its Idempotency-Key. Default 24 h. */
  idempotencyTtlSeconds?: number;
  openapi?: OpenApiInfo;
  /** Largest accepted body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /**
   * Behind a proxy or ingress: how many hops, or which proxy addresses and CIDR ranges, to
   * believe about the client's address (fastify's `trustProxy`). Default: none. Never `true`:
   * trusting every hop lets any client name its own address and dodge its rate limit.
   */
  trustProxy?: number | readonly string[] | false;
  /** Browser origins (`https://portal.example`) granted cross-origin access; none by default. */
  corsOrigins?: readonly string[];
  /** Traces every request (but probes and scrapes) with it; absent while tracing is off. */
  tracer?: Tracer;
}

const DEFAULT_RATE_LIMIT: RateLimitOptions = { points: 600, durationSeconds: 60 };

/**
 * The fastify instance every service serves its REST API with. Add routes
 * after it resolves (the OpenAPI collector must be in place first), declare
 * `config: { auth, roles, rateLimit, idempotency }` per route, read
 * `request.principal`.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  // A hop count as the function fastify makes of one (its types take no number).
  const hops = options.trustProxy;
  const trustProxy =
    typeof hops === 'number'
      ? (_address: string, hop: number) => hop < hops
      : hops === undefined || hops === false
        ? false
        : [...hops];
  // Typed with fastify's base logger, so plugins written for any fastify accept the instance.
  const app = Fastify<RawServerDefault>({
    loggerInstance: options.logger,
    logController: new RequestLogController(),
    genReqId: correlationIdOf,
    // Lines carry the correlation id from the request's context; a binding would repeat it.
    childLoggerFactory: (logger, _bindings, childOptions) => logger.child({}, childOptions),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    trustProxy,
    return503OnClosing: true,
    schemaController: { compilersFactory: { buildValidator: strictValidators() } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  installJsonDepthLimit(app);
  // Only JSON is read unless a route adds its own parser (an upload): a text/plain body is
  // refused as 415, as the OpenAPI documents say, instead of reaching the schema as a string.
  app.removeContentTypeParser('text/plain');
  installRequestContext(app);
  if (options.tracer !== undefined) installTracing(app, options.tracer);
  await installCors(app, options.corsOrigins ?? []);
  // Authentication comes before the rate limit, so a signed-in person is counted as themself.
  installAuthentication(app, options.auth);
  if (options.redis !== undefined) {
    installRateLimit(app, {
      redis: options.redis,
      service: options.service.name,
      defaults: options.rateLimit ?? DEFAULT_RATE_LIMIT,
    });
  }
  // Before validation, so a forbidden key is reported as such even where the schema would refuse it too.
  app.addHook('preValidation', async (request) => {
    assertNoForbiddenKeys(request.body, 'body');
    assertNoForbiddenKeys(request.query, 'query');
  });
  installIdempotency(app, {
    redis: options.redis,
    service: options.service.name,
    ttlSeconds: options.idempotencyTtlSeconds ?? 86_400,
  });
  installOps(app, {
    registry: options.registry,
    readiness: options.readiness ?? {},
    readinessTimeoutMs: options.readinessTimeoutMs ?? 2_000,
  });
  await installDocs(app, {
    info: options.openapi ?? { title: options.service.name },
    version: options.service.version,
  });
  return app;
}

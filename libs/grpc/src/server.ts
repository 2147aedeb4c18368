/**
 * The gRPC server every service runs: promise-style handlers wrapped once with
 * what each call needs (correlation context, service identity, error mapping,
 * one log line and one histogram sample), plus a real health service.
 *
 * A handler wrapper rather than grpc-js server interceptors: an interceptor
 * sees only the status a handler produced, where an AppError and an unknown
 * error are both a code and a text, and grpc-js's own deadline status never
 * passes through it; handlers must be adapted to promises anyway. The wrapper
 * does context, identity, error mapping and the call's record in one place,
 * for unary and server-streaming calls alike.
 */
import { once } from 'node:events';
import {
  Server,
  ServerCredentials,
  type Metadata,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
  type handleServerStreamingCall,
  type handleUnaryCall,
} from '@grpc/grpc-js';
import { GrpcStatus, type GrpcStatusCode } from '@learning/errors';
import { bearerToken, requireRole, type Principal, type TokenVerifier } from '@learning/auth';
import {
  acceptCorrelationId,
  newCorrelationId,
  runWithContext,
  type Logger,
  type RequestContext,
} from '@learning/logger';
import { health } from '@learning/proto';
import { contextOfTraceHeaders, endSpan, startSpan, withTraceContext } from '@learning/tracing';
import { SpanKind, type Tracer } from '@opentelemetry/api';
import { Histogram, type Registry } from 'prom-client';
import {
  serviceNameOf,
  untyped,
  type UntypedMethod,
  type RequestOf,
  type ResponseOf,
  type ServiceDefinitionLike,
} from './definitions.js';
import { CORRELATION_METADATA, statusName, statusOfError, type ErrorStatus } from './errors.js';
import { Readiness, healthImplementation, type ReadinessCheck } from './health.js';

export interface CallContext {
  /** `package.Service/Method`. */
  readonly method: string;
  readonly metadata: Metadata;
  readonly correlationId: string;
  /** The calling service; always set for services not registered as public. */
  readonly principal: Principal | undefined;
  /** Aborted when the caller cancels or the deadline passes: stop the work, nobody is waiting. */
  readonly signal: AbortSignal;
}

export interface StreamCallContext<Res> extends CallContext {
  /** Resolves once the message is buffered; waits while the peer is slow; rejects once the call has ended. */
  send(message: Res): Promise<void>;
}

export type UnaryHandler<Req, Res> = (request: Req, call: CallContext) => Res | Promise<Res>;
export type ServerStreamHandler<Req, Res> = (
  request: Req,
  call: StreamCallContext<Res>,
) => Promise<void>;

/** Client-streaming and bidirectional methods are not offered: none of the platform's contracts uses them. */
export type ServiceImplementation<S extends ServiceDefinitionLike> = {
  [K in keyof S]: S[K] extends { requestStream: false; responseStream: false }
    ? UnaryHandler<RequestOf<S[K]>, ResponseOf<S[K]>>
    : S[K] extends { requestStream: false; responseStream: true }
      ? ServerStreamHandler<RequestOf<S[K]>, ResponseOf<S[K]>>
      : never;
};

export interface AddServiceOptions {
  /** Callable without a service token (health). Default false. */
  public?: boolean;
}

export interface GrpcServerOptions {
  logger: Logger;
  registry: Registry;
  /** Verifies the service tokens of callers; required by any service not registered as public. */
  auth?: TokenVerifier;
  /** All must pass for the health service to say SERVING. */
  readiness: Readonly<Record<string, ReadinessCheck>>;
  /** How often Watch re-evaluates readiness. Default 1000. */
  healthPollMs?: number;
  /** How long one readiness check may take before it counts as failed. Default 1000. */
  readinessTimeoutMs?: number;
  /** Traces every call (but health's) with it, child of the caller's `traceparent`; absent while tracing is off. */
  tracer?: Tracer;
}

export interface GrpcServer {
  addService<S extends ServiceDefinitionLike>(
    definition: S,
    implementation: ServiceImplementation<S>,
    options?: AddServiceOptions,
  ): void;
  /** Binds and starts serving; resolves the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  /** Health turns NOT_SERVING, calls in flight get `graceMs` to finish, then the rest are cancelled. */
  stop(graceMs: number): Promise<void>;
}

type AnyHandler = UnaryHandler<unknown, unknown> | ServerStreamHandler<unknown, unknown>;

interface Route {
  readonly method: string;
  /** Absent for public services. */
  readonly verifier: TokenVerifier | undefined;
  /** Probes call health every few seconds: its lines go at debug. */
  readonly quiet: boolean;
}

/** What a failed call's span records: its status name, never the error's message. */
class CallFailed extends Error {
  override readonly name = 'CallFailed';
}

/** The caller's trace context from the call's metadata (the W3C header names). */
function traceMetadataOf(metadata: Metadata): Record<string, string> {
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = metadata.get(key)[0];
    if (typeof value === 'string') carrier[key] = value;
  }
  return carrier;
}

/** Why a call's signal was aborted; what the handler throws after it is not a failure of its own. */
class CallEnded extends Error {
  override readonly name = 'CallEnded';
}

/**
 * A client cancels at its deadline and the server times out at the same
 * deadline measured from the request's arrival: which comes first is a race,
 * so a cancel this close to the deadline counts as the deadline.
 */
const DEADLINE_TOLERANCE_MS = 50;

function endedCode(
  call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>,
): GrpcStatusCode {
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  return Date.now() >= deadlineMs - DEADLINE_TOLERANCE_MS
    ? GrpcStatus.DEADLINE_EXCEEDED
    : GrpcStatus.CANCELLED;
}

export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const { logger, auth, tracer } = options;
  const server = new Server();
  const knownServices = new Set<string>();
  const readiness = new Readiness(options.readiness, options.readinessTimeoutMs ?? 1_000, logger);
  let stopping: Promise<void> | undefined;
  const healthServiceName = serviceNameOf(health.HealthService);

  const duration = new Histogram({
    name: 'grpc_server_handling_seconds',
    help: 'Time from a gRPC call received to its status sent, by method and status code.',
    labelNames: ['method', 'code'] as const,
    registers: [options.registry],
  });

  async function authenticate(verifier: TokenVerifier, metadata: Metadata): Promise<Principal> {
    const values = metadata.get('authorization');
    // More than one value is refused by bearerToken, like a repeated HTTP header.
    const principal = await verifier.verify(bearerToken(values.length > 1 ? values : values[0]));
    requireRole(principal, 'service');
    return principal;
  }

  function record(
    route: Route,
    code: GrpcStatusCode,
    startedAt: number,
    outcome: { error?: ErrorStatus; cause?: unknown },
  ): void {
    const seconds = (performance.now() - startedAt) / 1000;
    duration.observe({ method: route.method, code: statusName(code) }, seconds);
    const fields = {
      method: route.method,
      grpcStatus: statusName(code),
      durationMs: Math.round(seconds * 1000),
      ...(outcome.error === undefined ? {} : { errorCode: outcome.error.errorCode }),
    };
    if (outcome.error?.unexpected === true)
      logger.error({ ...fields, err: outcome.cause }, 'grpc call failed unexpectedly');
    else if (code === GrpcStatus.DEADLINE_EXCEEDED || code === GrpcStatus.CANCELLED) {
      logger.warn(fields, 'grpc call ended before its handler finished');
    } else if (route.quiet) logger.debug(fields, 'grpc call completed');
    else logger.info(fields, 'grpc call completed');
  }

  /**
   * Runs one call: context, identity, the handler's work, then exactly one
   * outcome — `respond` on success, `respondError` on failure, or nothing when
   * the call ended first (grpc-js has already sent its status).
   */
  function serve<T>(
    route: Route,
    call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>,
    work: (context: CallContext) => Promise<T>,
    respond: (result: T) => void,
    respondError: (status: ErrorStatus) => void,
  ): void {
    const startedAt = performance.now();
    const correlationId =
      acceptCorrelationId(call.metadata.get(CORRELATION_METADATA)[0]) ?? newCorrelationId();
    const controller = new AbortController();
    let context: RequestContext = { correlationId };
    let settled = false;
    const traced =
      tracer === undefined || route.quiet
        ? undefined
        : startSpan(
            tracer,
            route.method,
            {
              kind: SpanKind.SERVER,
              attributes: { 'rpc.system': 'grpc', 'rpc.method': route.method },
            },
            contextOfTraceHeaders(traceMetadataOf(call.metadata)),
          );
    // Lines about the call carry its context, the caller's identity included once known.
    const finish = (
      code: GrpcStatusCode,
      outcome: { error?: ErrorStatus; cause?: unknown } = {},
    ): void => {
      runWithContext(context, () => {
        record(route, code, startedAt, outcome);
      });
      if (traced !== undefined) {
        traced.span.setAttribute('rpc.grpc.status_code', code);
        endSpan(traced.span, code === GrpcStatus.OK ? undefined : new CallFailed(statusName(code)));
      }
    };

    // grpc-js emits `cancelled` after every status it sends, ours included; only an early one matters.
    call.on('cancelled', () => {
      if (settled) return;
      settled = true;
      const code = endedCode(call);
      controller.abort(new CallEnded(`The call ended with ${statusName(code)}.`));
      finish(code);
    });

    void withTraceContext(traced?.context, () =>
      runWithContext(context, async () => {
        try {
          const principal =
            route.verifier === undefined
              ? undefined
              : await authenticate(route.verifier, call.metadata);
          const actor = principal?.service ?? principal?.subject;
          if (actor !== undefined) context = { correlationId, actor };
          const callContext: CallContext = {
            method: route.method,
            metadata: call.metadata,
            correlationId,
            principal,
            signal: controller.signal,
          };
          const result = await runWithContext(context, () => work(callContext));
          if (settled) return;
          settled = true;
          respond(result);
          finish(GrpcStatus.OK);
        } catch (error) {
          const status = statusOfError(error);
          if (settled) {
            // Work cut short by the end of the call is expected; an unknown error is a bug worth its detail.
            if (status.unexpected && !isAbortOutcome(error, controller.signal)) {
              logger.error(
                { method: route.method, err: error },
                'grpc handler failed after its call ended',
              );
            }
            return;
          }
          settled = true;
          respondError(status);
          finish(status.code, { error: status, cause: error });
        }
      }),
    );
  }

  function unary(
    route: Route,
    handler: UnaryHandler<unknown, unknown>,
  ): handleUnaryCall<unknown, unknown> {
    return (call, callback) => {
      serve(
        route,
        call,
        (context) => Promise.resolve(handler(call.request, context)),
        (response) => {
          callback(null, response);
        },
        (status) => {
          callback(status);
        },
      );
    };
  }

  function serverStream(
    route: Route,
    handler: ServerStreamHandler<unknown, unknown>,
  ): handleServerStreamingCall<unknown, unknown> {
    return (call) => {
      serve(
        route,
        call,
        (context) =>
          handler(call.request, {
            ...context,
            async send(message) {
              context.signal.throwIfAborted();
              if (!call.write(message)) await once(call, 'drain', { signal: context.signal });
            },
          }),
        () => {
          call.end();
        },
        (status) => {
          // grpc-js turns an `error` event on the stream into the call's status, after the messages already written.
          call.emit('error', status);
        },
      );
    };
  }

  function addService<S extends ServiceDefinitionLike>(
    definition: S,
    implementation: ServiceImplementation<S>,
    serviceOptions: AddServiceOptions = {},
  ): void {
    const serviceName = serviceNameOf(definition);
    const isPublic = serviceOptions.public ?? false;
    if (!isPublic && auth === undefined) {
      throw new TypeError(
        `${serviceName} needs its callers' service tokens checked: pass \`auth\` to createGrpcServer.`,
      );
    }
    const verifier = isPublic ? undefined : auth;
    const quiet = serviceName === healthServiceName;
    // The mapped type guarantees one handler per method of the right kind; grpc-js is untyped here.
    const handlers = implementation as unknown as Readonly<Record<string, AnyHandler>>;
    const methods: Record<string, UntypedMethod> = {};
    const wrapped: UntypedServiceImplementation = {};
    for (const [name, definitionOfMethod] of Object.entries(definition)) {
      const method = untyped(definitionOfMethod);
      methods[name] = method;
      const handler = handlers[name];
      if (handler === undefined) throw new TypeError(`${method.path} has no handler.`);
      // serviceNameOf has checked every path is /package.Service/Method.
      const route: Route = { method: method.path.slice(1), verifier, quiet };
      if (method.requestStream)
        throw new TypeError(`${method.path}: client-streaming methods are not supported.`);
      wrapped[name] = method.responseStream
        ? serverStream(route, handler as ServerStreamHandler<unknown, unknown>)
        : unary(route, handler as UnaryHandler<unknown, unknown>);
    }
    server.addService(methods, wrapped);
    knownServices.add(serviceName);
  }

  addService(
    health.HealthService,
    healthImplementation(readiness, (service) => service === '' || knownServices.has(service)),
    { public: true },
  );

  return {
    addService,

    async listen(host, port) {
      const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      const bound = await new Promise<number>((resolve, reject) => {
        server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) => {
          if (error) reject(error);
          else resolve(boundPort);
        });
      });
      readiness.startPolling(options.healthPollMs ?? 1_000);
      logger.info({ host, port: bound }, 'grpc server listening');
      return bound;
    },

    stop(graceMs) {
      stopping ??= new Promise<void>((resolve) => {
        readiness.stop();
        const force = setTimeout(() => {
          logger.warn(
            { graceMs },
            'grpc calls still running after the grace period; cancelling them',
          );
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return stopping;
    },
  };
}

function isAbortOutcome(error: unknown, signal: AbortSignal): boolean {
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}

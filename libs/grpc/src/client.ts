/**
 * A typed, promise-style client over a ts-proto generated client class. Every
 * call carries a deadline, the current correlation id and the service token;
 * failures arrive as AppErrors; only methods declared idempotent are retried.
 *
 * The calls are made through the client's own `makeUnaryRequest` and
 * `makeServerStreamRequest` with the definition's codecs, so the callback
 * overloads of the generated methods are never needed, and since this wrapper
 * is the only way in, it sets the deadline and metadata itself: no interceptor
 * has to recover an async token inside grpc-js's call start. Inside traced
 * work, each call is a client span whose `traceparent` goes in the metadata.
 */
import {
  credentials,
  Metadata,
  type ChannelCredentials,
  type Client,
  type ClientOptions,
  type ClientReadableStream,
} from '@grpc/grpc-js';
import type { AppError } from '@learning/errors';
import { currentCorrelationId, type Logger } from '@learning/logger';
import {
  activeTracer,
  endSpan,
  startSpan,
  traceHeadersOf,
  type TraceHeaders,
} from '@learning/tracing';
import { context as contexts, SpanKind, type Context, type Span } from '@opentelemetry/api';
import {
  splitPath,
  untyped,
  type UntypedMethod,
  type RequestOf,
  type ResponseOf,
  type ServerStreamMethodNames,
  type ServiceDefinitionLike,
  type UnaryMethodNames,
} from './definitions.js';
import { CORRELATION_METADATA, isServiceError, statusName, toAppError } from './errors.js';

/** What ts-proto generates for a service: `new HealthClient(address, credentials)`, with its definition. */
export interface GeneratedClientConstructor<S extends ServiceDefinitionLike> {
  new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): Client;
  readonly service: S;
  readonly serviceName: string;
}

export interface RetryOptions {
  /** Attempts in all, the first included; grpc-js caps it at 5. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export interface GrpcClientOptions<S extends ServiceDefinitionLike> {
  /** `host:port`. */
  address: string;
  logger: Logger;
  /** Deadline of a call that sets none itself. Default 2000. */
  deadlineMs?: number;
  /**
   * Methods safe to run twice. Only these are retried, and only on
   * UNAVAILABLE: the request did not reach a handler, or the handler said it
   * could not serve now. RESOURCE_EXHAUSTED (rate limited, too large) is not
   * retried: an immediate retry adds load to an overloaded peer or cannot succeed.
   */
  idempotentMethods: readonly (keyof S & string)[];
  /** The bearer token of this service's identity; called per call, so cache inside. */
  tokenProvider?: () => Promise<string> | string;
  /** Default: 3 attempts, 100 ms initial backoff, 1 s at most. */
  retry?: RetryOptions;
}

export interface CallOptions {
  /** This call's deadline, in ms from now. */
  deadlineMs?: number;
}

export type PromiseClient<S extends ServiceDefinitionLike> = {
  readonly [K in UnaryMethodNames<S>]: (
    request: RequestOf<S[K]>,
    options?: CallOptions,
  ) => Promise<ResponseOf<S[K]>>;
} & {
  /** Breaking out of the loop cancels the call. */
  readonly [K in ServerStreamMethodNames<S>]: (
    request: RequestOf<S[K]>,
    options?: CallOptions,
  ) => AsyncIterable<ResponseOf<S[K]>>;
};

export interface GrpcClient<S extends ServiceDefinitionLike> {
  /** One function per unary or server-streaming method, named as in the generated client. */
  readonly call: PromiseClient<S>;
  close(): void;
}

const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, initialBackoffMs: 100, maxBackoffMs: 1_000 };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)}s`;

/** gRPC service config (gRFC A6) retrying the idempotent methods; undefined when there are none. */
export function retryServiceConfig(
  definition: ServiceDefinitionLike,
  idempotentMethods: readonly string[],
  retry: RetryOptions = DEFAULT_RETRY,
): string | undefined {
  if (idempotentMethods.length === 0 || retry.maxAttempts < 2) return undefined;
  const names = idempotentMethods.map((name) => {
    const method = definition[name];
    if (method === undefined) throw new TypeError(`"${name}" is not a method of this service.`);
    return splitPath(method.path);
  });
  return JSON.stringify({
    methodConfig: [
      {
        name: names,
        retryPolicy: {
          maxAttempts: retry.maxAttempts,
          initialBackoff: seconds(retry.initialBackoffMs),
          maxBackoff: seconds(retry.maxBackoffMs),
          backoffMultiplier: 2,
          retryableStatusCodes: ['UNAVAILABLE'],
        },
      },
    ],
  });
}

/** Kinds that say the peer is in trouble rather than that the request was refused. */
const UPSTREAM_TROUBLE: ReadonlySet<AppError['kind']> = new Set([
  'unavailable',
  'deadline_exceeded',
  'internal',
]);

export function createGrpcClient<S extends ServiceDefinitionLike>(
  Constructor: GeneratedClientConstructor<S>,
  options: GrpcClientOptions<S>,
): GrpcClient<S> {
  const { logger, tokenProvider } = options;
  const serviceName = Constructor.serviceName;
  const defaultDeadlineMs = options.deadlineMs ?? 2_000;
  const serviceConfig = retryServiceConfig(
    Constructor.service,
    options.idempotentMethods,
    options.retry,
  );
  const client = new Constructor(
    options.address,
    credentials.createInsecure(),
    serviceConfig === undefined ? {} : { 'grpc.service_config': serviceConfig },
  );

  async function metadataForCall(
    correlationId: string | undefined,
    trace: TraceHeaders | undefined,
  ): Promise<Metadata> {
    const metadata = new Metadata();
    if (correlationId !== undefined) metadata.set(CORRELATION_METADATA, correlationId);
    if (trace !== undefined) {
      metadata.set('traceparent', trace.traceparent);
      if (trace.tracestate !== undefined) metadata.set('tracestate', trace.tracestate);
    }
    if (tokenProvider !== undefined)
      metadata.set('authorization', `Bearer ${await tokenProvider()}`);
    return metadata;
  }

  /** The call's client span when it is made inside traced work, and the trace context to send. */
  function traceCall(
    method: UntypedMethod,
    parent: Context,
  ): { span: Span | undefined; headers: TraceHeaders | undefined } {
    const tracer = activeTracer(parent);
    if (tracer === undefined) return { span: undefined, headers: traceHeadersOf(parent) };
    const name = method.path.slice(1);
    const { span, context } = startSpan(
      tracer,
      name,
      { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'grpc', 'rpc.method': name } },
      parent,
    );
    return { span, headers: traceHeadersOf(context) };
  }

  function failure(method: UntypedMethod, error: unknown, deadlineMs: number): AppError {
    const appError = toAppError(error, { service: serviceName, deadlineMs });
    const fields = {
      method: method.path.slice(1),
      errorCode: appError.code,
      ...(isServiceError(error) ? { grpcStatus: statusName(error.code) } : {}),
    };
    if (UPSTREAM_TROUBLE.has(appError.kind)) logger.warn(fields, 'grpc call failed');
    else logger.debug(fields, 'grpc call refused');
    return appError;
  }

  async function unary(
    method: UntypedMethod,
    request: unknown,
    callOptions: CallOptions = {},
  ): Promise<unknown> {
    const deadlineMs = callOptions.deadlineMs ?? defaultDeadlineMs;
    const traced = traceCall(method, contexts.active());
    try {
      const metadata = await metadataForCall(currentCorrelationId(), traced.headers);
      const response = await new Promise<unknown>((resolve, reject) => {
        client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          metadata,
          { deadline: Date.now() + deadlineMs },
          (error, response) => {
            if (error) reject(error);
            else resolve(response);
          },
        );
      });
      if (traced.span !== undefined) endSpan(traced.span);
      return response;
    } catch (error) {
      const appError = failure(method, error, deadlineMs);
      if (traced.span !== undefined) endSpan(traced.span, appError);
      throw appError;
    }
  }

  async function* serverStream(
    method: UntypedMethod,
    request: unknown,
    callOptions: CallOptions,
    correlationId: string | undefined,
    parent: Context,
  ): AsyncGenerator<unknown, void, undefined> {
    const deadlineMs = callOptions.deadlineMs ?? defaultDeadlineMs;
    const traced = traceCall(method, parent);
    let stream: ClientReadableStream<unknown> | undefined;
    let failed: AppError | undefined;
    try {
      const metadata = await metadataForCall(correlationId, traced.headers);
      stream = client.makeServerStreamRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        {
          deadline: Date.now() + deadlineMs,
        },
      );
      yield* stream as AsyncIterable<unknown>;
    } catch (error) {
      failed = failure(method, error, deadlineMs);
      throw failed;
    } finally {
      // A consumer that stops early must not leave the call running; after the end it is a no-op.
      stream?.cancel();
      if (traced.span !== undefined) endSpan(traced.span, failed);
    }
  }

  const call: Record<string, (request: unknown, callOptions?: CallOptions) => unknown> = {};
  for (const [name, definition] of Object.entries(Constructor.service)) {
    const method = untyped(definition);
    if (method.requestStream) continue;
    call[name] = method.responseStream
      ? // The body of a generator runs when iterated; the correlation id and trace are the call site's.
        (request, callOptions = {}) =>
          serverStream(method, request, callOptions, currentCorrelationId(), contexts.active())
      : (request, callOptions) => unary(method, request, callOptions);
  }

  return {
    // Built from the same definition PromiseClient<S> is computed from.
    call: call as PromiseClient<S>,
    close() {
      client.close();
    },
  };
}

/**
 * W3C trace context across the platform's boundaries: HTTP headers, gRPC
 * metadata and the CloudEvents distributed-tracing extension (`traceparent`,
 * `tracestate`) of every event. The app's tracer travels in the context too,
 * so code that only makes outgoing calls (a gRPC client) starts its spans with
 * the tracer of the service it runs in, without being handed one.
 */
import {
  context as contexts,
  createContextKey,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The two trace-context fields, as W3C headers and CloudEvents attributes name them. */
export interface TraceHeaders {
  readonly traceparent: string;
  readonly tracestate?: string;
}

const propagator = new W3CTraceContextPropagator();
const TRACER_KEY = createContextKey('@learning/tracing tracer');

const getter = {
  keys: (carrier: Readonly<Record<string, unknown>>) => Object.keys(carrier),
  get: (carrier: Readonly<Record<string, unknown>>, key: string) => {
    const value = carrier[key];
    return typeof value === 'string' || Array.isArray(value)
      ? (value as string | string[])
      : undefined;
  },
};

/**
 * The trace context of the span active in `context`; undefined when there is
 * none, which is always the case while tracing is off.
 */
export function traceHeadersOf(context: Context = contexts.active()): TraceHeaders | undefined {
  if (trace.getSpanContext(context) === undefined) return undefined;
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier, {
    set: (target: Record<string, string>, key: string, value: string) => {
      target[key] = value;
    },
  });
  const traceparent = carrier['traceparent'];
  if (traceparent === undefined) return undefined;
  const tracestate = carrier['tracestate'];
  return tracestate === undefined ? { traceparent } : { traceparent, tracestate };
}

/**
 * `base` with the remote span of `carrier` (headers, metadata or an event with
 * `traceparent`/`tracestate`) as parent; `base` itself when the carrier has none
 * or a malformed one, so what came without a trace starts a new one.
 */
export function contextOfTraceHeaders(
  carrier: Readonly<Record<string, unknown>>,
  base: Context = contexts.active(),
): Context {
  return propagator.extract(base, carrier, getter);
}

/**
 * Starts a span as a child of `parent` and returns it with the context that
 * carries it and `tracer`: work run in that context is traced by this app.
 */
export function startSpan(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  parent: Context = contexts.active(),
): { span: Span; context: Context } {
  const span = tracer.startSpan(name, options, parent);
  return { span, context: trace.setSpan(parent, span).setValue(TRACER_KEY, tracer) };
}

/** The tracer of the traced work in `context`; undefined outside one (and always while tracing is off). */
export function activeTracer(context: Context = contexts.active()): Tracer | undefined {
  return context.getValue(TRACER_KEY) as Tracer | undefined;
}

/**
 * Ends `span`, marked failed when there is an `error`. Only the error's class
 * is recorded: messages can quote personal data, and spans leave the process
 * unscrubbed, unlike log lines.
 */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/** Runs `work` in a span's context, or as it is when the work is not traced. */
export const withTraceContext = <T>(context: Context | undefined, work: () => T): T =>
  context === undefined ? work() : contexts.with(context, work);

import { Writable } from 'node:stream';
import { createRootLogger } from '@learning/logger';
import { context as contexts, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  activeTracer,
  contextOfTraceHeaders,
  endSpan,
  InMemorySpanExporter,
  otlpTracesUrl,
  startSpan,
  startTracing,
  traceHeadersOf,
  withTraceContext,
  type TracingConfig,
} from '../../src/index.js';

const defaults: TracingConfig = { OTEL_TRACES_SAMPLER_ARG: 1, OTEL_BSP_SCHEDULE_DELAY: 5_000 };
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('otlpTracesUrl', () => {
  it('when nothing is configured, then tracing is off', () => {
    expect(otlpTracesUrl(defaults)).toBeUndefined();
  });

  it('when an endpoint is set, then spans go to its /v1/traces', () => {
    expect(
      otlpTracesUrl({ ...defaults, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }),
    ).toBe('http://collector:4318/v1/traces');
  });

  it('when the exporter is otlp without an endpoint, then the standard local endpoint is used', () => {
    expect(otlpTracesUrl({ ...defaults, OTEL_TRACES_EXPORTER: 'otlp' })).toBe(
      'http://localhost:4318/v1/traces',
    );
  });

  it('when the exporter is none, then tracing is off even with an endpoint', () => {
    expect(
      otlpTracesUrl({
        ...defaults,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      }),
    ).toBeUndefined();
  });
});

describe('startTracing', () => {
  it('when tracing is off, then there is no tracer to start spans with', async () => {
    const tracing = startTracing({
      service: { name: 'scoring', version: '1.0.0' },
      config: defaults,
    });
    expect(tracing.tracer).toBeUndefined();
    await tracing.shutdown();
  });
});

describe('with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({
    service: { name: 'registration', version: '1.2.3' },
    config: defaults,
    exporter,
  });
  const tracer = tracing.tracer as Tracer;
  afterAll(() => tracing.shutdown());

  const finished = async () => {
    await tracing.flush();
    return exporter.getFinishedSpans();
  };

  it('when a span ends, then it is exported with the service as its resource', async () => {
    endSpan(startSpan(tracer, 'POST /v1/enrollments', { kind: SpanKind.SERVER }).span);
    const span = (await finished()).find(
      (finishedSpan) => finishedSpan.name === 'POST /v1/enrollments',
    );
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.resource.attributes['service.name']).toBe('registration');
    expect(span?.resource.attributes['service.version']).toBe('1.2.3');
  });

  it('when no span is active, then there is no trace context to send', () => {
    expect(traceHeadersOf()).toBeUndefined();
    expect(activeTracer()).toBeUndefined();
  });

  it('when work runs in a span, then its traceparent names that span and its tracer is active', () => {
    const { span, context } = startSpan(tracer, 'work', {});
    const headers = withTraceContext(context, () => {
      expect(activeTracer()).toBe(tracer);
      return traceHeadersOf();
    });
    endSpan(span);
    const match = TRACEPARENT.exec(headers?.traceparent ?? '');
    expect(match?.[1]).toBe(span.spanContext().traceId);
    expect(match?.[2]).toBe(span.spanContext().spanId);
  });

  it('when a traceparent is received, then the span started from it is its child in the same trace', async () => {
    const upstream = startSpan(tracer, 'upstream', { kind: SpanKind.PRODUCER });
    const carried = traceHeadersOf(upstream.context);
    endSpan(upstream.span);
    const received = contextOfTraceHeaders({ ...carried }, contexts.active());
    endSpan(startSpan(tracer, 'downstream', { kind: SpanKind.CONSUMER }, received).span);
    const spans = await finished();
    const downstream = spans.find((span) => span.name === 'downstream');
    expect(downstream?.spanContext().traceId).toBe(upstream.span.spanContext().traceId);
    expect(downstream?.parentSpanContext?.spanId).toBe(upstream.span.spanContext().spanId);
  });

  it.each([
    ['no traceparent', {}],
    ['a malformed traceparent', { traceparent: '00-not-a-trace-01' }],
  ])('when an event comes with %s, then its handling starts a new trace', (_case, carrier) => {
    const received = contextOfTraceHeaders(carrier, contexts.active());
    expect(trace.getSpanContext(received)).toBeUndefined();
    const { span } = startSpan(tracer, 'handling', {}, received);
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    endSpan(span);
  });

  it('when a span ends with an error, then it is marked failed with the error class but not its message', async () => {
    const { span } = startSpan(tracer, 'failing', {});
    endSpan(span, new RangeError('phone 13812345678 is taken'));
    const failed = (await finished()).find((finishedSpan) => finishedSpan.name === 'failing');
    expect(failed?.status.code).toBe(2);
    expect(failed?.attributes['error.type']).toBe('RangeError');
    expect(JSON.stringify(failed?.status)).not.toContain('13812345678');
    expect(failed?.events).toEqual([]);
  });

  it('when a line is logged inside a span, then it carries the trace and span ids', () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        callback();
      },
    });
    const logger = createRootLogger({ service: 'registration', version: '1', destination });
    const { span, context } = startSpan(tracer, 'logged', {});
    withTraceContext(context, () => {
      logger.info('inside');
    });
    logger.info('outside');
    endSpan(span);
    expect(lines[0]).toMatchObject({
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });
});

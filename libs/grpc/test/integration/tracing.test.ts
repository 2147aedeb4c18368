import {
  InMemorySpanExporter,
  startSpan,
  startTracing,
  withTraceContext,
  type ReadableSpan,
} from '@learning/tracing';
import { SpanKind, type Tracer } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrpcClient } from '../../src/index.js';
import type { ProbeService } from '../fixtures/probe.js';
import {
  localIssuer,
  probeClient,
  serviceToken,
  startProbeServer,
  type ProbeServer,
} from '../support.js';

describe('gRPC calls in a trace', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({
    service: { name: 'activities', version: '1' },
    config: { OTEL_TRACES_SAMPLER_ARG: 1, OTEL_BSP_SCHEDULE_DELAY: 5_000 },
    exporter,
  });
  const tracer = tracing.tracer as Tracer;
  let probe: ProbeServer;
  let client: GrpcClient<typeof ProbeService>;

  beforeAll(async () => {
    const issuer = await localIssuer();
    probe = await startProbeServer(issuer, { tracer });
    const token = await serviceToken(issuer);
    client = probeClient(probe.address, { tokenProvider: () => token });
  });
  afterAll(async () => {
    client.close();
    await probe.server.stop(1_000);
    await tracing.shutdown();
  });

  /** Runs `call` inside a span of the caller's own; the spans of its trace once it has ended. */
  async function traced(call: () => Promise<unknown>): Promise<{
    caller: string;
    spans: ReadableSpan[];
  }> {
    const { span, context } = startSpan(tracer, 'caller', {});
    await withTraceContext(context, call).catch(() => undefined);
    span.end();
    await tracing.flush();
    const { traceId, spanId } = span.spanContext();
    return {
      caller: spanId,
      spans: exporter.getFinishedSpans().filter((each) => each.spanContext().traceId === traceId),
    };
  }

  const ofKind = (spans: ReadableSpan[], kind: SpanKind) =>
    spans.filter((span) => span.kind === kind);

  it('when a unary call is made inside traced work, then the server handles it in a child of the client span', async () => {
    const { caller, spans } = await traced(() => client.call.echo({ text: 'hello' }));
    const [clientSpan] = ofKind(spans, SpanKind.CLIENT);
    const [serverSpan] = ofKind(spans, SpanKind.SERVER);
    expect(clientSpan?.name).toBe('test.v1.Probe/Echo');
    expect(clientSpan?.parentSpanContext?.spanId).toBe(caller);
    expect(serverSpan?.name).toBe('test.v1.Probe/Echo');
    expect(serverSpan?.parentSpanContext?.spanId).toBe(clientSpan?.spanContext().spanId);
    expect(serverSpan?.attributes['rpc.grpc.status_code']).toBe(0);
  });

  it('when a call fails, then both spans are marked failed, without the error message', async () => {
    const { spans } = await traced(() => client.call.fail({ failWith: 'unknown-error' }));
    expect(spans.filter((span) => span.name === 'test.v1.Probe/Fail')).toHaveLength(2);
    for (const span of spans.filter((each) => each.name === 'test.v1.Probe/Fail')) {
      expect(span.status.code).toBe(2);
      expect(JSON.stringify([span.attributes, span.status, span.events])).not.toContain('hunter2');
    }
  });

  it('when a server stream is read inside traced work, then its spans are parent and child too', async () => {
    const { spans } = await traced(async () => {
      for await (const reply of client.call.count({ count: 3 })) expect(reply.text).toBeDefined();
    });
    const [clientSpan] = ofKind(spans, SpanKind.CLIENT);
    const [serverSpan] = ofKind(spans, SpanKind.SERVER);
    expect(clientSpan?.name).toBe('test.v1.Probe/Count');
    expect(serverSpan?.parentSpanContext?.spanId).toBe(clientSpan?.spanContext().spanId);
  });

  it('when a call is made outside traced work, then no client span is made and the server starts a new trace', async () => {
    exporter.reset();
    await client.call.echo({ text: 'untraced' });
    await tracing.flush();
    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'test.v1.Probe/Echo');
    expect(spans.map((span) => span.kind)).toEqual([SpanKind.SERVER]);
    expect(spans[0]?.parentSpanContext).toBeUndefined();
  });
});

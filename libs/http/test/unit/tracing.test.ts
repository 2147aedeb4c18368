import { InMemorySpanExporter, startTracing, type Tracing } from '@learning/tracing';
import { SpanKind, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../support.js';

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

/** Routes that say which span they run in, and one that fails. */
function addRoutes({ app }: TestServer): void {
  app.get('/things/:id', { config: { auth: 'none' } }, async (request) => {
    await Promise.resolve();
    request.log.info('serving a thing');
    return { spanId: trace.getActiveSpan()?.spanContext().spanId ?? null };
  });
  app.get('/broken', { config: { auth: 'none' } }, () => {
    throw new Error('boom');
  });
}

describe('request spans, with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: TestServer;

  beforeAll(async () => {
    tracing = startTracing({
      service: { name: 'test-service', version: '1' },
      config: { OTEL_TRACES_SAMPLER_ARG: 1, OTEL_BSP_SCHEDULE_DELAY: 5_000 },
      exporter,
    });
    server = await testServer(
      undefined,
      tracing.tracer === undefined ? {} : { tracer: tracing.tracer },
    );
    addRoutes(server);
    await server.app.ready();
  });
  afterAll(async () => {
    await server.app.close();
    await tracing.shutdown();
  });

  const finished = async () => {
    await tracing.flush();
    return exporter.getFinishedSpans();
  };

  it("when a request comes with a traceparent, then it is served in a server span named by its route, child of the caller's", async () => {
    const reply = await server.app.inject({
      method: 'GET',
      url: '/things/13812345678',
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    });
    const span = (await finished()).find((each) => each.name === 'GET /things/:id');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(CALLER_TRACE);
    expect(span?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(reply.json<{ spanId: string }>().spanId).toBe(span?.spanContext().spanId);
    expect(span?.attributes['http.response.status_code']).toBe(200);
    // The route pattern only: the raw path here is a phone number.
    expect(JSON.stringify(span?.attributes)).not.toContain('13812345678');
    const line = server.logs.lines.find((each) => each['msg'] === 'serving a thing');
    expect(line).toMatchObject({ trace_id: CALLER_TRACE, span_id: span?.spanContext().spanId });
  });

  it('when a request fails with a 500, then its span is marked failed', async () => {
    await server.app.inject({ method: 'GET', url: '/broken' });
    const span = (await finished()).find((each) => each.name === 'GET /broken');
    expect(span?.status.code).toBe(2);
    expect(span?.attributes['http.response.status_code']).toBe(500);
  });

  it('when a probe polls /healthz, then no span is made', async () => {
    exporter.reset();
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await finished()).map((span) => span.name)).not.toContain('GET /healthz');
  });
});

describe('request spans, with tracing off', () => {
  it('when a request is served, then it runs in no span at all', async () => {
    const server = await testServer(undefined);
    addRoutes(server);
    const reply = await server.app.inject({
      method: 'GET',
      url: '/things/1',
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    });
    await server.app.close();
    expect(reply.json()).toEqual({ spanId: null });
  });
});

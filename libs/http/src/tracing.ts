/**
 * A server span per request, child of the caller's `traceparent` when it sent
 * one. Installed only when tracing is on; probes and scrapes are not traced.
 */
import { context as contexts, SpanKind, type Span, type Tracer } from '@opentelemetry/api';
import { contextOfTraceHeaders, endSpan, startSpan } from '@learning/tracing';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QUIET_ROUTES, routeLabel } from './context.js';

const spans = new WeakMap<FastifyRequest, Span>();

export function installTracing(app: FastifyInstance, tracer: Tracer): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const route = routeLabel(request);
    if (QUIET_ROUTES.has(route)) {
      done();
      return;
    }
    const { span, context } = startSpan(
      tracer,
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        // The route pattern, never the raw URL: paths and queries can hold personal data.
        attributes: { 'http.request.method': request.method, 'http.route': route },
      },
      contextOfTraceHeaders(request.headers),
    );
    spans.set(request, span);
    contexts.with(context, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      endSpan(span, reply.statusCode >= 500 ? new ServerError(reply.statusCode) : undefined);
    }
    done();
  });
}

/** What a 5xx response is recorded as: its status, never the error's message. */
class ServerError extends Error {
  override readonly name = 'ServerError';

  constructor(readonly statusCode: number) {
    super(`HTTP ${statusCode}`);
  }
}

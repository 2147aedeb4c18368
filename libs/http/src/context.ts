/**
 * The correlation id of a request is its fastify request id; every log line
 * written while serving it carries that id through @learning/logger's
 * AsyncLocalStorage, fastify's own request lines included.
 */
import type { IncomingMessage } from 'node:http';
import {
  acceptCorrelationId,
  newCorrelationId,
  runWithContext,
  type RequestContext,
} from '@learning/logger';
import {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Routes polled by probes and scrapers: their request lines go at debug, not info. */
export const QUIET_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** An incoming id is kept when it is well formed, so one id follows work across services. */
export const correlationIdOf = (raw: IncomingMessage): string =>
  acceptCorrelationId(raw.headers[CORRELATION_HEADER]) ?? newCorrelationId();

export function contextOf(request: FastifyRequest): RequestContext {
  const actor = request.principal?.subject;
  return actor === undefined ? { correlationId: request.id } : { correlationId: request.id, actor };
}

/** The route pattern (`/activities/:id`), never the raw URL, or `unmatched` for a 404. */
export const routeLabel = (request: FastifyRequest): string =>
  request.routeOptions.url ?? 'unmatched';

/** One line per request, at debug for probes, with the route pattern rather than the raw URL. */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // The completed line says all the incoming one would, once.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const route = routeLabel(request);
    const fields = {
      method: request.method,
      route,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else if (QUIET_ROUTES.has(route)) reply.log.debug(fields, 'request completed');
    else reply.log.info(fields, 'request completed');
  }
}

/**
 * Enters the request's context before any other hook: the rest of the chain,
 * handlers and their awaits run in it (fastify carries it across body parsing).
 */
export function installRequestContext(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    runWithContext(contextOf(request), done);
  });
}

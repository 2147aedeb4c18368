/** Probes and metrics: public to the cluster, never rate limited, never in the API docs. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Histogram, type Registry } from 'prom-client';
import { routeLabel } from './context.js';

export type ReadinessCheck = () => Promise<boolean>;
export type CheckOutcome = 'ok' | 'failed' | 'timeout';

const OPS_CONFIG = { auth: 'none', rateLimit: false, idempotency: 'off' } as const;

/** One check's outcome within `timeoutMs`; a throw counts as failed, its detail logged. */
async function runCheck(
  name: string,
  check: ReadinessCheck,
  timeoutMs: number,
  request: FastifyRequest,
): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, 'timeout');
  });
  const outcome = check().then(
    (ok): CheckOutcome => (ok ? 'ok' : 'failed'),
    (error: unknown): CheckOutcome => {
      request.log.warn({ err: error, check: name }, 'readiness check threw');
      return 'failed';
    },
  );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function installOps(
  app: FastifyInstance,
  options: {
    registry: Registry;
    readiness: Record<string, ReadinessCheck>;
    readinessTimeoutMs: number;
  },
): void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request received to response sent, by route pattern.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [options.registry],
  });

  app.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      { method: request.method, route: routeLabel(request), status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.get('/healthz', { config: OPS_CONFIG, schema: { hide: true } }, () => ({ status: 'ok' }));

  app.get('/readyz', { config: OPS_CONFIG, schema: { hide: true } }, async (request, reply) => {
    const entries = await Promise.all(
      Object.entries(options.readiness).map(
        async ([name, check]) =>
          [name, await runCheck(name, check, options.readinessTimeoutMs, request)] as const,
      ),
    );
    const checks = Object.fromEntries(entries);
    const failed = entries.filter(([, outcome]) => outcome !== 'ok').map(([name]) => name);
    if (failed.length > 0) {
      request.log.warn({ failed }, 'not ready');
      return reply.code(503).send({ status: 'unavailable', checks, failed });
    }
    return { status: 'ok', checks };
  });

  app.get('/metrics', { config: OPS_CONFIG, schema: { hide: true } }, async (_request, reply) => {
    return reply.type(options.registry.contentType).send(await options.registry.metrics());
  });
}

import { createHash } from 'node:crypto';
import { AppError } from '@learning/errors';
import { RateLimiter, type RateLimitDecision, type RedisClient } from '@learning/redis';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitOptions } from './route-config.js';

export const RATE_LIMITED = 'RATE_LIMITED';

/** One limiter per distinct limit; routes with their own limit count apart from the rest. */
const routeKey = (method: string, url: string): string => `${method}:${url}`;

/**
 * Whom a request counts against: the authenticated subject (hashed: subjects
 * are free-form and may not fit in a key), else the client address.
 */
function clientKey(request: FastifyRequest): string {
  const subject = request.principal?.subject;
  if (subject === undefined) return `ip:${request.ip}`;
  return `sub:${createHash('sha256').update(subject).digest('base64url')}`;
}

function setHeaders(
  reply: FastifyReply,
  decision: RateLimitDecision,
  durationSeconds: number,
): void {
  reply.header('ratelimit-limit', String(decision.limit));
  reply.header('ratelimit-remaining', String(Math.max(0, decision.remaining)));
  // Fixed windows: without the exact reset time, the window length is the honest upper bound.
  reply.header(
    'ratelimit-reset',
    String(decision.allowed ? durationSeconds : decision.retryAfterSeconds),
  );
}

export function installRateLimit(
  app: FastifyInstance,
  options: { redis: RedisClient; service: string; defaults: RateLimitOptions },
): void {
  const defaultLimiter = new RateLimiter(options.redis, {
    name: `http-${options.service}`,
    ...options.defaults,
  });
  const routeLimiters = new Map<string, { limiter: RateLimiter; durationSeconds: number }>();

  app.addHook('onRoute', (route) => {
    const limit = route.config?.rateLimit;
    if (limit === undefined || limit === false) return;
    const limiter = new RateLimiter(options.redis, {
      name: `http-${options.service}-${createHash('sha256')
        .update(routeKey(String(route.method), route.url))
        .digest('hex')
        .slice(0, 16)}`,
      ...limit,
    });
    for (const method of [route.method].flat()) {
      routeLimiters.set(routeKey(method, route.url), {
        limiter,
        durationSeconds: limit.durationSeconds,
      });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const limit = request.routeOptions.config.rateLimit;
    if (limit === false) return;
    const chosen = request.is404
      ? undefined
      : routeLimiters.get(routeKey(request.method, request.routeOptions.url ?? ''));
    const { limiter, durationSeconds } = chosen ?? {
      limiter: defaultLimiter,
      durationSeconds: options.defaults.durationSeconds,
    };
    let decision: RateLimitDecision;
    try {
      decision = await limiter.consume(clientKey(request));
    } catch (error) {
      // A Redis outage must not take the API down with it: let the request through.
      request.log.warn({ err: error }, 'rate limit not checked: Redis unavailable');
      return;
    }
    setHeaders(reply, decision, durationSeconds);
    if (!decision.allowed) {
      throw new AppError(
        'rate_limited',
        RATE_LIMITED,
        'Too many requests. Please wait a moment and try again.',
        {
          retryAfterSeconds: decision.retryAfterSeconds,
        },
      );
    }
  });
}

/**
 * Cross-origin access for the portals' browsers: only the configured origins
 * are granted (none by default). Tokens travel in the Authorization header,
 * never in cookies, so credentials are not allowed.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { CORRELATION_HEADER } from './context.js';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER } from './idempotency.js';

export async function installCors(
  app: FastifyInstance,
  allowedOrigins: readonly string[],
): Promise<void> {
  // Registered before authentication, so the preflight is answered before any token is asked
  // for (browsers send none with it) and refusals carry the headers a portal needs to read them.
  await app.register(cors, {
    origin: [...allowedOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'if-match',
      IDEMPOTENCY_HEADER,
      CORRELATION_HEADER,
    ],
    exposedHeaders: [
      CORRELATION_HEADER,
      REPLAYED_HEADER,
      'etag',
      'location',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ],
    credentials: false,
    maxAge: 600,
    // An OPTIONS request that is not a preflight gets the same empty answer, not a text/plain 400.
    strictPreflight: false,
  });
}

/**
 * Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header): a retried
 * request with the same key and the same content gets the first response
 * again instead of acting twice.
 */
import { createHash } from 'node:crypto';
import { AppError } from '@learning/errors';
import {
  IdempotencyStore,
  type IdempotencyBegin,
  type RedisClient,
  type StoredResponse,
} from '@learning/redis';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';
import type { IdempotencyMode } from './route-config.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
export const IDEMPOTENCY_KEY_REQUIRED = 'IDEMPOTENCY_KEY_REQUIRED';
export const IDEMPOTENCY_KEY_INVALID = 'IDEMPOTENCY_KEY_INVALID';
export const IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE';
export const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';
export const IDEMPOTENCY_UNAVAILABLE = 'IDEMPOTENCY_UNAVAILABLE';

/** Printable ASCII without spaces, so a key is safe in a Redis key and a log line. */
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

/** Response headers worth replaying; the rest (dates, rate limits, ids) belong to the new request. */
const REPLAYED_HEADERS = ['content-type', 'location'] as const;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

export const idempotencyModeOf = (
  method: string,
  declared: IdempotencyMode | undefined,
): IdempotencyMode => declared ?? (method === 'POST' ? 'optional' : 'off');

interface Claim {
  key: string;
  fingerprint: string;
}

function keyOf(request: FastifyRequest, mode: IdempotencyMode): string | undefined {
  const header = request.headers[IDEMPOTENCY_HEADER];
  if (header === undefined) {
    if (mode === 'required') {
      throw new AppError(
        'invalid_argument',
        IDEMPOTENCY_KEY_REQUIRED,
        'This request needs an Idempotency-Key header.',
      );
    }
    return undefined;
  }
  if (typeof header !== 'string' || !KEY_FORMAT.test(header)) {
    throw new AppError(
      'invalid_argument',
      IDEMPOTENCY_KEY_INVALID,
      'The Idempotency-Key header must be sent once, as 1 to 200 printable characters without spaces.',
    );
  }
  return header;
}

function replay(reply: FastifyReply, response: StoredResponse): FastifyReply {
  return reply
    .code(response.statusCode)
    .headers(response.headers)
    .header(REPLAYED_HEADER, 'true')
    .send(response.body);
}

function storedResponse(reply: FastifyReply, payload: unknown): StoredResponse | undefined {
  if (reply.statusCode >= 500) return undefined;
  let body: string;
  if (typeof payload === 'string') body = payload;
  else if (Buffer.isBuffer(payload)) body = payload.toString('utf8');
  else return undefined; // Streams cannot be kept; the claim is released instead.
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string') headers[name] = value;
  }
  return { statusCode: reply.statusCode, headers, body };
}

export function installIdempotency(
  app: FastifyInstance,
  options: { redis: RedisClient | undefined; service: string; ttlSeconds: number },
): void {
  const { redis } = options;
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    const required = methods.some(
      (method) => idempotencyModeOf(method, route.config?.idempotency) === 'required',
    );
    if (required && redis === undefined) {
      throw new Error(
        `Route ${methods.join(',')} ${route.url} requires Idempotency-Key but the server has no Redis.`,
      );
    }
  });
  if (redis === undefined) return;

  const store = new IdempotencyStore(redis, {
    name: `http-${options.service}`,
    ttlSeconds: options.ttlSeconds,
  });
  const claims = new WeakMap<FastifyRequest, Claim>();

  // preHandler: after authentication and validation, so refusals are never stored.
  app.addHook('preHandler', async (request, reply) => {
    const mode = idempotencyModeOf(request.method, request.routeOptions.config.idempotency);
    if (request.is404 || mode === 'off') return;
    const key = keyOf(request, mode);
    if (key === undefined) return;
    // Keys are per caller, so two people choosing the same key never meet.
    const scopedKey = sha256(`${request.principal?.subject ?? 'anonymous'}\n${key}`);
    const fingerprint = sha256(
      `${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`,
    );
    let begin: IdempotencyBegin;
    try {
      begin = await store.begin(scopedKey, fingerprint);
    } catch (error) {
      throw new AppError(
        'unavailable',
        IDEMPOTENCY_UNAVAILABLE,
        'Repeated requests cannot be checked right now. Please retry shortly.',
        {
          cause: error,
          retryAfterSeconds: 1,
        },
      );
    }
    switch (begin.state) {
      case 'started':
        claims.set(request, { key: scopedKey, fingerprint });
        return;
      case 'replay':
        return replay(reply, begin.response);
      case 'in_progress':
        throw new AppError(
          'conflict',
          IDEMPOTENCY_KEY_IN_USE,
          'A request with this Idempotency-Key is still being processed.',
          {
            retryAfterSeconds: 1,
          },
        );
      case 'mismatch':
        throw new HttpError(
          422,
          'invalid_argument',
          IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was already used for a different request.',
        );
    }
  });

  // onSend: the response is stored before the client can see it and retry. A
  // claim whose response never goes out expires after the store's in-progress TTL.
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claims.get(request);
    if (claim === undefined) return payload;
    claims.delete(request);
    const response = storedResponse(reply, payload);
    try {
      if (response === undefined) await store.abandon(claim.key);
      else await store.complete(claim.key, claim.fingerprint, response);
    } catch (error) {
      // The work is done either way; a retry meanwhile sees "in progress" until the claim expires.
      request.log.warn({ err: error }, 'idempotent response not stored: Redis unavailable');
    }
    return payload;
  });
}

/**
 * What every operation of the OpenAPI document says beyond its own schema:
 * the Idempotency-Key header where the route takes one, and the error
 * responses it can give, all with the one error schema. Derived from the
 * route's declaration (auth, roles, idempotency, params, body), so a route
 * cannot forget them and Swagger UI's "Try it out" sends what the API needs.
 */
import { Type } from '@sinclair/typebox';
import type { FastifySchema, RouteOptions } from 'fastify';
import { IDEMPOTENCY_HEADER, idempotencyModeOf } from './idempotency.js';

export const ERROR_SCHEMA_NAME = 'Error';

/** The body of every error response (ErrorBody of @learning/errors), for OpenAPI readers. */
export const errorSchema = Type.Object(
  {
    code: Type.String({
      description:
        'Stable: clients branch on it. The operation’s description names its own codes; the ' +
        'platform’s (VALIDATION_FAILED, TOKEN_INVALID, RATE_LIMITED, …) are in libs/errors.',
    }),
    message: Type.String({ description: 'For people; never carries personal data.' }),
    details: Type.Optional(
      Type.Array(
        Type.Object(
          {
            field: Type.String({ description: 'JSON pointer, e.g. /name or query/pageSize.' }),
            message: Type.String(),
          },
          { additionalProperties: false },
        ),
        { description: 'One entry per field at fault, for VALIDATION_FAILED and the like.' },
      ),
    ),
  },
  { additionalProperties: false },
);

const ERROR_RESPONSES: Readonly<Record<number, string>> = {
  400: 'The request is not valid (VALIDATION_FAILED with details, MALFORMED_JSON, JSON_TOO_DEEP, FORBIDDEN_KEY, or a rule of this operation).',
  401: 'No valid access token (TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED).',
  403: 'The caller’s role or scope does not allow this (ROLE_REQUIRED, or a rule of this operation).',
  404: 'Not found, or outside the caller’s reach.',
  409: 'The current state forbids it, the version read is stale, or the Idempotency-Key is still in use.',
  413: 'The request body is too large (PAYLOAD_TOO_LARGE).',
  415: 'The body is not application/json (UNSUPPORTED_MEDIA_TYPE).',
  422: 'The Idempotency-Key was already used for a different request (IDEMPOTENCY_KEY_REUSED).',
  429: 'Too many requests (RATE_LIMITED); Retry-After says when to try again.',
  500: 'Something failed on the server (INTERNAL); it has been logged.',
  503: 'A dependency is unavailable (sign-in keys, Redis for Idempotency-Key); retry after Retry-After.',
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function errorStatuses(route: RouteOptions, schema: FastifySchema, idempotent: boolean): number[] {
  const methods = [route.method].flat().map(String);
  const authenticated = schema.security !== undefined;
  const statuses = [400];
  if (authenticated) statuses.push(401, 403);
  if (route.url.includes(':') || schema.params !== undefined) statuses.push(404);
  if (idempotent || methods.some((method) => WRITE_METHODS.has(method))) statuses.push(409);
  if (schema.body !== undefined) statuses.push(413, 415);
  if (idempotent) statuses.push(422);
  if (route.config?.rateLimit !== false) statuses.push(429);
  statuses.push(500);
  if (authenticated || idempotent) statuses.push(503);
  return statuses;
}

const errorResponse = (status: number) => ({
  description: ERROR_RESPONSES[status] ?? 'An error.',
  content: {
    'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` } },
  },
});

/** @fastify/swagger's per-route transform: the route's schema as documented, not as validated. */
export function documentOperation({
  schema,
  url,
  route,
}: {
  schema: FastifySchema | undefined;
  url: string;
  route: RouteOptions;
}): { schema: FastifySchema; url: string } {
  const own: FastifySchema = schema ?? {};
  const modes = [route.method]
    .flat()
    .map((method) => idempotencyModeOf(String(method), route.config?.idempotency));
  const idempotency = modes.includes('required')
    ? 'required'
    : modes.includes('optional')
      ? 'optional'
      : 'off';
  const idempotent = idempotency !== 'off';

  const declared = typeof own.response === 'object' && own.response !== null ? own.response : {};
  const response: Record<string, unknown> = { ...declared };
  for (const status of errorStatuses(route, own, idempotent)) {
    // A route that describes one of its errors itself keeps its own description.
    response[String(status)] ??= errorResponse(status);
  }

  if (!idempotent) return { url, schema: { ...own, response } };
  if (own.headers !== undefined) {
    // Merging two header schemas is not needed yet; refusing beats documenting half.
    throw new Error(`Route ${url} declares headers and takes an Idempotency-Key: merge them here.`);
  }
  const headers = {
    type: 'object',
    properties: {
      [IDEMPOTENCY_HEADER]: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        pattern: '^[\\x21-\\x7e]+$',
        description:
          idempotency === 'required'
            ? 'Required: a key of your choosing (e.g. a UUID), new for each intended change; a retry with the same key and body answers the same, once.'
            : 'Optional: a key of your choosing; a retry with the same key and body answers the same, once.',
      },
    },
    required: idempotency === 'required' ? [IDEMPOTENCY_HEADER] : [],
  };
  return { url, schema: { ...own, headers, response } };
}

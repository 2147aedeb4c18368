/**
 * One translation of failures into responses: AppErrors by their kind, fastify's
 * own errors by a stable code each, anything else as a logged 500.
 */
import {
  AppError,
  isAppError,
  toPublicError,
  type AppErrorOptions,
  type ErrorKind,
  type FieldIssue,
} from '@learning/errors';
import { isMongoUnavailable } from '@learning/mongo';
import { isRedisUnavailable } from '@learning/redis';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError,
} from 'fastify';

/**
 * An AppError whose HTTP status is not the kind's own: HTTP has statuses
 * (415, 422) that the shared kinds do not distinguish. gRPC keeps the kind's.
 */
export class HttpError extends AppError {
  constructor(
    readonly status: number,
    kind: ErrorKind,
    code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(kind, code, message, options);
  }

  override get httpStatus(): number {
    return this.status;
  }
}

export const VALIDATION_FAILED = 'VALIDATION_FAILED';
export const MALFORMED_JSON = 'MALFORMED_JSON';
export const PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE';
export const UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE';
export const ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND';
export const BAD_REQUEST = 'BAD_REQUEST';
export const DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE';

/** A dependency that timed out is usually back within seconds (a restart, a failover). */
const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** Fastify's request errors (fastify/lib/errors.js), as AppErrors with stable codes. */
function fromFastifyError(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(
        'invalid_argument',
        MALFORMED_JSON,
        'The request body is not valid JSON.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', PAYLOAD_TOO_LARGE, 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(
        415,
        'invalid_argument',
        UNSUPPORTED_MEDIA_TYPE,
        'This content type is not accepted here; send application/json.',
      );
    default:
      break;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new HttpError(
      status,
      'invalid_argument',
      BAD_REQUEST,
      'The request could not be understood.',
    );
  }
  return undefined;
}

const SOURCE_PREFIX: Record<string, string> = {
  body: '',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

/** A field issue per ajv error, named by where the field is and said for people. */
export function fieldIssues(
  errors: readonly FastifySchemaValidationError[],
  context: string | undefined,
): FieldIssue[] {
  const prefix = SOURCE_PREFIX[context ?? 'body'] ?? context ?? '';
  return errors.map((issue) => {
    const params = issue.params;
    if (issue.keyword === 'required' && typeof params['missingProperty'] === 'string') {
      return {
        field: `${prefix}${issue.instancePath}/${params['missingProperty']}`,
        message: 'is required',
      };
    }
    if (
      issue.keyword === 'additionalProperties' &&
      typeof params['additionalProperty'] === 'string'
    ) {
      return {
        field: `${prefix}${issue.instancePath}/${params['additionalProperty']}`,
        message: 'is not an accepted field',
      };
    }
    return {
      field: `${prefix}${issue.instancePath}` || '/',
      message: issue.message ?? 'is not valid',
    };
  });
}

function toAppError(error: unknown): AppError | undefined {
  if (isAppError(error)) return error;
  if (!(error instanceof Error)) return undefined;
  // Not our bug but a dependency that did not answer: the caller may retry, so 503, not 500.
  if (isMongoUnavailable(error) || isRedisUnavailable(error)) {
    return new AppError(
      'unavailable',
      DEPENDENCY_UNAVAILABLE,
      'The service cannot reach its data right now. Please try again shortly.',
      { retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS, cause: error },
    );
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) {
    const details = fieldIssues(fastifyError.validation, fastifyError.validationContext);
    const count = details.length === 1 ? 'One field is' : `${details.length} fields are`;
    return new AppError('invalid_argument', VALIDATION_FAILED, `${count} not valid; see details.`, {
      details,
    });
  }
  return fromFastifyError(fastifyError);
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): FastifyReply {
  const appError = toAppError(error);
  const publicError = toPublicError(appError ?? error);
  if (publicError.unexpected) request.log.error({ err: error }, 'request failed unexpectedly');
  else if (appError?.code === DEPENDENCY_UNAVAILABLE)
    request.log.warn({ err: error }, 'request refused: a dependency did not answer');
  else request.log.debug({ code: publicError.body.code }, 'request refused');
  if (appError?.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(appError.retryAfterSeconds));
  }
  return reply
    .code(publicError.httpStatus)
    .type('application/json; charset=utf-8')
    .send(publicError.body);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      // The path is not echoed: it may carry personal data.
      new AppError('not_found', ROUTE_NOT_FOUND, 'Nothing is served at this method and path.'),
    ),
  );
}

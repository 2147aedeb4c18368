export { createHttpServer, type HttpServer, type HttpServerOptions } from './server.js';
export type { AuthMode, IdempotencyMode, RateLimitOptions } from './route-config.js';
export { principalOf } from './auth.js';
export { closeGracefully } from './shutdown.js';
export type { OpenApiInfo } from './docs.js';
export type { ReadinessCheck, CheckOutcome } from './ops.js';
export { CORRELATION_HEADER } from './context.js';
export {
  HttpError,
  VALIDATION_FAILED,
  MALFORMED_JSON,
  PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  ROUTE_NOT_FOUND,
  BAD_REQUEST,
} from './errors.js';
export { FORBIDDEN_KEY } from './forbidden-keys.js';
export { revisionFromIfMatch } from './if-match.js';
export { expectedRevision } from './if-match.js';
export { JSON_TOO_DEEP, MAX_JSON_DEPTH } from './json-depth.js';
export { RATE_LIMITED } from './rate-limit.js';
export {
  IDEMPOTENCY_HEADER,
  REPLAYED_HEADER,
  IDEMPOTENCY_KEY_REQUIRED,
  IDEMPOTENCY_KEY_INVALID,
  IDEMPOTENCY_KEY_IN_USE,
  IDEMPOTENCY_KEY_REUSED,
  IDEMPOTENCY_UNAVAILABLE,
} from './idempotency.js';
export {
  PUBLIC_PORTAL_TAG,
  publicMaxAgeSeconds,
  publicPageKey,
  publicPageSender,
  type CachedPages,
} from './public-pages.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageOf, pageQueryFields, splitPage } from './paging.js';
export { Name, Title, Text, TEXT_KEYWORD, textProblem, type TextKind } from './text.js';
export {
  UUID_PATTERN,
  Uuid,
  isUuid,
  JURISDICTION_CODE_PATTERN,
  JurisdictionCode,
  isJurisdictionCode,
} from './schemas.js';
export { DEPENDENCY_UNAVAILABLE } from './errors.js';

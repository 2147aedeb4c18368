/**
 * The codes the shared libraries give, whichever service a caller talks to,
 * and the ones services share (one code per meaning: "no such jurisdiction"
 * is JURISDICTION_UNKNOWN everywhere). A service's own codes are listed in
 * its README; libs/errors/README.md's table is generated from this one.
 */
import { defineErrorCodes } from './catalogue.js';

export const JURISDICTION_UNKNOWN = 'JURISDICTION_UNKNOWN';

export const platformErrors = defineErrorCodes({
  VALIDATION_FAILED: {
    kind: 'invalid_argument',
    when: 'the body, query or path breaks the schema; `details` name each field',
  },
  MALFORMED_JSON: { kind: 'invalid_argument', when: 'the body is not JSON' },
  JSON_TOO_DEEP: {
    kind: 'invalid_argument',
    when: 'the body nests objects or arrays more than 32 levels deep',
  },
  FORBIDDEN_KEY: {
    kind: 'invalid_argument',
    when: 'a key starting with `$` or holding `.` anywhere in the body or query',
  },
  BAD_REQUEST: { kind: 'invalid_argument', when: 'the request cannot be understood otherwise' },
  CURSOR_INVALID: {
    kind: 'invalid_argument',
    when: 'a page token from another query, or edited',
  },
  CALENDAR_DATE_INVALID: { kind: 'invalid_argument', when: 'a date that is not on the calendar' },
  [JURISDICTION_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a jurisdiction code that is not in the city’s tree',
  },
  IDEMPOTENCY_KEY_REQUIRED: {
    kind: 'invalid_argument',
    when: 'a write that needs an `Idempotency-Key` header was sent without one',
  },
  IDEMPOTENCY_KEY_INVALID: {
    kind: 'invalid_argument',
    when: 'the `Idempotency-Key` is not 1–200 printable ASCII characters',
  },
  TOKEN_MISSING: { kind: 'unauthenticated', when: 'no bearer token' },
  TOKEN_INVALID: {
    kind: 'unauthenticated',
    when: 'a token that is forged, malformed, for another audience, lives too long, or a scoped service token',
  },
  TOKEN_EXPIRED: { kind: 'unauthenticated', when: 'the token has expired' },
  ROLE_REQUIRED: {
    kind: 'permission_denied',
    when: 'the caller has none of the roles the route needs',
  },
  OUT_OF_SCOPE: { kind: 'permission_denied', when: 'a jurisdiction outside the caller’s scope' },
  SCOPE_EMPTY: { kind: 'permission_denied', when: 'an officer whose token grants no jurisdiction' },
  ROUTE_NOT_FOUND: { kind: 'not_found', when: 'nothing is served at this method and path' },
  VERSION_CONFLICT: { kind: 'aborted', when: 'the record changed since the version sent' },
  IDEMPOTENCY_KEY_IN_USE: {
    kind: 'conflict',
    when: 'a request with the same `Idempotency-Key` is still being processed',
  },
  IDEMPOTENCY_KEY_REUSED: {
    kind: 'invalid_argument',
    httpStatus: 422,
    when: 'the `Idempotency-Key` was used before for a different request',
  },
  PAYLOAD_TOO_LARGE: { kind: 'payload_too_large', when: 'the body is larger than the route takes' },
  UNSUPPORTED_MEDIA_TYPE: {
    kind: 'invalid_argument',
    httpStatus: 415,
    when: 'a body that is not `application/json` (or the route’s own type)',
  },
  RATE_LIMITED: {
    kind: 'rate_limited',
    when: 'too many requests from one account or address; `Retry-After` says when to retry',
  },
  INTERNAL: {
    kind: 'internal',
    when: 'an unexpected failure; it is logged, the detail is not sent',
  },
  AUTH_UNAVAILABLE: { kind: 'unavailable', when: 'the token issuer’s keys cannot be fetched' },
  IDEMPOTENCY_UNAVAILABLE: {
    kind: 'unavailable',
    when: 'repeated requests cannot be checked (Redis is down)',
  },
  SERVICE_TOKEN_UNAVAILABLE: {
    kind: 'unavailable',
    when: 'the service cannot obtain its own token for a peer',
  },
  UPSTREAM_UNAVAILABLE: { kind: 'unavailable', when: 'a peer service is down' },
  DEPENDENCY_UNAVAILABLE: {
    kind: 'unavailable',
    when: 'MongoDB or Redis did not answer in time; `Retry-After` says when to retry',
  },
  UPSTREAM_TIMEOUT: { kind: 'deadline_exceeded', when: 'a peer service did not answer in time' },
  UPSTREAM_FAILED: { kind: 'internal', when: 'a peer service failed unexpectedly' },
});

export type PlatformErrorCode = (typeof platformErrors.codes)[number];

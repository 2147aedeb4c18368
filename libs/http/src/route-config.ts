/**
 * What a route may declare in `config`, typed for every fastify route of the
 * process through declaration merging.
 */
import type { Principal, Role } from '@learning/auth';

/**
 * `required`: a valid bearer token or 401. `optional`: a token is checked when
 * sent, and `request.principal` is undefined otherwise. `none`: public.
 */
export type AuthMode = 'required' | 'optional' | 'none';

/** `required`: 400 without an Idempotency-Key. `optional`: honoured when sent. `off`: ignored. */
export type IdempotencyMode = 'required' | 'optional' | 'off';

export interface RateLimitOptions {
  points: number;
  durationSeconds: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Default: `required` when the server has a token verifier, `none` otherwise. */
    auth?: AuthMode;
    /** The principal needs one of these roles (403 otherwise); implies `auth: 'required'`. */
    roles?: readonly Role[];
    /** `false` opts out; an object replaces the server's default limit for this route. */
    rateLimit?: false | RateLimitOptions;
    /** Default: `optional` for POST, `off` for every other method. */
    idempotency?: IdempotencyMode;
  }

  interface FastifyRequest {
    /** Who sent the request, once authenticated; see `principalOf`. */
    principal: Principal | undefined;
  }
}

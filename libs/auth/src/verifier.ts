import { createPublicKey, type KeyObject } from 'node:crypto';
import { AppError } from '@learning/errors';
import { LRUCache } from 'lru-cache';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import {
  AUTH_UNAVAILABLE,
  TOKEN_EXPIRED,
  TOKEN_MISSING,
  invalidToken,
  principalFromClaims,
  type Principal,
} from './principal.js';

/** Asymmetric algorithms only: a shared secret could be guessed or leaked by any verifier. */
export const ALLOWED_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;
export type TokenAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Where the issuer publishes its keys; fetched on first use and cached. */
  jwksUrl?: string;
  /** A key set held in memory (the local issuer's `jwks`). */
  jwks?: JSONWebKeySet;
  /** One SPKI public key (EC P-256, RSA or Ed25519); its type fixes the one accepted algorithm. */
  publicKeyPem?: string;
  /** Seconds of clock difference tolerated on `exp` and `nbf`. Default 5. */
  clockToleranceSeconds?: number;
  /** How long a JWKS fetch may take. Default 5000. */
  jwksTimeoutMs?: number;
  /**
   * The longest `exp - iat` accepted, per kind of token: a leaked token must not
   * outlive a working day (people) or a day (services). Default 12 h and 24 h.
   */
  maxLifetimeSeconds?: Partial<TokenLifetimes>;
  /**
   * How many verified tokens are kept, each until it expires, so a token sent
   * again is not verified again (an ES256 verification costs far more than the
   * rest of a small request). Default 10,000; 0 verifies every time.
   */
  verifiedTokenCacheSize?: number;
}

export interface TokenLifetimes {
  person: number;
  service: number;
}

export const DEFAULT_MAX_LIFETIME_SECONDS: TokenLifetimes = {
  person: 12 * 3_600,
  service: 24 * 3_600,
};

export interface TokenVerifier {
  /** Resolves the principal of a compact JWT, or rejects with an `unauthenticated` AppError. */
  verify(token: string | undefined): Promise<Principal>;
}

/** The key source failed, not the token: the person is not at fault and may retry. */
class KeySourceUnavailable extends Error {
  override readonly name = 'KeySourceUnavailable';
}

const DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { key, algorithms } = keySource(options);
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  const maxLifetime = { ...DEFAULT_MAX_LIFETIME_SECONDS, ...options.maxLifetimeSeconds };
  const cacheSize = options.verifiedTokenCacheSize ?? DEFAULT_VERIFIED_TOKEN_CACHE_SIZE;
  // Only verified tokens, each only until its own expiry: what is served from here would verify now.
  const verified =
    cacheSize > 0 ? new LRUCache<string, Principal>({ max: cacheSize, ttlAutopurge: false }) : null;

  return {
    async verify(token) {
      if (token === undefined || token.length === 0) {
        throw new AppError(
          'unauthenticated',
          TOKEN_MISSING,
          'Please sign in: this request needs an access token.',
        );
      }
      const known = verified?.get(token);
      if (known !== undefined) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...algorithms],
          requiredClaims: ['exp', 'iat', 'sub'],
          clockTolerance,
        }));
      } catch (error) {
        throw verificationError(error);
      }
      const principal = principalFromClaims(payload);
      checkLifetime(payload, principal, maxLifetime, clockTolerance);
      // jose has checked `exp` is a number in the future (within the tolerance).
      const remainingMs = (payload.exp ?? 0) * 1_000 - Date.now();
      if (remainingMs > 0) verified?.set(token, principal, { ttl: remainingMs });
      return principal;
    },
  };
}

/**
 * Refuses a token whose issuer gave it a longer life than its kind may have,
 * or dated it in the future (which would shorten the `exp - iat` it shows).
 */
function checkLifetime(
  payload: JWTPayload,
  principal: Principal,
  maxLifetime: TokenLifetimes,
  clockToleranceSeconds: number,
): void {
  // jose has checked both are numbers (required claims).
  const issuedAt = payload.iat ?? 0;
  const expires = payload.exp ?? 0;
  if (issuedAt > Date.now() / 1_000 + clockToleranceSeconds) {
    throw invalidToken('The access token is dated in the future. Please sign in again.');
  }
  const kind = principal.roles.includes('service') ? 'service' : 'person';
  if (expires - issuedAt > maxLifetime[kind]) {
    throw invalidToken(
      `The access token lives longer than a ${kind} token may (${maxLifetime[kind]} s from issue to expiry). Please sign in again.`,
    );
  }
}

function keySource(options: TokenVerifierOptions): {
  key: JWTVerifyGetKey | KeyObject;
  algorithms: readonly TokenAlgorithm[];
} {
  const { jwksUrl, jwks, publicKeyPem } = options;
  if ([jwksUrl, jwks, publicKeyPem].filter((source) => source !== undefined).length > 1) {
    throw new TypeError('createTokenVerifier takes only one of jwksUrl, jwks or publicKeyPem.');
  }
  if (publicKeyPem !== undefined) {
    const key = createPublicKey(publicKeyPem);
    return { key, algorithms: [algorithmOf(key)] };
  }
  let keySet: JWTVerifyGetKey;
  if (jwksUrl !== undefined) {
    keySet = createRemoteJWKSet(new URL(jwksUrl), {
      timeoutDuration: options.jwksTimeoutMs ?? 5_000,
    });
  } else if (jwks !== undefined) {
    keySet = createLocalJWKSet(jwks);
  } else {
    throw new TypeError('createTokenVerifier needs one of jwksUrl, jwks or publicKeyPem.');
  }
  const key: JWTVerifyGetKey = async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (isTokenFault(error)) throw error;
      throw new KeySourceUnavailable('The signing keys could not be loaded.', { cause: error });
    }
  };
  return { key, algorithms: ALLOWED_ALGORITHMS };
}

function algorithmOf(key: KeyObject): TokenAlgorithm {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048) return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  throw new TypeError('The public key must be EC P-256, RSA of at least 2048 bits, or Ed25519.');
}

/** Key-set errors caused by the token's header (unknown kid, unsupported alg), not by the key source. */
function isTokenFault(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JOSEAlgNotAllowed
  );
}

function verificationError(error: unknown): AppError {
  if (error instanceof KeySourceUnavailable) {
    return new AppError(
      'unavailable',
      AUTH_UNAVAILABLE,
      'Sign-in cannot be checked right now. Please try again shortly.',
      {
        cause: error,
        retryAfterSeconds: 5,
      },
    );
  }
  if (error instanceof errors.JWTExpired) {
    return new AppError(
      'unauthenticated',
      TOKEN_EXPIRED,
      'Your session has expired. Please sign in again.',
      { cause: error },
    );
  }
  // Bad signature, wrong issuer or audience, disallowed algorithm, malformed token: one answer, no hints.
  return invalidToken('The access token is not valid. Please sign in again.', error);
}

import {
  calculateJwkThumbprint,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type JSONWebKeySet,
} from 'jose';
import { claimsFromPrincipal, type PrincipalInput } from './principal.js';

export interface LocalIssuerOptions {
  issuer: string;
  audience: string;
}

export interface SignOptions {
  /** Seconds from now, or a jose time span such as `'15m'`. Default `'15m'`. */
  expiresIn?: number | string;
}

/**
 * Issues tokens for the local stack and tests with a key pair made at start.
 * Production tokens come from the city's identity provider instead.
 */
export interface LocalIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly publicKeyPem: string;
  readonly jwks: JSONWebKeySet;
  sign(principal: PrincipalInput, options?: SignOptions): Promise<string>;
}

const ALGORITHM = 'ES256';

export async function createLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }] };
  const publicKeyPem = await exportSPKI(publicKey);

  return {
    issuer: options.issuer,
    audience: options.audience,
    publicKeyPem,
    jwks,
    async sign(principal, signOptions = {}) {
      const expiresIn = signOptions.expiresIn ?? '15m';
      return (
        new SignJWT(claimsFromPrincipal(principal))
          .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
          .setSubject(principal.subject)
          .setIssuer(options.issuer)
          .setAudience(options.audience)
          .setIssuedAt()
          // A number is an offset from now; jose takes a bare number as an absolute timestamp.
          .setExpirationTime(typeof expiresIn === 'number' ? `${expiresIn}s` : expiresIn)
          .sign(privateKey)
      );
    },
  };
}

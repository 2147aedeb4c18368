/**
 * The local stack's token issuer: one ES256 key pair in infra/local/.run/,
 * made by the stack on its first start and reused after. The stack's OpenID
 * provider (src/oidc-provider.ts) signs with the same key under the same
 * issuer, so the services trust one issuer (decision 0024). The operator CLI
 * (tools/ops) prints a token the stack's services accept, for curl:
 *
 *   pnpm --silent token --role city_admin        (= learning token mint)
 *   pnpm --silent token --role area_officer --jur 330205 --sub officer-1
 *   pnpm --silent learning token mint --help
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { calculateJwkThumbprint, importPKCS8, SignJWT, type JWK } from 'jose';
import { PORTAL_PORT } from './ports.js';
import { writePrivateFile } from './private-file.js';

/** The local OpenID provider's issuer, as people reach it through the portal's origin. */
export const LOCAL_JWT_ISSUER = `http://127.0.0.1:${PORTAL_PORT}/oidc`;
export const LOCAL_JWT_AUDIENCE = 'learning-society';
export const RUN_DIRECTORY = fileURLToPath(new URL('../.run/', import.meta.url));
const PRIVATE_KEY_FILE = `${RUN_DIRECTORY}jwt-private.pem`;
const PUBLIC_KEY_FILE = `${RUN_DIRECTORY}jwt-public.pem`;
const ALGORITHM = 'ES256';
/** The `jur` entry that grants the whole city (libs/auth's CITY_WIDE). */
const CITY_WIDE = '*';

// libs/auth's ROLES; not imported because libs/auth's tests depend on this package.
export const ROLES = [
  'city_admin',
  'department_officer',
  'area_officer',
  'org_admin',
  'participant',
  'expert',
  'service',
] as const;

/** Returns the SPKI PEM of the local signing key, making the pair on first use. */
export function ensureSigningKey(): string {
  if (existsSync(PRIVATE_KEY_FILE) && existsSync(PUBLIC_KEY_FILE)) {
    return readFileSync(PUBLIC_KEY_FILE, 'utf8');
  }
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  mkdirSync(RUN_DIRECTORY, { recursive: true });
  writePrivateFile(PRIVATE_KEY_FILE, privateKey);
  writeFileSync(PUBLIC_KEY_FILE, publicKey);
  return publicKey;
}

/**
 * The private signing key as a JWK for the OpenID provider's key set, with the
 * `kid` every token signed here carries, so a JWKS verifier finds it by id.
 */
export async function signingJwk(): Promise<JWK> {
  ensureSigningKey();
  const jwk = createPrivateKey(readFileSync(PRIVATE_KEY_FILE, 'utf8')).export({
    format: 'jwk',
  }) as JWK;
  return { ...jwk, kid: await keyIdOf(jwk), alg: ALGORITHM, use: 'sig' };
}

/** RFC 7638 thumbprint of the public part: the same id wherever the key is read. */
const keyIdOf = (jwk: JWK): Promise<string> =>
  calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });

export interface LocalTokenClaims {
  readonly subject: string;
  readonly roles: readonly string[];
  /** The whole city, as libs/auth's PrincipalInput says it (service identities have it). */
  readonly cityWide?: boolean;
  readonly jurisdictions?: readonly string[];
  readonly organizations?: readonly string[];
  readonly department?: string;
  readonly service?: string;
  /** A jose time span, e.g. `1h`. */
  readonly expires?: string;
  /**
   * Signed as at this instant, for a service whose clock is elsewhere
   * (the-day-before.ts): issued then and living an hour from then, `expires`
   * aside. Absent: issued now.
   */
  readonly asOf?: Date;
}

/** How long a service token lives: static until a client-credentials flow renews them. */
export const SERVICE_TOKEN_LIFETIME = '365d';

/**
 * The token `service` presents to another service's gRPC server: role
 * `service`, its name in `svc`, the whole city.
 */
export const signServiceToken = (service: string): Promise<string> =>
  signLocalToken({
    subject: `service:${service}`,
    roles: ['service'],
    service,
    cityWide: true,
    expires: SERVICE_TOKEN_LIFETIME,
  });

/** How long a token signed `asOf` another instant lives from that instant. */
const AS_OF_LIFETIME_MS = 3_600_000;

/** A token the local stack's services accept, signed with the stack's key. */
export async function signLocalToken(claims: LocalTokenClaims): Promise<string> {
  if (!existsSync(PRIVATE_KEY_FILE)) {
    throw new Error('no local signing key yet: start the stack first (bash infra/local/up.sh)');
  }
  const pem = readFileSync(PRIVATE_KEY_FILE, 'utf8');
  const privateKey = await importPKCS8(pem, ALGORITHM);
  const kid = await keyIdOf(createPrivateKey(pem).export({ format: 'jwk' }));
  const jurisdictions = [
    ...(claims.jurisdictions ?? []),
    ...(claims.cityWide === true ? [CITY_WIDE] : []),
  ];
  const organizations = claims.organizations ?? [];
  // Exactly the claims libs/auth reads: roles, jur, dept, orgs, svc, plus sub, iss, aud, exp.
  return new SignJWT({
    roles: [...claims.roles],
    ...(jurisdictions.length === 0 ? {} : { jur: [...jurisdictions] }),
    ...(claims.department === undefined ? {} : { dept: claims.department }),
    ...(organizations.length === 0 ? {} : { orgs: [...organizations] }),
    ...(claims.service === undefined ? {} : { svc: claims.service }),
  })
    .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(LOCAL_JWT_ISSUER)
    .setAudience(LOCAL_JWT_AUDIENCE)
    .setIssuedAt(claims.asOf ?? new Date())
    .setExpirationTime(
      claims.asOf === undefined
        ? (claims.expires ?? '1h')
        : new Date(claims.asOf.getTime() + AS_OF_LIFETIME_MS),
    )
    .sign(privateKey);
}

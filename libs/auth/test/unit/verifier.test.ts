import { AppError } from '@learning/errors';
import { rejectionOf } from '@learning/testing';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type JWTPayload,
} from 'jose';
import { assert, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalIssuer,
  createTokenVerifier,
  type LocalIssuer,
  type Principal,
  type TokenVerifier,
} from '../../src/index.js';

const ISSUER = 'https://id.city.test';
const AUDIENCE = 'learning-platform';

/** A key pair of our own, to sign claims the local issuer would never write. */
async function rawSigner(alg: 'ES256' | 'RS256' | 'EdDSA') {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicKeyPem = await exportSPKI(publicKey);
  const sign = (payload: JWTPayload, mutate: (jwt: SignJWT) => SignJWT = (jwt) => jwt) =>
    mutate(
      new SignJWT(payload)
        .setProtectedHeader({ alg })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m'),
    ).sign(privateKey);
  return { publicKeyPem, publicKey, sign };
}

describe('local issuer and verifier', () => {
  let issuer: LocalIssuer;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });
    verifier = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: issuer.jwks });
  });

  it('when an area officer token is signed and verified with the JWKS, then every claim comes back', async () => {
    const token = await issuer.sign({
      subject: 'user-17',
      roles: ['area_officer', 'participant'],
      jurisdictions: ['330102', '330103'],
      organizations: ['org-1'],
    });

    const principal = await verifier.verify(token);

    expect(principal).toEqual<Principal>({
      subject: 'user-17',
      roles: ['area_officer', 'participant'],
      cityWide: false,
      jurisdictions: ['330102', '330103'],
      organizations: ['org-1'],
    });
    expect(Object.isFrozen(principal)).toBe(true);
  });

  it('when the verifier is built from the public key PEM, then the same token verifies', async () => {
    const pemVerifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: issuer.publicKeyPem,
    });
    const token = await issuer.sign({
      subject: 'dept-3',
      roles: ['department_officer'],
      department: 'education',
    });

    const principal = await pemVerifier.verify(token);

    expect(principal.department).toBe('education');
    expect(principal.roles).toEqual(['department_officer']);
  });

  it('when a city admin token is verified, then the principal is city-wide without a jurisdiction list', async () => {
    const principal = await verifier.verify(
      await issuer.sign({ subject: 'admin-1', roles: ['city_admin'] }),
    );

    expect(principal.cityWide).toBe(true);
    expect(principal.jurisdictions).toEqual([]);
  });

  it('when a non-admin is granted the whole city, then cityWide is true and "*" is not listed as a jurisdiction', async () => {
    const token = await issuer.sign({
      subject: 'svc',
      roles: ['service'],
      service: 'scoring',
      cityWide: true,
    });

    const principal = await verifier.verify(token);

    expect(principal).toMatchObject({ cityWide: true, jurisdictions: [], service: 'scoring' });
  });

  it('when no token is given, then TOKEN_MISSING', async () => {
    const error = await rejectionOf(verifier.verify(undefined));
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_MISSING');
    expect(error.httpStatus).toBe(401);
  });

  it('when the token has expired, then TOKEN_EXPIRED with a message for people', async () => {
    const token = await issuer.sign({ subject: 'u', roles: ['participant'] }, { expiresIn: -60 });

    const error = await rejectionOf(verifier.verify(token));
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_EXPIRED');
    expect(error.kind).toBe('unauthenticated');
    expect(error.message).toBe('Your session has expired. Please sign in again.');
  });

  it.each([
    ['issuer', { issuer: 'https://elsewhere.test', audience: AUDIENCE }],
    ['audience', { issuer: ISSUER, audience: 'another-app' }],
  ])('when the %s differs, then TOKEN_INVALID', async (_claim, otherClaims) => {
    const other = await createLocalIssuer(otherClaims);
    const otherVerifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwks: other.jwks,
    });

    const error = await rejectionOf(
      otherVerifier.verify(await other.sign({ subject: 'u', roles: ['participant'] })),
    );
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
  });

  it('when the token is signed by a key the verifier does not trust, then TOKEN_INVALID', async () => {
    const stranger = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });

    const error = await rejectionOf(
      verifier.verify(await stranger.sign({ subject: 'u', roles: ['city_admin'] })),
    );
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
  });

  it('when the payload is tampered with, then TOKEN_INVALID', async () => {
    const token = await issuer.sign({ subject: 'u', roles: ['participant'] });
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        sub: 'u',
        roles: ['city_admin'],
        iss: ISSUER,
        aud: AUDIENCE,
        exp: 4_000_000_000,
      }),
    ).toString('base64url');

    const error = await rejectionOf(
      verifier.verify(`${header ?? ''}.${forged}.${signature ?? ''}`),
    );
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
  });

  it('when an unsecured token (alg none) is presented, then TOKEN_INVALID', async () => {
    const token = new UnsecuredJWT({ roles: ['city_admin'] })
      .setSubject('u')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .encode();

    const error = await rejectionOf(verifier.verify(token));
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
  });

  it('when a token is HMAC-signed with the public key as the secret, then TOKEN_INVALID', async () => {
    const pemVerifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: issuer.publicKeyPem,
    });
    const token = await new SignJWT({ roles: ['city_admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(issuer.publicKeyPem));

    const error = await rejectionOf(pemVerifier.verify(token));
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
  });

  it('when the token is not a JWT at all, then TOKEN_INVALID without echoing it', async () => {
    const error = await rejectionOf(verifier.verify('not-a-token-13812345678'));
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
    expect(error.message).not.toContain('13812345678');
  });
});

describe('claims the platform refuses', () => {
  let signer: Awaited<ReturnType<typeof rawSigner>>;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    signer = await rawSigner('ES256');
    verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: signer.publicKeyPem,
    });
  });

  it.each<[string, JWTPayload]>([
    ['an unknown role', { sub: 'u', roles: ['superuser'] }],
    ['no roles', { sub: 'u', roles: [] }],
    ['roles that are not a list', { sub: 'u', roles: 'city_admin' }],
    ['jurisdictions that are not strings', { sub: 'u', roles: ['area_officer'], jur: [330102] }],
    ['an empty department', { sub: 'u', roles: ['department_officer'], dept: '' }],
    ['a service role without a service name', { sub: 'u', roles: ['service'] }],
    [
      'a service name without the service role',
      { sub: 'u', roles: ['participant'], svc: 'scoring' },
    ],
    ['no subject', { roles: ['participant'] }],
  ])('when the token carries %s, then TOKEN_INVALID', async (_case, payload) => {
    const error = await rejectionOf(verifier.verify(await signer.sign(payload)));
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
    expect(error.kind).toBe('unauthenticated');
  });

  it('when the token has no expiry, then TOKEN_INVALID', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const noExpiry = await new SignJWT({ roles: ['participant'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('u')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(privateKey);
    const pemVerifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: await exportSPKI(publicKey),
    });

    const error = await rejectionOf(pemVerifier.verify(noExpiry));
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
  });

  it('when the token lists a role twice, then the principal lists it once', async () => {
    const principal = await verifier.verify(
      await signer.sign({ sub: 'u', roles: ['expert', 'expert'] }),
    );

    expect(principal.roles).toEqual(['expert']);
  });
});

describe('key types', () => {
  it.each(['RS256', 'EdDSA'] as const)(
    'when the public key PEM is for %s, then tokens signed with it verify',
    async (alg) => {
      const signer = await rawSigner(alg);
      const verifier = createTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        publicKeyPem: signer.publicKeyPem,
      });

      const principal = await verifier.verify(
        await signer.sign({ sub: 'u', roles: ['participant'] }),
      );

      expect(principal.subject).toBe('u');
    },
  );

  it('when an RS256 key is configured but the token says ES256, then TOKEN_INVALID', async () => {
    const rsa = await rawSigner('RS256');
    const ec = await rawSigner('ES256');
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: rsa.publicKeyPem,
    });

    const error = await rejectionOf(
      verifier.verify(await ec.sign({ sub: 'u', roles: ['participant'] })),
    );
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
  });

  it('when the public key is EC P-384, then the verifier is refused at construction', async () => {
    const { publicKey } = await generateKeyPair('ES384', { extractable: true });
    const publicKeyPem = await exportSPKI(publicKey);

    expect(() => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeyPem })).toThrow(
      /P-256/,
    );
  });

  it('when no key source or two are given, then the verifier is refused at construction', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);

    expect(() => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE })).toThrow(
      /needs one of/,
    );
    expect(() =>
      createTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwks: { keys: [jwk] },
        publicKeyPem: 'x',
      }),
    ).toThrow(/only one of/);
  });
});

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

describe('token lifetimes and service scope', () => {
  let signer: Awaited<ReturnType<typeof rawSigner>>;
  let verifier: TokenVerifier;
  const person = { sub: 'u', roles: ['participant'] };
  const service = { sub: 'service:scoring', roles: ['service'], svc: 'scoring', jur: ['*'] };
  const nowSeconds = () => Math.floor(Date.now() / 1_000);

  beforeAll(async () => {
    signer = await rawSigner('ES256');
    verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: signer.publicKeyPem,
      maxLifetimeSeconds: { person: 3_600, service: 7_200 },
    });
  });

  const refusal = async (token: string) => {
    const error = await rejectionOf(verifier.verify(token));
    assert.instanceOf(error, AppError);
    return error;
  };

  it('when a validly signed person token expires in 100 years, then TOKEN_INVALID names the limit', async () => {
    const error = await refusal(await signer.sign(person, (jwt) => jwt.setExpirationTime('100y')));

    expect(error.code).toBe('TOKEN_INVALID');
    expect(error.message).toContain('person token');
    expect(error.message).toContain('3600 s');
  });

  it('when a token lives exactly the longest its kind may, then it is accepted', async () => {
    const issuedAt = nowSeconds();
    const token = await signer.sign(person, (jwt) =>
      jwt.setIssuedAt(issuedAt).setExpirationTime(issuedAt + 3_600),
    );

    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'u' });
  });

  it('when a service token lives longer than a person may but within the service limit, then it is accepted', async () => {
    const token = await signer.sign(service, (jwt) => jwt.setExpirationTime('2h'));

    await expect(verifier.verify(token)).resolves.toMatchObject({ service: 'scoring' });
  });

  it('when a service token lives longer than a service may, then TOKEN_INVALID', async () => {
    const error = await refusal(await signer.sign(service, (jwt) => jwt.setExpirationTime('3h')));

    expect(error.message).toContain('service token');
  });

  it('when the token has no iat, then TOKEN_INVALID', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const noIssuedAt = await new SignJWT({ roles: ['participant'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('u')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    const pemVerifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: await exportSPKI(publicKey),
    });

    const error = await rejectionOf(pemVerifier.verify(noIssuedAt));
    assert.instanceOf(error, AppError);

    expect(error.code).toBe('TOKEN_INVALID');
  });

  it('when iat is dated in the future to shorten the life it shows, then TOKEN_INVALID', async () => {
    const issuedAt = nowSeconds() + 50 * 365 * 86_400;
    const error = await refusal(
      await signer.sign(person, (jwt) =>
        jwt.setIssuedAt(issuedAt).setExpirationTime(issuedAt + 600),
      ),
    );

    expect(error.message).toContain('future');
  });

  it('when no limits are configured, then a person token of 13 hours is refused and one of 12 accepted', async () => {
    const defaults = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      publicKeyPem: signer.publicKeyPem,
    });

    await expect(
      defaults.verify(await signer.sign(person, (jwt) => jwt.setExpirationTime('12h'))),
    ).resolves.toMatchObject({ subject: 'u' });
    await expect(
      defaults.verify(await signer.sign(person, (jwt) => jwt.setExpirationTime('13h'))),
    ).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it.each<[string, JWTPayload]>([
    ['one township', { ...service, jur: ['330281001'] }],
    ['a township beside the whole city', { ...service, jur: ['*', '330281001'] }],
    ['a department', { ...service, dept: 'wenming-ban' }],
    ['organizations', { ...service, orgs: ['org-1'] }],
  ])(
    'when a service token is scoped to %s, then TOKEN_INVALID says services act city-wide',
    async (_scope, payload) => {
      const error = await refusal(await signer.sign(payload));

      expect(error.code).toBe('TOKEN_INVALID');
      expect(error.message).toContain('Service tokens act for the whole city');
    },
  );

  it('when a service token is city-wide, then it is accepted', async () => {
    await expect(verifier.verify(await signer.sign(service))).resolves.toMatchObject({
      cityWide: true,
      service: 'scoring',
    });
  });
});

describe('verified tokens kept until they expire', () => {
  let issuer: LocalIssuer;

  beforeAll(async () => {
    issuer = await createLocalIssuer({ issuer: ISSUER, audience: AUDIENCE });
  });

  const verifierWith = (options: {
    verifiedTokenCacheSize?: number;
    clockToleranceSeconds?: number;
  }) => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: issuer.jwks, ...options });

  it('when a token is presented again, then the principal verified the first time answers (no second verification)', async () => {
    const verifier = verifierWith({});
    const token = await issuer.sign({ subject: 'reader', roles: ['participant'] });

    const first = await verifier.verify(token);

    expect(await verifier.verify(token)).toBe(first);
  });

  it('when the cache is turned off, then every presentation is verified anew', async () => {
    const verifier = verifierWith({ verifiedTokenCacheSize: 0 });
    const token = await issuer.sign({ subject: 'reader', roles: ['participant'] });

    const first = await verifier.verify(token);
    const second = await verifier.verify(token);

    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  it('when a kept token reaches its expiry, then it is refused as expired, not served from the cache', async () => {
    const verifier = verifierWith({ clockToleranceSeconds: 0 });
    const token = await issuer.sign(
      { subject: 'reader', roles: ['participant'] },
      { expiresIn: 1 },
    );
    await verifier.verify(token);

    await new Promise((resolve) => setTimeout(resolve, 1_100));

    const error = await rejectionOf(verifier.verify(token));
    assert.instanceOf(error, AppError);
    expect(error.code).toBe('TOKEN_EXPIRED');
  });

  it('when more tokens arrive than the cache holds, then the least recently used is verified again', async () => {
    const verifier = verifierWith({ verifiedTokenCacheSize: 1 });
    const [a, b] = await Promise.all([
      issuer.sign({ subject: 'a', roles: ['participant'] }),
      issuer.sign({ subject: 'b', roles: ['participant'] }),
    ]);
    const first = await verifier.verify(a);
    await verifier.verify(b);

    const again = await verifier.verify(a);

    expect(again).toEqual(first);
    expect(again).not.toBe(first);
  });

  it('when a token is refused, then it is not kept: presenting it again is refused again', async () => {
    const verifier = verifierWith({});
    const expired = await issuer.sign({ subject: 'u', roles: ['participant'] }, { expiresIn: -60 });

    for (const attempt of [1, 2]) {
      const error = await rejectionOf(verifier.verify(expired));
      assert.instanceOf(error, AppError, `attempt ${String(attempt)}`);
      expect(error.code).toBe('TOKEN_EXPIRED');
    }
  });
});

import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createRootLogger } from '@learning/logger';
import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  DemoAccountDirectory,
  demoAccounts,
  platformClaims,
} from '../../src/demo-accounts.js';
import { LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER, signingJwk } from '../../src/dev-token.js';
import { roleTokens } from '../../src/role-tokens.js';
import { startOidcProvider, type OidcProvider } from '../../src/oidc-provider.js';
import { beginSignIn, CookieBrowser, isSignedIn, signIn } from '../support/oidc-client.js';

const AUDIENCE = 'learning-society';
const PORTAL = 'http://127.0.0.1:8100';
const DEV_SERVER = 'http://127.0.0.1:5173';
const SUBJECTS = {
  participant: 'demo-reader-01',
  otherParticipants: ['demo-reader-02'],
  expert: 'demo-expert-01',
  areaJurisdiction: { code: '330999101000', name: '河姆渡镇' },
  department: { code: 'wenming-ban', name: '文明办' },
};

async function signingKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'ES256', use: 'sig' };
}

describe('the local OpenID provider', () => {
  const logLines: string[] = [];
  const logger = createRootLogger({
    service: 'oidc-provider',
    version: 'test',
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString());
        callback();
      },
    }),
  });
  const accounts = new DemoAccountDirectory(demoAccounts(SUBJECTS));
  let provider: OidcProvider;

  beforeAll(async () => {
    provider = await startOidcProvider({
      port: 0,
      audience: AUDIENCE,
      signingKey: await signingKey(),
      accounts,
      portalOrigins: [PORTAL, DEV_SERVER],
      logger,
    });
  });
  afterAll(async () => {
    await provider.stop();
  });

  const options = () => ({ issuer: provider.issuer, portalOrigin: PORTAL });

  it('publishes its configuration under its issuer: code flow with S256 only, ES256 keys', async () => {
    const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: provider.issuer,
      authorization_endpoint: `${provider.issuer}/auth`,
      jwks_uri: `${provider.issuer}/jwks`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
    const jwks = (await (await fetch(provider.jwksUrl)).json()) as { keys: JWK[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('when an area officer signs in with PKCE, then the access token is an ES256 JWT for the services with exactly their scope', async () => {
    const signedIn = await signIn({
      ...options(),
      username: 'area-officer',
      password: DEMO_PASSWORD,
    });

    const { payload, protectedHeader } = await jwtVerify(
      signedIn.accessToken,
      createRemoteJWKSet(new URL(provider.jwksUrl)),
      { issuer: provider.issuer, audience: AUDIENCE, algorithms: ['ES256'] },
    );
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({
      sub: 'local-area-officer',
      roles: ['area_officer'],
      jur: ['330999101000'],
      client_id: 'learning-portal',
    });
    expect(payload).not.toHaveProperty('dept');
    expect(payload).not.toHaveProperty('orgs');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3_600);
    // The portal shows who is signed in and what they may do from the ID token.
    expect(signedIn.idTokenClaims).toMatchObject({
      iss: provider.issuer,
      aud: 'learning-portal',
      sub: 'local-area-officer',
      name: '河姆渡镇工作人员',
      roles: ['area_officer'],
      jur: ['330999101000'],
    });
  });

  it('when the city admin signs in, then the token grants the whole city as libs/auth writes it', async () => {
    const { accessToken } = await signIn({
      ...options(),
      username: 'city-admin',
      password: DEMO_PASSWORD,
    });
    const { payload } = await jwtVerify(
      accessToken,
      createRemoteJWKSet(new URL(provider.jwksUrl)),
      { issuer: provider.issuer, audience: AUDIENCE },
    );
    expect(payload).toMatchObject({ sub: 'local-city-admin', roles: ['city_admin'], jur: ['*'] });
    expect(decodeProtectedHeader(accessToken).kid).toBeDefined();
  });

  it('when an account is added after the start (the demo city loaded its organization), then it signs in', async () => {
    const withOrganization = demoAccounts({
      ...SUBJECTS,
      organization: { id: 'org-42', name: '河姆渡镇读书会' },
    });
    const orgAdmin = withOrganization.find((account) => account.username === 'org-admin');
    if (orgAdmin === undefined) throw new Error('no org-admin account');
    accounts.add(orgAdmin);

    const { accessToken } = await signIn({
      ...options(),
      username: 'org-admin',
      password: DEMO_PASSWORD,
    });
    const { payload } = await jwtVerify(
      accessToken,
      createRemoteJWKSet(new URL(provider.jwksUrl)),
      { issuer: provider.issuer, audience: AUDIENCE },
    );
    expect(payload).toMatchObject({
      sub: 'local-org-admin',
      roles: ['org_admin'],
      orgs: ['org-42'],
    });
  });

  it('when the password is wrong or the user unknown, then the page says so in Chinese with 401, logs neither, and a right try still signs in', async () => {
    const attempt = await beginSignIn(options());
    expect(attempt.page.status).toBe(200);
    expect(attempt.page.html).toContain('<html lang="zh-CN">');
    expect(attempt.page.html).toContain('<label for="username">用户名');
    expect(attempt.page.html).toContain('<label for="password">密码');

    const wrongPassword = await attempt.submit('demo-reader-01', 'guessed-Secret-1');
    const unknownUser = await attempt.submit('13645871203', DEMO_PASSWORD);
    const empty = await attempt.submit('', '');
    const hostile = await attempt.submit('<script>alert(1)</script>', 'x');

    for (const refused of [wrongPassword, unknownUser, hostile]) {
      if (isSignedIn(refused)) throw new Error('signed in with a wrong password');
      expect(refused.status).toBe(401);
      expect(refused.html).toContain('用户名或密码不正确');
      expect(refused.html).toContain('role="alert"');
    }
    if (isSignedIn(empty) || isSignedIn(hostile)) throw new Error('signed in without a password');
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('请输入用户名和密码');
    expect(hostile.html).not.toContain('<script>alert(1)</script>');
    expect(hostile.html).toContain('&lt;script&gt;');

    const signedIn = await attempt.submit('demo-reader-01', DEMO_PASSWORD);
    expect(isSignedIn(signedIn) && signedIn.idTokenClaims.sub).toBe('demo-reader-01');

    const logs = logLines.join('');
    expect(logs).toContain('"outcome":"refused"');
    for (const secret of ['guessed-Secret-1', '13645871203', DEMO_PASSWORD])
      expect(logs).not.toContain(secret);
  });

  it('when the authorization request has no PKCE challenge, then it is refused back to the portal without a sign-in page', async () => {
    const attempt = await beginSignIn({
      ...options(),
      parameters: { code_challenge: null, code_challenge_method: null },
    });
    const callback = new URL(attempt.page.url);
    expect(callback.pathname).toBe('/auth/callback');
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it("when the portal's page on another of its origins (a dev server) exchanges a code, then the token endpoint lets it read the answer, and no other page", async () => {
    const exchange = (origin: string) =>
      fetch(`${provider.issuer}/token`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: 'learning-portal',
          code: 'not-a-code',
          redirect_uri: `${DEV_SERVER}/auth/callback`,
          code_verifier: 'x'.repeat(43),
        }).toString(),
      });
    const fromDevServer = await exchange(DEV_SERVER);
    expect(fromDevServer.status).toBe(400);
    expect(fromDevServer.headers.get('access-control-allow-origin')).toBe(DEV_SERVER);
    const fromElsewhere = await exchange('http://evil.example');
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when the redirect URI is not the portal, then an error page is shown instead of a redirect', async () => {
    const attempt = await beginSignIn({
      issuer: provider.issuer,
      portalOrigin: 'http://evil.example',
    });
    expect(attempt.page.status).toBe(400);
    expect(attempt.page.html).toContain('无法完成登录');
    expect(attempt.page.html).toContain('redirect_uri');
  });

  it('when the sign-in page is opened in another browser, then it answers that it expired', async () => {
    const attempt = await beginSignIn(options());
    const stranger = await new CookieBrowser().request(attempt.page.url);
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain('无法完成登录');
  });

  it('when a person signs out from the portal, then the provider asks, ends the session and returns to the portal', async () => {
    const attempt = await beginSignIn(options());
    const signedIn = await attempt.submit('demo-reader-02', DEMO_PASSWORD);
    if (!isSignedIn(signedIn)) throw new Error(`not signed in: ${signedIn.html}`);
    // While the session lasts, the portal's next authorization needs no password.
    const silent = await beginSignIn({ ...options(), browser: attempt.browser });
    expect(silent.page.url).toMatch(/^http:\/\/127\.0\.0\.1:8100\/auth\/callback\?code=/);
    const endSession = new URL(`${provider.issuer}/session/end`);
    endSession.searchParams.set('id_token_hint', signedIn.idToken);
    endSession.searchParams.set('post_logout_redirect_uri', `${PORTAL}/`);
    const asked = await attempt.browser.navigate(endSession.href);
    const html = await asked.response.text();
    expect(asked.response.status).toBe(200);
    expect(html).toContain('确定要退出');

    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    if (form?.[1] === undefined || xsrf === undefined) throw new Error(`no sign-out form: ${html}`);
    const done = await attempt.browser.navigate(
      new URL(form[1], asked.url).href,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
      },
      `${PORTAL}/`,
    );
    expect(done.url).toBe(`${PORTAL}/`);

    // Signed out: the next authorization asks for the password again.
    const afterwards = await beginSignIn({ ...options(), browser: attempt.browser });
    expect(afterwards.page.status).toBe(200);
    expect(afterwards.page.html).toContain('<label for="password">');
  });
});

describe("the local stack's one issuer", () => {
  it('when the provider signs with the stack key under the stack issuer, then the banner tokens the stack mints verify against its key set, reached with or without the gateway', async () => {
    const provider = await startOidcProvider({
      port: 0,
      issuer: LOCAL_JWT_ISSUER,
      audience: LOCAL_JWT_AUDIENCE,
      signingKey: await signingJwk(),
      accounts: new DemoAccountDirectory(demoAccounts(SUBJECTS)),
      portalOrigins: [PORTAL],
      logger: createRootLogger({ service: 'oidc-provider', version: 'test', level: 'silent' }),
    });
    try {
      const keys = createRemoteJWKSet(new URL(provider.jwksUrl));
      const tokens = await roleTokens(SUBJECTS);
      expect(tokens.map((token) => token.variable)).toContain('AREA_OFFICER_TOKEN');
      for (const { token } of tokens) {
        const { payload } = await jwtVerify(token, keys, {
          issuer: LOCAL_JWT_ISSUER,
          audience: LOCAL_JWT_AUDIENCE,
        });
        const account = demoAccounts(SUBJECTS).find(
          (candidate) => candidate.claims.subject === payload.sub,
        );
        if (account === undefined)
          throw new Error(`a token for no account: ${String(payload.sub)}`);
        expect(payload).toMatchObject(platformClaims(account.claims));
      }

      // The gateway may forward /oidc/… as it is or without the prefix: the same document, the gateway's URLs.
      for (const path of [
        '/oidc/.well-known/openid-configuration',
        '/.well-known/openid-configuration',
      ]) {
        const discovery = (await (await fetch(`${provider.url}${path}`)).json()) as Record<
          string,
          unknown
        >;
        expect(discovery).toMatchObject({
          issuer: 'http://127.0.0.1:8100/oidc',
          authorization_endpoint: 'http://127.0.0.1:8100/oidc/auth',
          token_endpoint: 'http://127.0.0.1:8100/oidc/token',
          end_session_endpoint: 'http://127.0.0.1:8100/oidc/session/end',
        });
      }
    } finally {
      await provider.stop();
    }
  });
});

describe('the provider behind a gateway that forwards /oidc/ without the prefix', () => {
  let gateway: Server;
  let provider: OidcProvider;

  beforeAll(async () => {
    let upstream = '';
    // What @fastify/http-proxy does by default: /oidc/x reaches the upstream as /x, Host rewritten.
    gateway = createServer((request, response) => {
      const target = new URL((request.url ?? '/').replace(/^\/oidc/, '') || '/', upstream);
      const proxied = forward(
        target,
        { method: request.method, headers: { ...request.headers, host: target.host } },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      request.pipe(proxied);
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/oidc`;
    provider = await startOidcProvider({
      port: 0,
      issuer,
      audience: AUDIENCE,
      signingKey: await signingKey(),
      accounts: new DemoAccountDirectory(demoAccounts(SUBJECTS)),
      portalOrigins: [PORTAL],
      logger: createRootLogger({ service: 'oidc-provider', version: 'test', level: 'silent' }),
    });
    upstream = provider.url;
  });
  afterAll(async () => {
    await provider.stop();
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
  });

  it('when a person signs in through the gateway, then every step stays at the gateway and the token is for the services', async () => {
    const signedIn = await signIn({
      issuer: provider.issuer,
      portalOrigin: PORTAL,
      username: 'demo-expert-01',
      password: DEMO_PASSWORD,
    });
    const { payload } = await jwtVerify(
      signedIn.accessToken,
      createRemoteJWKSet(new URL(`${provider.issuer}/jwks`)),
      { issuer: provider.issuer, audience: AUDIENCE },
    );
    expect(payload).toMatchObject({ sub: 'demo-expert-01', roles: ['expert'] });
  });
});

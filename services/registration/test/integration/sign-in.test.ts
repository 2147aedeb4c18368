/**
 * People signed in at the local OpenID provider (infra/local) reach the
 * service as the portal sends them: authorization code with PKCE, then the
 * access token as bearer. The service verifies it as in production, from its
 * config (JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS_URL at the provider), and
 * refuses one for another audience or issuer, or signed with another key.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD, DemoAccountDirectory, demoAccounts } from '@learning/local-infra';
import { startOidcProvider, type OidcProvider } from '@learning/local-infra/oidc-provider';
import { signIn } from '@learning/local-infra/testing/oidc';
import { buildServiceApp, type App } from '@learning/runtime';
import { send, testIssuer } from '@learning/runtime/testing';
import { topicsToProvision } from '@learning/events';
import {
  captureLogger,
  describeWithServers,
  ensureTopics,
  jurisdictionTree,
} from '@learning/testing';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registrationService } from '../../src/app.js';
import { loadRegistrationConfig } from '../../src/config.js';
import { importBodyOf, testEnvironment } from '../support/app.js';
import { idNumberOf } from '../support/people.js';

const AUDIENCE = 'learning-society';
const PORTAL = 'http://127.0.0.1:8100';
const tree = jurisdictionTree({ cityPrefix: '330999', townships: 1, villagesPerTownship: 1 });
const TOWNSHIP = '330999001000';
const VILLAGE = '330999001001';

interface SigningKey {
  readonly jwk: JWK;
  readonly privateKey: CryptoKey;
}

async function signingKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { jwk: { ...jwk, kid, alg: 'ES256', use: 'sig' }, privateKey };
}

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'registration behind the OpenID provider',
  (servers) => {
    // Rate-limit counters outlive a run in the shared Redis: the person's account is new each run.
    const reader = `oidc-reader-${randomUUID().slice(0, 8)}`;
    const providerLogs = captureLogger('oidc-provider');
    const serviceLogs = captureLogger('registration');
    let key: SigningKey;
    let provider: OidcProvider;
    let app: App;
    let base: string;

    beforeAll(async () => {
      await ensureTopics(servers.kafka, topicsToProvision());
      key = await signingKey();
      provider = await startOidcProvider({
        port: 0,
        audience: AUDIENCE,
        signingKey: key.jwk,
        accounts: new DemoAccountDirectory(
          demoAccounts({
            participant: reader,
            expert: 'demo-expert-01',
            areaJurisdiction: { code: TOWNSHIP, name: '第1街道' },
            department: { code: 'wenming-ban', name: '文明办' },
          }),
        ),
        portalOrigins: [PORTAL],
        logger: providerLogs.logger,
      });
      // The harness's environment, trusting the provider instead of the test issuer.
      const environment = Object.fromEntries(
        Object.entries(testEnvironment(servers, await testIssuer())).filter(
          ([name]) => name !== 'JWT_PUBLIC_KEY',
        ),
      );
      const config = loadRegistrationConfig({
        ...environment,
        JWT_ISSUER: provider.issuer,
        JWT_AUDIENCE: AUDIENCE,
        JWT_JWKS_URL: provider.jwksUrl,
      });
      app = buildServiceApp(registrationService, config, { logger: serviceLogs.logger });
      base = `http://127.0.0.1:${(await app.start()).httpPort}`;
    });
    afterAll(async () => {
      await app.stop();
      await provider.stop();
    });

    const signedIn = async (username: string): Promise<string> =>
      (
        await signIn({
          issuer: provider.issuer,
          portalOrigin: PORTAL,
          username,
          password: DEMO_PASSWORD,
        })
      ).accessToken;

    it('when the city admin and a person sign in at the provider, then the service takes their tokens: the tree is imported, the person registers and reads their own record', async () => {
      const admin = await signedIn('city-admin');
      const imported = await send(
        base,
        'POST',
        '/v1/jurisdictions:import',
        admin,
        importBodyOf(tree),
      );
      expect(imported.status).toBe(200);

      const person = await signedIn(reader);
      const registered = await send(base, 'POST', '/v1/participants', person, {
        name: '周敏',
        tier: 'ordinary_citizen',
        homeJurisdiction: VILLAGE,
        idNumber: idNumberOf('19880614', '302', '330999'),
        language: 'zh-CN',
        consent: { notifications: true },
      });
      expect(registered.status).toBe(201);

      const own = await send(base, 'GET', '/v1/me/participant', person);
      expect(own.status).toBe(200);
      expect(await own.json()).toMatchObject({
        name: '周敏',
        jurisdictionPath: [tree[0]?.code, TOWNSHIP, VILLAGE],
        source: 'self',
      });
    });

    it("when the area officer signs in, then the service lists their area's people to them, and not to the person", async () => {
      const officer = await signedIn('area-officer');
      const inArea = await send(base, 'GET', `/v1/participants?jurisdiction=${TOWNSHIP}`, officer);
      expect(inArea.status).toBe(200);
      const { items } = (await inArea.json()) as { items: { jurisdictionPath: string[] }[] };
      expect(items.map((item) => item.jurisdictionPath.at(-1))).toContain(VILLAGE);

      const person = await signedIn(reader);
      const refused = await send(base, 'GET', `/v1/participants?jurisdiction=${TOWNSHIP}`, person);
      expect(refused.status).toBe(403);
    });

    it('when a token is for another audience, from another issuer or signed with another key, then 401 and nothing is done', async () => {
      const claims = { roles: ['city_admin'], jur: ['*'] };
      const token = (
        privateKey: CryptoKey,
        kid: string | undefined,
        issuer: string,
        audience: string,
      ): Promise<string> =>
        new SignJWT(claims)
          .setProtectedHeader({
            alg: 'ES256',
            typ: 'at+jwt',
            ...(kid === undefined ? {} : { kid }),
          })
          .setSubject('local-city-admin')
          .setIssuer(issuer)
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(privateKey);
      const stranger = await signingKey();
      const refused = [
        await token(key.privateKey, key.jwk.kid, provider.issuer, 'another-platform'),
        await token(key.privateKey, key.jwk.kid, 'http://127.0.0.1:9999/oidc', AUDIENCE),
        await token(stranger.privateKey, key.jwk.kid, provider.issuer, AUDIENCE),
        await token(stranger.privateKey, stranger.jwk.kid, provider.issuer, AUDIENCE),
      ];
      for (const bearer of refused) {
        const response = await send(
          base,
          'POST',
          '/v1/jurisdictions:import',
          bearer,
          importBodyOf(tree),
        );
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ code: 'TOKEN_INVALID' });
      }
      // The same claims, rightly signed, are taken: what was refused was the token, not the request.
      const right = await token(key.privateKey, key.jwk.kid, provider.issuer, AUDIENCE);
      expect((await send(base, 'GET', '/v1/participants', right)).status).toBe(200);
    });

    it('keeps the typed password and the people out of both logs', () => {
      const logs = providerLogs.text() + serviceLogs.text();
      expect(providerLogs.text()).toContain('"outcome":"signed_in"');
      expect(logs).not.toContain(DEMO_PASSWORD);
      expect(logs).not.toContain('周敏');
    });
  },
);

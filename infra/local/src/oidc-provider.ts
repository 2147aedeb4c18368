/**
 * The local stack's OpenID provider (node-oidc-provider): the portal's and
 * console's sign-in in the local stack and the tests, standing in for the
 * city's identity provider. Authorization code with PKCE for the public
 * client `learning-portal`; the access token is a JWT for the platform's APIs
 * (resource indicator, audience JWT_AUDIENCE, ES256) carrying the claims
 * libs/auth reads, signed with the key the stack's own tokens are signed
 * with, so the services trust one issuer (decision 0024). The people are the
 * demo accounts (demo-accounts.ts), who sign in on a server-rendered page.
 *
 * Served under the issuer's path (`/oidc`), with every URL it writes made
 * from the issuer, so it answers the same reached directly or through the
 * gateway, whether that forwards `/oidc/…` as it is or without the prefix.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import type { Logger } from '@learning/logger';
import type { JWK } from 'jose';
import type { Middleware } from 'koa';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { platformClaims, type DemoAccountDirectory } from './demo-accounts.js';
import { errorPage, loggedOutPage, loginPage, logoutPage } from './oidc-pages.js';

/** The portal's and console's client: a single-page application, so public, with PKCE. */
export const PORTAL_CLIENT_ID = 'learning-portal';
/** Where the portal takes the authorization response, under each of its origins. */
export const PORTAL_CALLBACK_PATH = '/auth/callback';
/** The resource server scope the platform's APIs are granted under. */
export const API_SCOPE = 'api';
/** The ID token's (and userinfo's) platform claims, requested with this scope. */
export const ROLES_SCOPE = 'roles';

export interface OidcProviderOptions {
  /** The listening port on 127.0.0.1; 0 for any free one. */
  readonly port: number;
  /**
   * The issuer identifier, e.g. `http://127.0.0.1:8100/oidc` behind the gateway;
   * by default `/oidc` at its own address (tests that reach it directly).
   */
  readonly issuer?: string;
  /** The `aud` of its access tokens: the services' JWT_AUDIENCE. */
  readonly audience: string;
  /**
   * The resource indicator of the platform's APIs (RFC 8707), the default
   * resource of every authorization; by default `<issuer origin>/api`.
   */
  readonly resource?: string;
  /** The private ES256 JWK it signs with (dev-token.ts's `signingJwk`). */
  readonly signingKey: JWK;
  readonly accounts: DemoAccountDirectory;
  /** The portal's origins (the gateway's, a dev server's): its callback and sign-out return there. */
  readonly portalOrigins: readonly string[];
  readonly logger: Logger;
  /** How long an access token lives. Default 1 h. */
  readonly accessTokenSeconds?: number;
  /** A hint under the sign-in form (the demo password). */
  readonly demoHint?: string;
}

export interface OidcProvider {
  readonly issuer: string;
  /** Where it listens: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its key set at its own address, which the services fetch (JWT_JWKS_URL). */
  readonly jwksUrl: string;
  readonly resource: string;
  stop(): Promise<void>;
}

const HOUR_SECONDS = 3_600;

export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcProvider> {
  const { logger } = options;
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server = createServer((request, response) => {
    handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = options.issuer ?? `${url}/oidc`;
  const issuerUrl = new URL(issuer);
  const mountPath = issuerUrl.pathname.replace(/\/$/, '');
  const resource = options.resource ?? `${issuerUrl.origin}/api`;

  const provider = new Provider(issuer, configuration({ ...options, mountPath, resource }));
  // The host and scheme of every URL it writes come from these headers, set below from the issuer.
  provider.proxy = true;
  provider.use(interactions(provider, options, mountPath));
  logOutcomes(provider, logger);

  const callback = provider.callback();
  handle = (request, response) => {
    const path = request.url ?? '/';
    const inner =
      path === mountPath || path.startsWith(`${mountPath}/`) || path.startsWith(`${mountPath}?`)
        ? path.slice(mountPath.length) || '/'
        : path;
    // As when mounted in express: the provider reads its mount path from originalUrl.
    Object.assign(request, { originalUrl: `${mountPath}${inner}` });
    request.url = inner;
    request.headers['x-forwarded-host'] = issuerUrl.host;
    request.headers['x-forwarded-proto'] = issuerUrl.protocol.slice(0, -1);
    void callback(request, response);
  };

  return {
    issuer,
    url,
    jwksUrl: `${url}${mountPath}/jwks`,
    resource,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
}

function configuration(
  options: OidcProviderOptions & { mountPath: string; resource: string },
): Configuration {
  const { accounts, audience, resource, mountPath } = options;
  const origins = [...new Set(options.portalOrigins)];
  return {
    clients: [
      {
        client_id: PORTAL_CLIENT_ID,
        client_name: '学习网',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: origins.map((origin) => `${origin}${PORTAL_CALLBACK_PATH}`),
        post_logout_redirect_uris: origins.map((origin) => `${origin}/`),
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [options.signingKey] },
    // New at every start, like the sessions the provider keeps in memory.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The token endpoint answers the portal's own origins, e.g. Vite's dev server, whose page
    // reaches the provider at the gateway's origin; no other page may read its answers.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientId === PORTAL_CLIENT_ID && origins.includes(origin),
    // Authorization code only: no token reaches the browser in a URL.
    responseTypes: ['code'],
    pkce: { required: () => true },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    claims: {
      openid: ['sub'],
      profile: ['name'],
      [ROLES_SCOPE]: ['roles', 'jur', 'dept', 'orgs'],
    },
    // The portal reads the person's name and roles from the ID token: the access token is the APIs'.
    conformIdTokenClaims: false,
    async findAccount(_ctx, subject) {
      const account = accounts.bySubject(subject);
      if (account === undefined) return undefined;
      return {
        accountId: subject,
        claims: () => ({
          sub: subject,
          name: account.displayName,
          ...platformClaims(account.claims),
        }),
      };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken') return undefined;
      const account = accounts.bySubject(token.accountId);
      return account === undefined ? undefined : platformClaims(account.claims);
    },
    // The platform's own client: what it asks for is granted, without a consent screen.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const clientId = oidc.client?.clientId;
      const accountId = oidc.session?.accountId;
      if (clientId === undefined || accountId === undefined) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const existing = grantId === undefined ? undefined : await oidc.provider.Grant.find(grantId);
      if (existing !== undefined) return existing;
      const grant = new oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {}))
        grant.addResourceScope(indicator, server.scope);
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: API_SCOPE,
            audience,
            accessTokenTTL: options.accessTokenSeconds ?? HOUR_SECONDS,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = logoutPage(form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
    },
    interactions: {
      url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}`,
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
    ttl: {
      AccessToken: options.accessTokenSeconds ?? HOUR_SECONDS,
      AuthorizationCode: 60,
      IdToken: HOUR_SECONDS,
      Interaction: HOUR_SECONDS,
      // A working day, the longest a person's token may live at the services.
      Session: 12 * HOUR_SECONDS,
      Grant: 12 * HOUR_SECONDS,
    },
  };
}

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;

/** The wrong password or an unknown user: one answer, so nobody learns which accounts exist. */
const REFUSED = {
  zh: '用户名或密码不正确，请重新输入。',
  en: 'The username or password is not right. Please try again.',
};
const MISSING = {
  zh: '请输入用户名和密码。',
  en: 'Please enter your username and password.',
};

/** The sign-in page (GET) and its form (POST) of an interaction the provider started. */
function interactions(
  provider: Provider,
  options: OidcProviderOptions,
  mountPath: string,
): Middleware {
  const { accounts, logger } = options;
  const form = bodyParser({ enableTypes: ['form'], formLimit: '8kb' });
  return async (ctx, next) => {
    const match = INTERACTION.exec(ctx.path);
    if (match === null) {
      await next();
      return;
    }
    const [, uid, login] = match;
    const action = `${mountPath}/interaction/${uid ?? ''}/login`;
    ctx.set('cache-control', 'no-store');
    let details;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (error) {
      // An expired or foreign interaction (no cookie, another browser): start again at the portal.
      if (!(error instanceof errors.SessionNotFound)) throw error;
      logger.info({ event: 'sign-in', outcome: 'interaction_not_found' }, 'sign-in page expired');
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = errorPage('session_not_found', 'The sign-in page has expired.');
      return;
    }
    const clientName =
      (await provider.Client.find(String(details.params['client_id'])))?.clientName ?? '学习网';
    const render = (
      status: number,
      problem?: { zh: string; en: string },
      username?: string,
    ): void => {
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = loginPage({
        action,
        clientName,
        ...(problem === undefined ? {} : { problem }),
        ...(username === undefined ? {} : { username }),
        ...(options.demoHint === undefined ? {} : { demoHint: options.demoHint }),
      });
    };
    if (details.prompt.name !== 'login') {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = errorPage('interaction_required', `Unexpected prompt ${details.prompt.name}.`);
      return;
    }
    if (login === undefined) {
      if (ctx.method !== 'GET') ctx.throw(405);
      render(200);
      return;
    }
    if (ctx.method !== 'POST') ctx.throw(405);
    try {
      await form(ctx, async () => {});
    } catch {
      render(400, MISSING);
      return;
    }
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const username = typeof body['username'] === 'string' ? body['username'].slice(0, 128) : '';
    const password = typeof body['password'] === 'string' ? body['password'].slice(0, 128) : '';
    if (username.trim() === '' || password === '') {
      render(400, MISSING, username);
      return;
    }
    const account = accounts.authenticate(username, password);
    if (account === undefined) {
      // What was typed may be a phone number or a real password: neither is logged.
      logger.info({ event: 'sign-in', outcome: 'refused' }, 'sign-in refused');
      render(401, REFUSED, username);
      return;
    }
    logger.info(
      { event: 'sign-in', outcome: 'signed_in', actor: account.claims.subject },
      'signed in',
    );
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId: account.claims.subject } },
      { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(returnTo);
  };
}

/** Protocol errors by their code (what a client did wrong), failures of the provider in full. */
function logOutcomes(provider: Provider, logger: Logger): void {
  const clientError =
    (event: string) =>
    (ctx: KoaContextWithOIDC, error: errors.OIDCProviderError): void => {
      logger.warn(
        {
          event,
          error: error.error,
          description: error.error_description,
          client: ctx.oidc.client?.clientId,
        },
        'OpenID request refused',
      );
    };
  provider.on('authorization.error', clientError('authorization'));
  provider.on('grant.error', clientError('token'));
  provider.on('end_session.error', clientError('end_session'));
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
    logger.error({ err: error }, 'OpenID provider failed');
  });
}

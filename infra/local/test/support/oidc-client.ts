/**
 * The portal's sign-in, done by a test as a browser would: the authorization
 * request with PKCE, the provider's sign-in page and its form with a cookie
 * jar, the redirect back, and the code exchanged at the token endpoint
 * (oauth4webapi, which checks the responses, the ID token and its nonce).
 */
import * as oauth from 'oauth4webapi';
import { CookieJar } from 'tough-cookie';
import { PORTAL_CALLBACK_PATH, PORTAL_CLIENT_ID } from '../../src/oidc-provider.js';

export interface SignInOptions {
  readonly issuer: string;
  /** The portal origin registered with the provider; the callback is under it. */
  readonly portalOrigin: string;
  /** Default `openid profile roles`. */
  readonly scope?: string;
  /** Extra authorization request parameters, or `null` to leave one out (e.g. code_challenge). */
  readonly parameters?: Readonly<Record<string, string | null>>;
  /** The browser to go on in (its cookies: a session at the provider); a new one by default. */
  readonly browser?: CookieBrowser;
}

export interface Page {
  readonly status: number;
  readonly url: string;
  readonly html: string;
}

export interface SignedIn {
  readonly accessToken: string;
  readonly idToken: string;
  readonly idTokenClaims: oauth.IDToken;
  readonly expiresIn: number | undefined;
}

const MAX_REDIRECTS = 10;

/** A browser's part: cookies kept per the responses, redirects followed by hand. */
export class CookieBrowser {
  readonly jar = new CookieJar();

  /** One request with the jar's cookies; its cookies go into the jar. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = await this.jar.getCookieString(url);
    if (cookie !== '') headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie())
      await this.jar.setCookie(setCookie, url);
    return response;
  }

  /** Follows redirects from `url` until a page answers, or a redirect leads to a URL under `stopAt`. */
  async navigate(
    url: string,
    init: RequestInit = {},
    stopAt?: string,
  ): Promise<{ response: Response; url: string }> {
    let current = url;
    let response = await this.request(current, init);
    for (let hops = 0; hops < MAX_REDIRECTS; hops += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) break;
      current = new URL(location, current).href;
      if (stopAt !== undefined && current.startsWith(stopAt)) return { response, url: current };
      response = await this.request(current);
    }
    return { response, url: current };
  }
}

/** A sign-in in progress: the provider's sign-in page is open. */
export interface SignInAttempt {
  readonly page: Page;
  readonly browser: CookieBrowser;
  /** Posts the form; a page when it answers with one (a refusal), the tokens when it lets the person in. */
  submit(username: string, password: string): Promise<Page | SignedIn>;
}

export async function beginSignIn(options: SignInOptions): Promise<SignInAttempt> {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the local provider speaks plain http on loopback.
  const requestOptions = { [oauth.allowInsecureRequests]: true };
  const issuer = new URL(options.issuer);
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, requestOptions),
  );
  const client: oauth.Client = {
    client_id: PORTAL_CLIENT_ID,
    id_token_signed_response_alg: 'ES256',
  };
  const redirectUri = `${options.portalOrigin}${PORTAL_CALLBACK_PATH}`;
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const authorization = new URL(as.authorization_endpoint ?? '');
  const parameters: Record<string, string | null> = {
    client_id: PORTAL_CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: options.scope ?? 'openid profile roles',
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...options.parameters,
  };
  for (const [name, value] of Object.entries(parameters))
    if (value !== null) authorization.searchParams.set(name, value);

  const browser = options.browser ?? new CookieBrowser();
  const opened = await browser.navigate(authorization.href, {}, redirectUri);
  const page: Page = {
    status: opened.response.status,
    url: opened.url,
    html: await opened.response.text(),
  };
  return {
    page,
    browser,
    async submit(username, password) {
      const action = /<form method="post" action="([^"]+)"/.exec(page.html)?.[1];
      if (action === undefined) throw new Error(`no sign-in form at ${page.url}: ${page.html}`);
      const posted = await browser.navigate(
        new URL(action.replaceAll('&amp;', '&'), page.url).href,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username, password }).toString(),
        },
        redirectUri,
      );
      if (!posted.url.startsWith(redirectUri))
        return {
          status: posted.response.status,
          url: posted.url,
          html: await posted.response.text(),
        };
      const callback = oauth.validateAuthResponse(as, client, new URL(posted.url), state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.None(),
        callback,
        redirectUri,
        codeVerifier,
        requestOptions,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        expectedNonce: nonce,
        requireIdToken: true,
      });
      const idTokenClaims = oauth.getValidatedIdTokenClaims(tokens);
      if (idTokenClaims === undefined || tokens.id_token === undefined)
        throw new Error('no ID token');
      return {
        accessToken: tokens.access_token,
        idToken: tokens.id_token,
        idTokenClaims,
        expiresIn: tokens.expires_in,
      };
    },
  };
}

/** The whole sign-in of a person who types the right password: their tokens. */
export async function signIn(
  options: SignInOptions & { readonly username: string; readonly password: string },
): Promise<SignedIn> {
  const attempt = await beginSignIn(options);
  const outcome = await attempt.submit(options.username, options.password);
  if (!('accessToken' in outcome))
    throw new Error(`sign-in refused: HTTP ${outcome.status} ${outcome.html}`);
  return outcome;
}

export const isSignedIn = (outcome: Page | SignedIn): outcome is SignedIn =>
  'accessToken' in outcome;

/**
 * A service's own access token from the identity provider (RFC 6749 §4.4,
 * client credentials, client_secret_basic), cached and renewed before it
 * expires. oauth4webapi does the wire work: the Basic header's encoding, the
 * form body and the response's checks.
 */
import { AppError } from '@learning/errors';
import * as oauth from 'oauth4webapi';

export const SERVICE_TOKEN_UNAVAILABLE = 'SERVICE_TOKEN_UNAVAILABLE';

export interface ClientCredentialsOptions {
  /** The identity provider's token endpoint; https, or http on 127.0.0.1/localhost only. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for; the provider's default when absent. */
  scope?: string;
  /** The `audience` parameter some providers need to pick the token's `aud`. */
  audience?: string;
  /** How long before its expiry a token is renewed. Default 60,000; at most half its lifetime. */
  refreshBeforeMs?: number;
  /** How long one token request may take. Default 5,000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  clock?: () => Date;
}

interface CachedToken {
  readonly accessToken: string;
  readonly renewAt: number;
  readonly expiresAt: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why `tokenUrl` cannot be used, or undefined when it can: a plain-http secret
 * is readable by anyone on the path, so http is only for a local issuer.
 */
export function tokenUrlProblem(tokenUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must be https (http only for 127.0.0.1 or localhost)';
}

/**
 * Returns a token provider for gRPC and HTTP clients: every call resolves a
 * current access token, and however many callers ask at once, at most one
 * request to the token endpoint is in flight.
 */
export function clientCredentialsTokens(options: ClientCredentialsOptions): () => Promise<string> {
  const problem = tokenUrlProblem(options.tokenUrl);
  if (problem !== undefined) throw new TypeError(`clientCredentialsTokens: tokenUrl ${problem}.`);
  const tokenUrl = new URL(options.tokenUrl);
  const refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = (): number => (options.clock ?? (() => new Date()))().getTime();
  // A plain access token carries no issuer to check; the origin only fills the required field.
  const server: oauth.AuthorizationServer = {
    issuer: tokenUrl.origin,
    token_endpoint: tokenUrl.href,
  };
  const client: oauth.Client = { client_id: options.clientId };
  const authentication = oauth.ClientSecretBasic(options.clientSecret);
  const parameters = new URLSearchParams();
  if (options.scope !== undefined) parameters.set('scope', options.scope);
  if (options.audience !== undefined) parameters.set('audience', options.audience);
  const requestOptions: oauth.TokenEndpointRequestOptions = {
    signal: () => AbortSignal.timeout(timeoutMs),
    ...(options.fetch === undefined ? {} : { [oauth.customFetch]: options.fetch }),
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- http is allowed for loopback only, checked above.
    ...(tokenUrl.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}),
  };

  let cached: CachedToken | undefined;
  let inFlight: Promise<CachedToken> | undefined;

  async function requestToken(): Promise<CachedToken> {
    const requestedAt = now();
    let response: oauth.TokenEndpointResponse;
    try {
      response = await oauth.processClientCredentialsResponse(
        server,
        client,
        await oauth.clientCredentialsGrantRequest(
          server,
          client,
          authentication,
          parameters,
          requestOptions,
        ),
      );
    } catch (error) {
      throw unavailable(describeFailure(error));
    }
    if (response.token_type !== 'bearer') throw unavailable('the token is not a bearer token');
    const lifetimeMs = (response.expires_in ?? 0) * 1_000;
    if (!(lifetimeMs > 0)) throw unavailable('the answer has no positive expires_in');
    // Measured from the request's start, so a slow answer renews early rather than late.
    const expiresAt = requestedAt + lifetimeMs;
    return {
      accessToken: response.access_token,
      expiresAt,
      renewAt: expiresAt - Math.min(refreshBeforeMs, lifetimeMs / 2),
    };
  }

  function renew(): Promise<CachedToken> {
    inFlight ??= requestToken()
      .then((token) => {
        cached = token;
        return token;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return async () => {
    const current = cached;
    if (current !== undefined && now() < current.renewAt) return current.accessToken;
    try {
      return (await renew()).accessToken;
    } catch (error) {
      // A renewal that fails early is not yet an outage: the token in hand still works.
      if (current !== undefined && now() < current.expiresAt) return current.accessToken;
      throw error;
    }
  };
}

function unavailable(what: string): AppError {
  return new AppError(
    'unavailable',
    SERVICE_TOKEN_UNAVAILABLE,
    'This service could not get its access token from the identity provider, so it cannot call other services right now. Please try again shortly.',
    // The library's own errors can hold the response body (the token itself); only a description is kept.
    { cause: new Error(`The token request failed: ${what}.`), retryAfterSeconds: 5 },
  );
}

function describeFailure(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError)
    return `HTTP ${error.status} with OAuth error "${error.error}"`;
  if (error instanceof oauth.WWWAuthenticateChallengeError) return `HTTP ${error.status} challenge`;
  if (error instanceof oauth.OperationProcessingError) {
    const status = error.cause instanceof Response ? ` (HTTP ${error.cause.status})` : '';
    return `${error.message}${status}`;
  }
  if (error instanceof oauth.UnsupportedOperationError) return error.message;
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  return 'no answer (network error)';
}

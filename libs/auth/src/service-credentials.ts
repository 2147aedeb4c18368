/**
 * How a service authenticates to its peers: a static token (the local stack)
 * or, when the identity provider's client credentials are configured, a token
 * renewed from the provider before it expires.
 */
import { env } from '@learning/config';
import { clientCredentialsTokens, tokenUrlProblem } from './client-credentials.js';

/** Spread into a service's schema; all three or none (see `serviceCredentialsProblems`). */
export const serviceCredentialsEnv = {
  /** The identity provider's token endpoint (client credentials grant). */
  SERVICE_TOKEN_URL: env.optional(env.url()),
  /** The service's client at the identity provider, and its secret. */
  SERVICE_CLIENT_ID: env.optional(env.string()),
  SERVICE_CLIENT_SECRET: env.optional(env.string()),
};

export interface ServiceCredentialsConfig {
  readonly SERVICE_TOKEN_URL?: string | undefined;
  readonly SERVICE_CLIENT_ID?: string | undefined;
  readonly SERVICE_CLIENT_SECRET?: string | undefined;
}

const CREDENTIAL_NAMES = [
  'SERVICE_TOKEN_URL',
  'SERVICE_CLIENT_ID',
  'SERVICE_CLIENT_SECRET',
] as const;

/** For `loadServiceConfig`'s further problems: a partial set, or a token URL that cannot be used. */
export function serviceCredentialsProblems(config: ServiceCredentialsConfig): string[] {
  const missing = CREDENTIAL_NAMES.filter((name) => config[name] === undefined);
  if (missing.length > 0 && missing.length < CREDENTIAL_NAMES.length)
    return [
      `${CREDENTIAL_NAMES.join(', ')} are set together or not at all; ${missing.join(', ')} missing`,
    ];
  const problem =
    config.SERVICE_TOKEN_URL === undefined ? undefined : tokenUrlProblem(config.SERVICE_TOKEN_URL);
  return problem === undefined ? [] : [`SERVICE_TOKEN_URL ${problem}`];
}

/**
 * The token provider a service's clients present to its peers: renewed from
 * the identity provider when its credentials are set, else the static token,
 * else none (the peer then refuses the calls).
 */
export function serviceTokenProvider(
  config: ServiceCredentialsConfig,
  staticToken: string | undefined,
): (() => Promise<string> | string) | undefined {
  const { SERVICE_TOKEN_URL, SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET } = config;
  if (
    SERVICE_TOKEN_URL !== undefined &&
    SERVICE_CLIENT_ID !== undefined &&
    SERVICE_CLIENT_SECRET !== undefined
  )
    return clientCredentialsTokens({
      tokenUrl: SERVICE_TOKEN_URL,
      clientId: SERVICE_CLIENT_ID,
      clientSecret: SERVICE_CLIENT_SECRET,
    });
  if (staticToken !== undefined) return () => staticToken;
  return undefined;
}

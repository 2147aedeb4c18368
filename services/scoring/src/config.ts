/** The scoring service's environment: one schema, validated once at start. */
import { serviceCredentialsEnv, serviceCredentialsProblems } from '@learning/auth';
import { env, type Config } from '@learning/config';
import { loadServiceConfig, serviceEnv } from '@learning/runtime';
import { Type } from '@sinclair/typebox';

export const scoringEnv = Type.Object({
  ...serviceEnv,
  MONGODB_DATABASE: env.string({ default: 'scoring' }),
  /** `host:port` of registration's gRPC server: participants (tier, home, organizations, names) and members. */
  REGISTRATION_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9101' }),
  /** The static service token scoring presents to registration (role `service`); the local stack's. */
  REGISTRATION_SERVICE_TOKEN: env.optional(env.string()),
  /** Client credentials for a renewing token from the identity provider, used instead when set. */
  ...serviceCredentialsEnv,
  /**
   * Base64, at least 32 bytes: the key learning records' verification codes are
   * signed with (HMAC). Changing it makes every issued code unverifiable.
   */
  VERIFICATION_KEY: env.string(),
  /** How long a public top list or a verification answer is served from the cache at most. */
  PUBLIC_CACHE_TTL_MS: env.integer({ default: 30_000, minimum: 1_000 }),
  /** How often a replica checks that Redis still holds the year's leaderboards (rebuilding them when not). */
  LEADERBOARD_CHECK_MS: env.integer({ default: 60_000, minimum: 500 }),
});

export type ScoringConfig = Config<typeof scoringEnv>;

/** The fewest bytes of key an HMAC-SHA256 verification code is signed with. */
export const VERIFICATION_KEY_MIN_BYTES = 32;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Names what is wrong with VERIFICATION_KEY without echoing it. */
function verificationKeyProblems(config: ScoringConfig): string[] {
  const key = config.VERIFICATION_KEY;
  return BASE64.test(key) && Buffer.from(key, 'base64').length >= VERIFICATION_KEY_MIN_BYTES
    ? []
    : [`VERIFICATION_KEY must be base64 of at least ${VERIFICATION_KEY_MIN_BYTES} bytes`];
}

export const loadScoringConfig = (
  environment: Readonly<Record<string, string | undefined>>,
): ScoringConfig =>
  loadServiceConfig(scoringEnv, environment, (config) => [
    ...serviceCredentialsProblems(config),
    ...verificationKeyProblems(config),
  ]);

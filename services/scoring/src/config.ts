/** The scoring service's environment: one schema, validated once at start. */
import { serviceCredentialsEnv, serviceCredentialsProblems } from '@learning/auth';
import { env, verificationKeyEnv, verificationKeyProblems, type Config } from '@learning/config';
import { privacyEnv } from '@learning/privacy';
import { loadServiceConfig, serviceEnv } from '@learning/runtime';
import { Type } from '@sinclair/typebox';

export const scoringEnv = Type.Object({
  ...serviceEnv,
  MONGODB_DATABASE: env.string({ default: 'scoring' }),
  /** `host:port` of registration's gRPC server: participants (tier, home, organizations, names) and members. */
  REGISTRATION_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9101' }),
  /** The static service token scoring presents to registration (role `service`); the local stack's. */
  REGISTRATION_SERVICE_TOKEN: env.optional(env.string()),
  /** `host:port` of activities' gRPC server: an area's learning network (the evaluation's inputs). */
  ACTIVITIES_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9102' }),
  /** The static service token scoring presents to activities; the local stack's. */
  ACTIVITIES_SERVICE_TOKEN: env.optional(env.string()),
  /** `host:port` of lectures' gRPC server: an area's lecture coverage (the evaluation's inputs). */
  LECTURES_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9103' }),
  /** The static service token scoring presents to lectures; the local stack's. */
  LECTURES_SERVICE_TOKEN: env.optional(env.string()),
  /** Client credentials for a renewing token from the identity provider, used instead when set. */
  ...serviceCredentialsEnv,
  /** Signs learning records' verification codes. */
  ...verificationKeyEnv,
  /** How long a public top list or a verification answer is served from the cache at most. */
  PUBLIC_CACHE_TTL_MS: env.integer({ default: 30_000, minimum: 1_000 }),
  /** How often a replica checks that Redis still holds the year's leaderboards (rebuilding them when not). */
  LEADERBOARD_CHECK_MS: env.integer({ default: 60_000, minimum: 500 }),
  /** How often one replica recomputes the provisional assessments whose data changed (marked stale). */
  ASSESSMENT_RECOMPUTE_MS: env.integer({ default: 60_000, minimum: 500 }),
  /** The city's node in registration's jurisdiction tree: the annual evaluation assesses every township and street under it. */
  CITY_JURISDICTION_CODE: env.string({ default: '330281000000' }),
  /** The retention sweeps' cadence and the audit log's retention (decision 0022). */
  ...privacyEnv,
  /** Days an export's certificate is kept (and its code verifies) after it was issued: three years by default. */
  CERTIFICATES_RETENTION_DAYS: env.integer({ default: 1_095, minimum: 30 }),
  /** Days a person's nomination that was not awarded is kept after its round was published (appeals, statistics). */
  NOMINATIONS_RETENTION_DAYS: env.integer({ default: 365, minimum: 30 }),
});

export type ScoringConfig = Config<typeof scoringEnv>;

export const loadScoringConfig = (
  environment: Readonly<Record<string, string | undefined>>,
): ScoringConfig =>
  loadServiceConfig(scoringEnv, environment, (config) => [
    ...serviceCredentialsProblems(config),
    ...verificationKeyProblems(config),
  ]);

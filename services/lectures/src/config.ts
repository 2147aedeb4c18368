/** The lectures service's environment: one schema, validated once at start. */
import { serviceCredentialsEnv, serviceCredentialsProblems } from '@learning/auth';
import { env, type Config } from '@learning/config';
import { piiEnv } from '@learning/pii';
import { loadServiceConfig, serviceEnv } from '@learning/runtime';
import { Type } from '@sinclair/typebox';

export const lecturesEnv = Type.Object({
  ...serviceEnv,
  MONGODB_DATABASE: env.string({ default: 'lectures' }),
  /** Experts' phone numbers and e-mail addresses are encrypted at rest, as registration's participants are. */
  ...piiEnv,
  /** `host:port` of registration's gRPC server: the jurisdiction tree, departments and participants. */
  REGISTRATION_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9101' }),
  /** The static service token lectures presents to registration (role `service`); the local stack's. */
  REGISTRATION_SERVICE_TOKEN: env.optional(env.string()),
  /** `host:port` of activities' gRPC server: the venue catalogue and campaigns (decision 0015). */
  ACTIVITIES_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9102' }),
  /** The static service token lectures presents to activities (role `service`); the local stack's. */
  ACTIVITIES_SERVICE_TOKEN: env.optional(env.string()),
  /** Client credentials for a renewing token from the identity provider, used instead when set. */
  ...serviceCredentialsEnv,
  /** How often the scheduler looks for sessions that have ended (held) and for coverage gaps. */
  SCHEDULER_TICK_MS: env.integer({ default: 30_000, minimum: 100 }),
  /** How long a public programme or library page is served from the cache at most. */
  PUBLIC_CACHE_TTL_MS: env.integer({ default: 30_000, minimum: 1_000 }),
  /** A township or street with no session in this many months is a coverage gap (and the default look-back). */
  COVERAGE_GAP_MONTHS: env.integer({ default: 6, minimum: 1, maximum: 120 }),
  /** How often the coverage gap check runs (once across replicas). */
  COVERAGE_CHECK_EVERY_MS: env.integer({ default: 24 * 60 * 60_000, minimum: 1_000 }),
  /**
   * The jurisdiction whose subtree the gap check watches (the city's code);
   * unset, no gap is checked or published.
   */
  COVERAGE_CHECK_ROOT: env.optional(env.string({ minLength: 1 })),
});

export type LecturesConfig = Config<typeof lecturesEnv>;

export const loadLecturesConfig = (
  environment: Readonly<Record<string, string | undefined>>,
): LecturesConfig => loadServiceConfig(lecturesEnv, environment, serviceCredentialsProblems);

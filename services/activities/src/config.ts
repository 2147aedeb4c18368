/** The activities service's environment: one schema, validated once at start. */
import { serviceCredentialsEnv, serviceCredentialsProblems } from '@learning/auth';
import { env, verificationKeyEnv, verificationKeyProblems, type Config } from '@learning/config';
import { privacyEnv } from '@learning/privacy';
import { loadServiceConfig, serviceEnv, type ServiceConfig } from '@learning/runtime';
import { Type, type TObject } from '@sinclair/typebox';

/** Activities' own settings, beside every service's. */
const activitiesSettings = {
  MONGODB_DATABASE: env.string({ default: 'activities' }),
  /** `host:port` of registration's gRPC server: the jurisdiction tree and enrollment figures. */
  REGISTRATION_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9101' }),
  /** The static service token activities presents to registration (role `service`); the local stack's. */
  REGISTRATION_SERVICE_TOKEN: env.optional(env.string()),
  /** `host:port` of lectures' gRPC server: the expert pool a training class's trainers come from. */
  LECTURES_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9103' }),
  /** The static service token activities presents to lectures (role `service`); the local stack's. */
  LECTURES_SERVICE_TOKEN: env.optional(env.string()),
  /** Client credentials for a renewing token from the identity provider, used instead when set. */
  ...serviceCredentialsEnv,
  /** How often the scheduler looks for activities due to start or complete. */
  SCHEDULER_TICK_MS: env.integer({ default: 30_000, minimum: 100 }),
  /** How long a public listing or activity page is served from the cache at most. */
  PUBLIC_CACHE_TTL_MS: env.integer({ default: 30_000, minimum: 1_000 }),
  /**
   * The jurisdiction (normally the city) whose learning network is checked
   * for gaps periodically; unset, nothing is checked unless a city admin asks.
   */
  NETWORK_GAP_CHECK_ROOT: env.optional(env.string({ minLength: 1 })),
  /** How often the learning network's gap check runs. */
  NETWORK_GAP_CHECK_EVERY_MS: env.integer({ default: 24 * 60 * 60_000, minimum: 1_000 }),
  /** Signs training certificates' verification codes (`TC26-…`); also keys erased people's pseudonyms. */
  ...verificationKeyEnv,
  ...privacyEnv,
  /** Days a contest entry (the letter, its file, the birth date) is kept after it was sent; default three years. */
  CONTEST_ENTRY_RETENTION_DAYS: env.integer({ default: 1095, minimum: 30 }),
  /** Days a file uploaded for a contest but never used in an entry is kept. */
  CONTEST_UPLOAD_RETENTION_DAYS: env.integer({ default: 30, minimum: 1 }),
  /**
   * Days after a training year ends before its trainee records are
   * pseudonymized (the programme's counts stay); at least a year, for the
   * year's report; default five years.
   */
  TRAINING_RECORD_RETENTION_DAYS: env.integer({ default: 1825, minimum: 365 }),
  /** Days a training certificate can be checked after the completion; at least a year; default five years. */
  TRAINING_CERTIFICATE_RETENTION_DAYS: env.integer({ default: 1825, minimum: 365 }),
};

export const activitiesEnv = Type.Object({ ...serviceEnv, ...activitiesSettings });

// In two parts: TypeBox's Static of the whole schema at once is deeper than TypeScript instantiates.
export type ActivitiesConfig = ServiceConfig & Config<TObject<typeof activitiesSettings>>;

export const loadActivitiesConfig = (
  environment: Readonly<Record<string, string | undefined>>,
): ActivitiesConfig =>
  loadServiceConfig<TObject<typeof serviceEnv & typeof activitiesSettings>>(
    activitiesEnv,
    environment,
    (config) => [...serviceCredentialsProblems(config), ...verificationKeyProblems(config)],
  );

/** The registration service's environment: one schema, validated once at start. */
import { serviceCredentialsEnv, serviceCredentialsProblems } from '@learning/auth';
import { env, type Config } from '@learning/config';
import { piiEnv, PiiKeyError, piiKeysFrom } from '@learning/pii';
import { privacyEnv } from '@learning/privacy';
import { loadServiceConfig, serviceEnv } from '@learning/runtime';
import { Type } from '@sinclair/typebox';

export const registrationEnv = Type.Object({
  ...serviceEnv,
  MONGODB_DATABASE: env.string({ default: 'registration' }),
  ...piiEnv,
  /** Days an officer's claim code for a participant record stays usable; a long-lived secret is a risk. */
  PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS: env.integer({ default: 14, minimum: 1, maximum: 90 }),
  /** Check-in opens this many minutes before an event starts, and closes this many after it ends. */
  CHECK_IN_OPENS_MINUTES_BEFORE: env.integer({ default: 60, minimum: 0, maximum: 1_440 }),
  CHECK_IN_CLOSES_MINUTES_AFTER: env.integer({ default: 120, minimum: 0, maximum: 1_440 }),
  /**
   * How often seats left free by a crash between taking arrival numbers and
   * storing the sign-ups are looked for, and how quiet an event must have been first.
   */
  SEAT_SWEEP_EVERY_MS: env.integer({ default: 30_000, minimum: 100 }),
  SEAT_SWEEP_QUIET_MS: env.integer({ default: 10_000, minimum: 0 }),
  /** `host:port` of each owner's SeatedEventSourceService; sign-up for an owner without one is 503. */
  SEATING_ACTIVITIES_GRPC_ADDRESS: env.optional(env.string()),
  SEATING_LECTURES_GRPC_ADDRESS: env.optional(env.string()),
  SEATING_TRAINING_GRPC_ADDRESS: env.optional(env.string()),
  /** The static service token registration presents to the owners (role `service`); the local stack's. */
  SEATING_SERVICE_TOKEN: env.optional(env.string()),
  /** Client credentials for a renewing token from the identity provider, used instead when set. */
  ...serviceCredentialsEnv,
  /** Where uploaded CSV files wait for the import worker; a volume every replica shares. */
  IMPORT_DIRECTORY: env.string({ default: '/tmp/registration-imports' }),
  /** The largest CSV file an import takes (413 above it). */
  IMPORT_MAX_BYTES: env.integer({ default: 512 * 1024 * 1024, minimum: 1 }),
  /** Rows written per bulk write, and between two checkpoints. */
  IMPORT_BATCH_SIZE: env.integer({ default: 1_000, minimum: 1, maximum: 10_000 }),
  /** How long a worker holds a job without a checkpoint before another may resume it. */
  IMPORT_LEASE_MS: env.integer({ default: 30_000, minimum: 500 }),
  /** How often an idle worker looks for queued or abandoned jobs. */
  IMPORT_POLL_MS: env.integer({ default: 2_000, minimum: 50 }),
  ...privacyEnv,
  /**
   * `host:port` of each other service's gRPC server: a person's copy of their data is gathered
   * from their PersonalDataService, and closing an account first asks each what it would cut short.
   */
  ACTIVITIES_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9102' }),
  LECTURES_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9103' }),
  SCORING_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9104' }),
  NOTIFICATIONS_GRPC_ADDRESS: env.string({ default: '127.0.0.1:9105' }),
  /** The static service token registration presents to their PersonalDataService; the local stack's. */
  PERSONAL_DATA_SERVICE_TOKEN: env.optional(env.string()),
  /** Copies of their data a person may ask for per account in 24 hours (429 beyond). */
  DATA_EXPORTS_PER_DAY: env.integer({ default: 3, minimum: 1, maximum: 100 }),
  /** Days a finished copy stays downloadable before the retention sweep removes it. */
  DATA_EXPORT_RETENTION_DAYS: env.integer({ default: 7, minimum: 1, maximum: 90 }),
  /** How often the export worker asks the services whose part is still missing. */
  DATA_EXPORT_POLL_MS: env.integer({ default: 2_000, minimum: 50 }),
  /** A service that failed is asked again after this, doubling per attempt up to the maximum. */
  DATA_EXPORT_RETRY_BASE_MS: env.integer({ default: 5_000, minimum: 10 }),
  DATA_EXPORT_RETRY_MAX_MS: env.integer({ default: 300_000, minimum: 10 }),
  /**
   * Days a claim code is kept after it expired (an unclaimed record's pending code): long enough
   * for an officer to see that it lapsed, then removed.
   */
  CLAIM_CODE_RETENTION_DAYS: env.integer({ default: 30, minimum: 0, maximum: 365 }),
});

export type RegistrationConfig = Config<typeof registrationEnv>;

export function loadRegistrationConfig(
  environment: Readonly<Record<string, string | undefined>>,
): RegistrationConfig {
  return loadServiceConfig(registrationEnv, environment, (config) => [
    ...piiKeyProblems(config),
    ...serviceCredentialsProblems(config),
  ]);
}

// Keys that parse as strings may still be unusable: found here, not at the first registration.
function piiKeyProblems(config: RegistrationConfig): string[] {
  try {
    piiKeysFrom(config);
    return [];
  } catch (error) {
    if (!(error instanceof PiiKeyError)) throw error;
    return [error.message];
  }
}

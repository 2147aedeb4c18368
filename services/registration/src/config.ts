/** The registration service's environment: one schema, validated once at start. */
import {
  authEnv,
  commonEnv,
  ConfigError,
  env,
  kafkaEnv,
  loadConfig,
  mongoEnv,
  redisEnv,
  type Config,
} from '@learning/config';
import { piiEnv, PiiKeyError, piiKeysFrom } from '@learning/pii';
import { Type } from '@sinclair/typebox';

export const registrationEnv = Type.Object({
  ...commonEnv,
  ...mongoEnv,
  MONGODB_DATABASE: env.string({ default: 'registration' }),
  ...kafkaEnv,
  ...redisEnv,
  ...authEnv,
  ...piiEnv,
});

export type RegistrationConfig = Config<typeof registrationEnv>;

export function loadRegistrationConfig(
  environment: Readonly<Record<string, string | undefined>>,
): RegistrationConfig {
  let config: RegistrationConfig | undefined;
  const problems: string[] = [];
  try {
    config = loadConfig(registrationEnv, environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  // The schema cannot say "one of two"; checked here so it is listed with the others.
  const hasKey = [environment['JWT_PUBLIC_KEY'], environment['JWT_JWKS_URL']].some(
    (value) => value !== undefined && value !== '',
  );
  if (!hasKey) problems.push('JWT_PUBLIC_KEY or JWT_JWKS_URL must be set to verify tokens');
  // Keys that parse as strings may still be unusable: found here, not at the first registration.
  if (config !== undefined) {
    try {
      piiKeysFrom(config);
    } catch (error) {
      if (!(error instanceof PiiKeyError)) throw error;
      problems.push(error.message);
    }
  }
  if (config === undefined || problems.length > 0) throw new ConfigError(problems);
  return config;
}

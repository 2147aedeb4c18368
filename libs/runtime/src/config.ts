/** The environment every service has, validated with the service's own additions in one pass. */
import {
  authEnv,
  commonEnv,
  ConfigError,
  kafkaEnv,
  loadConfig,
  mongoEnv,
  redisEnv,
  type Config,
} from '@learning/config';
import { tracingEnv } from '@learning/tracing';
import type { Type } from '@sinclair/typebox';
import { type TObject } from '@sinclair/typebox';

/** Spread into a service's schema: connections, servers, logging, tracing and token verification. */
export const serviceEnv = {
  ...commonEnv,
  ...mongoEnv,
  ...kafkaEnv,
  ...redisEnv,
  ...authEnv,
  ...tracingEnv,
};

/** What the runtime reads of any service's configuration. */
export type ServiceConfig = Config<ReturnType<typeof Type.Object<typeof serviceEnv>>>;

/**
 * Loads `schema` from `environment` and lists every problem at once: the
 * schema's, the token key that must be one of two variables, and the
 * service's own checks of values that parse but cannot be used.
 */
export function loadServiceConfig<T extends TObject>(
  schema: T,
  environment: Readonly<Record<string, string | undefined>>,
  furtherProblems: (config: Config<T>) => string[] = () => [],
): Config<T> {
  let config: Config<T> | undefined;
  const problems: string[] = [];
  try {
    config = loadConfig(schema, environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  // The schema cannot say "one of two"; checked here so it is listed with the others.
  const hasKey = [environment['JWT_PUBLIC_KEY'], environment['JWT_JWKS_URL']].some(
    (value) => value !== undefined && value !== '',
  );
  if (!hasKey) problems.push('JWT_PUBLIC_KEY or JWT_JWKS_URL must be set to verify tokens');
  if (config !== undefined) problems.push(...furtherProblems(config));
  if (config === undefined || problems.length > 0) throw new ConfigError(problems);
  return config;
}

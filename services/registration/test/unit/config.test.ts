import { ConfigError } from '@learning/config';
import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { generatePiiEnvironment } from '@learning/pii';
import { loadRegistrationConfig } from '../../src/config.js';

const problemsOf = async (env: Record<string, string>): Promise<readonly string[]> => {
  const error = await rejectionOf(Promise.resolve().then(() => loadRegistrationConfig(env)));
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
};

describe('loadRegistrationConfig', () => {
  it('when several variables are bad, then every one of them is listed', async () => {
    const problems = await problemsOf({
      HTTP_PORT: 'eighty',
      GRPC_PORT: '70000',
      LOG_LEVEL: 'loud',
      MONGODB_URI: 'http://127.0.0.1:27017',
      REDIS_URL: 'memcached://127.0.0.1',
      KAFKA_MAX_WAIT_MS: '1',
    });

    for (const name of [
      'HTTP_PORT',
      'GRPC_PORT',
      'LOG_LEVEL',
      'MONGODB_URI',
      'REDIS_URL',
      'KAFKA_MAX_WAIT_MS',
    ]) {
      expect(problems.some((problem) => problem.startsWith(`${name}:`))).toBe(true);
    }
    expect(problems).toContain('JWT_PUBLIC_KEY or JWT_JWKS_URL must be set to verify tokens');
    for (const name of ['PII_ENCRYPTION_KEYS', 'PII_HASH_KEY'])
      expect(problems).toContain(`${name} is required but not set`);
  });

  it('when the personal-data keys are present but unusable, then the problem is listed without the key', async () => {
    const shortKey = Buffer.alloc(16, 7).toString('base64');
    const problems = await problemsOf({
      JWT_JWKS_URL: 'https://id.example/jwks.json',
      PII_ENCRYPTION_KEYS: `k1:${shortKey}`,
      PII_HASH_KEY: generatePiiEnvironment().PII_HASH_KEY,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^PII_ENCRYPTION_KEYS: key "k1" must decode to 32 bytes/),
    ]);
    expect(problems.join('\n')).not.toContain(shortKey);
  });

  it('when only some of the service client credentials are set, then the missing ones are listed without the secret', async () => {
    const secret = 'client-secret-9e2f';
    const problems = await problemsOf({
      JWT_JWKS_URL: 'https://id.example/jwks.json',
      ...generatePiiEnvironment(),
      SERVICE_TOKEN_URL: 'https://id.example/oauth/token',
      SERVICE_CLIENT_SECRET: secret,
    });

    expect(problems).toEqual([
      expect.stringMatching(/set together or not at all; SERVICE_CLIENT_ID missing$/),
    ]);
    expect(problems.join('\n')).not.toContain(secret);
  });

  it('when the service client credentials are complete, then they are kept beside the static token', () => {
    const config = loadRegistrationConfig({
      JWT_JWKS_URL: 'https://id.example/jwks.json',
      ...generatePiiEnvironment(),
      SEATING_SERVICE_TOKEN: 'static.jwt.token',
      SERVICE_TOKEN_URL: 'https://id.example/oauth/token',
      SERVICE_CLIENT_ID: 'registration',
      SERVICE_CLIENT_SECRET: 'client-secret-9e2f',
    });

    expect(config).toMatchObject({
      SEATING_SERVICE_TOKEN: 'static.jwt.token',
      SERVICE_TOKEN_URL: 'https://id.example/oauth/token',
      SERVICE_CLIENT_ID: 'registration',
    });
  });

  it('when only a token key is set, then the defaults make a complete frozen config', () => {
    const config = loadRegistrationConfig({
      JWT_JWKS_URL: 'https://id.example/jwks.json',
      ...generatePiiEnvironment(),
    });

    expect(config).toMatchObject({
      MONGODB_DATABASE: 'registration',
      MONGODB_URI: 'mongodb://127.0.0.1:27017',
      KAFKA_BROKERS: '127.0.0.1:9092',
      REDIS_URL: 'redis://127.0.0.1:6379',
      HTTP_PORT: 0,
      GRPC_PORT: 0,
      SHUTDOWN_GRACE_MS: 10_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
});

import { randomBytes } from 'node:crypto';
import { ConfigError } from '@learning/config';
import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { loadActivitiesConfig } from '../../src/config.js';

const problemsOf = async (env: Record<string, string>): Promise<readonly string[]> => {
  const error = await rejectionOf(Promise.resolve().then(() => loadActivitiesConfig(env)));
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
};

const tokenKey = {
  JWT_JWKS_URL: 'https://id.example/jwks.json',
  VERIFICATION_KEY: randomBytes(32).toString('base64'),
};
const credentials = {
  SERVICE_TOKEN_URL: 'https://id.example/oauth/token',
  SERVICE_CLIENT_ID: 'activities',
  SERVICE_CLIENT_SECRET: 'client-secret-51c0',
};

describe('loadActivitiesConfig: service client credentials', () => {
  it('when none are set, then the static token alone makes a complete config', () => {
    const config = loadActivitiesConfig({
      ...tokenKey,
      REGISTRATION_SERVICE_TOKEN: 'static.jwt.token',
    });

    expect(config.REGISTRATION_SERVICE_TOKEN).toBe('static.jwt.token');
    expect(config.SERVICE_TOKEN_URL).toBeUndefined();
  });

  it('when all three are set, then they are read', () => {
    expect(loadActivitiesConfig({ ...tokenKey, ...credentials })).toMatchObject(credentials);
  });

  it('when the client id is missing, then it is named and the secret is not shown', async () => {
    const problems = await problemsOf({
      ...tokenKey,
      SERVICE_TOKEN_URL: credentials.SERVICE_TOKEN_URL,
      SERVICE_CLIENT_SECRET: credentials.SERVICE_CLIENT_SECRET,
    });

    expect(problems).toEqual([
      expect.stringMatching(/set together or not at all; SERVICE_CLIENT_ID missing$/),
    ]);
    expect(problems.join('\n')).not.toContain(credentials.SERVICE_CLIENT_SECRET);
  });

  it('when the token URL is plain http to another host, then that is a problem', async () => {
    const problems = await problemsOf({
      ...tokenKey,
      ...credentials,
      SERVICE_TOKEN_URL: 'http://id.example/oauth/token',
    });

    expect(problems).toEqual([
      'SERVICE_TOKEN_URL must be https (http only for 127.0.0.1 or localhost)',
    ]);
  });
});

describe('loadActivitiesConfig: the key of training certificates', () => {
  it('when VERIFICATION_KEY is missing, then it is named', async () => {
    expect(await problemsOf({ JWT_JWKS_URL: tokenKey.JWT_JWKS_URL })).toEqual([
      'VERIFICATION_KEY is required but not set',
    ]);
  });

  it('when it is shorter than 32 bytes, then that is a problem and the key is not shown', async () => {
    const short = randomBytes(16).toString('base64');
    const problems = await problemsOf({ ...tokenKey, VERIFICATION_KEY: short });

    expect(problems).toEqual(['VERIFICATION_KEY must be base64 of at least 32 bytes']);
    expect(problems.join('\n')).not.toContain(short);
  });
});

import { ConfigError } from '@learning/config';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadScoringConfig } from '../../src/config.js';

const TOKEN_KEY = { JWT_JWKS_URL: 'https://id.example/jwks.json' };
const VERIFICATION_KEY = randomBytes(32).toString('base64');

describe('loadScoringConfig', () => {
  it('when a token key and a verification key are given, then the defaults make a complete config', () => {
    const config = loadScoringConfig({ ...TOKEN_KEY, VERIFICATION_KEY });

    expect(config.MONGODB_DATABASE).toBe('scoring');
    expect(config.REGISTRATION_GRPC_ADDRESS).toBe('127.0.0.1:9101');
    expect(config.ACTIVITIES_GRPC_ADDRESS).toBe('127.0.0.1:9102');
    expect(config.LECTURES_GRPC_ADDRESS).toBe('127.0.0.1:9103');
  });

  it('when no token key is given, then it names the two variables that could give one', () => {
    expect(() => loadScoringConfig({ VERIFICATION_KEY })).toThrow(ConfigError);
    expect(() => loadScoringConfig({ VERIFICATION_KEY })).toThrow(/JWT_PUBLIC_KEY or JWT_JWKS_URL/);
  });

  it('when the verification key is missing, then it is named', () => {
    expect(() => loadScoringConfig(TOKEN_KEY)).toThrow(/VERIFICATION_KEY/);
  });

  it('when the verification key is short or not base64, then it is refused without being echoed', () => {
    const short = randomBytes(16).toString('base64');
    for (const key of [short, 'not base64 at all, but long enough to pass a length check'])
      expect(() => loadScoringConfig({ ...TOKEN_KEY, VERIFICATION_KEY: key })).toThrow(
        expect.objectContaining({
          message: expect.not.stringContaining(key) as unknown,
        }) as Error,
      );
    expect(() => loadScoringConfig({ ...TOKEN_KEY, VERIFICATION_KEY: short })).toThrow(
      /VERIFICATION_KEY must be base64 of at least 32 bytes/,
    );
  });
});

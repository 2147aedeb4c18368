import { ConfigError } from '@learning/config';
import { describe, expect, it } from 'vitest';
import { loadScoringConfig } from '../../src/config.js';

describe('loadScoringConfig', () => {
  it('when only a token key is given, then the defaults make a complete config', () => {
    const config = loadScoringConfig({ JWT_JWKS_URL: 'https://id.example/jwks.json' });

    expect(config.MONGODB_DATABASE).toBe('scoring');
  });

  it('when no token key is given, then it names the two variables that could give one', () => {
    expect(() => loadScoringConfig({})).toThrow(ConfigError);
    expect(() => loadScoringConfig({})).toThrow(/JWT_PUBLIC_KEY or JWT_JWKS_URL/);
  });
});

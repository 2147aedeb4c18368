import { ConfigError } from '@learning/config';
import { generatePiiEnvironment } from '@learning/pii';
import { describe, expect, it } from 'vitest';
import { loadLecturesConfig } from '../../src/config.js';

describe('loadLecturesConfig', () => {
  it('when a token key and the personal-data keys are given, then the defaults make a complete config', () => {
    const config = loadLecturesConfig({
      JWT_JWKS_URL: 'https://id.example/jwks.json',
      ...generatePiiEnvironment(),
    });

    expect(config.MONGODB_DATABASE).toBe('lectures');
  });

  it('when no token key is given, then it names the two variables that could give one', () => {
    expect(() => loadLecturesConfig({})).toThrow(ConfigError);
    expect(() => loadLecturesConfig({})).toThrow(/JWT_PUBLIC_KEY or JWT_JWKS_URL/);
  });
});

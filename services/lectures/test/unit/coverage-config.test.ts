import { ConfigError } from '@learning/config';
import { generatePiiEnvironment } from '@learning/pii';
import { describe, expect, it } from 'vitest';
import { loadLecturesConfig } from '../../src/config.js';

const base = { JWT_JWKS_URL: 'https://id.example/jwks.json', ...generatePiiEnvironment() };

describe('the coverage settings', () => {
  it('when none is given, then gaps are six months, checked daily, and no root is watched', () => {
    const config = loadLecturesConfig(base);

    expect(config.COVERAGE_GAP_MONTHS).toBe(6);
    expect(config.COVERAGE_CHECK_EVERY_MS).toBe(24 * 60 * 60_000);
    expect(config.COVERAGE_CHECK_ROOT).toBeUndefined();
  });

  it('when they are given, then they are read', () => {
    const config = loadLecturesConfig({
      ...base,
      COVERAGE_GAP_MONTHS: '3',
      COVERAGE_CHECK_EVERY_MS: '60000',
      COVERAGE_CHECK_ROOT: '330281000000',
    });

    expect(config.COVERAGE_GAP_MONTHS).toBe(3);
    expect(config.COVERAGE_CHECK_EVERY_MS).toBe(60_000);
    expect(config.COVERAGE_CHECK_ROOT).toBe('330281000000');
  });

  it('when the look-back is out of range or the check too frequent, then the config is refused', () => {
    for (const bad of [
      { COVERAGE_GAP_MONTHS: '0' },
      { COVERAGE_GAP_MONTHS: '121' },
      { COVERAGE_CHECK_EVERY_MS: '10' },
    ])
      expect(() => loadLecturesConfig({ ...base, ...bad }), JSON.stringify(bad)).toThrow(
        ConfigError,
      );
  });
});

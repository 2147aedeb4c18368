import { ConfigError } from '@learning/config';
import { generatePiiEnvironment } from '@learning/pii';
import { describe, expect, it } from 'vitest';
import { loadRegistrationConfig } from '../../src/config.js';

const base = {
  JWT_JWKS_URL: 'https://id.example/jwks.json',
  ...generatePiiEnvironment(),
};

describe('PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS', () => {
  it('when it is not set, then claim codes are valid for 14 days', () => {
    expect(loadRegistrationConfig(base).PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS).toBe(14);
  });

  it('when it is set within 1 to 90 days, then it is used', () => {
    expect(
      loadRegistrationConfig({ ...base, PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS: '3' })
        .PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS,
    ).toBe(3);
  });

  it('when it is zero, over 90 or not a number, then the configuration is refused naming it', () => {
    for (const value of ['0', '91', 'two weeks']) {
      let problems: readonly string[] = [];
      try {
        loadRegistrationConfig({ ...base, PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS: value });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        problems = (error as ConfigError).problems;
      }
      expect({
        value,
        named: problems.some((p) => p.startsWith('PARTICIPANT_CLAIM_CODE_VALIDITY_DAYS:')),
      }).toEqual({
        value,
        named: true,
      });
    }
  });
});

import { ConfigError } from '@learning/config';
import { generatePiiEnvironment } from '@learning/pii';
import { describe, expect, it } from 'vitest';
import { loadNotificationsConfig } from '../../src/config.js';

const required = { JWT_JWKS_URL: 'https://id.example/jwks.json', ...generatePiiEnvironment() };

describe('loadNotificationsConfig', () => {
  it('when only a token key and the secret keys are given, then the defaults make a complete config', () => {
    const config = loadNotificationsConfig(required);

    expect(config.MONGODB_DATABASE).toBe('notifications');
    expect(config.CITY_TIME_ZONE).toBe('Asia/Shanghai');
    expect(config.WEBHOOK_TARGET_POLICY).toBe('production');
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('when no token key is given, then it names the two variables that could give one', () => {
    expect(() => loadNotificationsConfig({})).toThrow(ConfigError);
    expect(() => loadNotificationsConfig({})).toThrow(/JWT_PUBLIC_KEY or JWT_JWKS_URL/);
  });

  it('when the encryption key is malformed, then it says so without echoing the key', () => {
    const attempt = () =>
      loadNotificationsConfig({ ...required, PII_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' });

    expect(attempt).toThrow(/PII_ENCRYPTION_KEYS: key "k1" must decode to 32 bytes/);
    expect(attempt).not.toThrow(/c2hvcnQ/);
  });

  it('when the city time zone is not an IANA zone, then it is refused by name', () => {
    expect(() => loadNotificationsConfig({ ...required, CITY_TIME_ZONE: 'Mars/Olympus' })).toThrow(
      /CITY_TIME_ZONE "Mars\/Olympus" is not an IANA time zone/,
    );
  });

  it('when a gateway URL has the wrong scheme or the target policy is unknown, then both are refused', () => {
    expect(() => loadNotificationsConfig({ ...required, SMTP_URL: 'http://mail.local' })).toThrow(
      /SMTP_URL/,
    );
    expect(() => loadNotificationsConfig({ ...required, WEBHOOK_TARGET_POLICY: 'open' })).toThrow(
      /WEBHOOK_TARGET_POLICY/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import {
  ConfigError,
  commonEnv,
  env,
  listOf,
  loadConfig,
  mongoEnv,
  trustedProxiesOf,
  verificationKeyProblems,
} from '../../src/index.js';
import { randomBytes } from 'node:crypto';

const schema = Type.Object({
  ...commonEnv,
  ...mongoEnv,
  IMPORT_BATCH_SIZE: env.integer({ default: 500, minimum: 1 }),
  JWT_SECRET: env.string(),
});

describe('loadConfig', () => {
  it('when every variable is valid, then values are converted, defaults applied and the result frozen', () => {
    const config = loadConfig(schema, {
      HTTP_PORT: '8080',
      MONGODB_DATABASE: 'registration',
      JWT_SECRET: 's3cret',
      UNRELATED: 'ignored',
    });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.IMPORT_BATCH_SIZE).toBe(500);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.MONGODB_URI).toBe('mongodb://127.0.0.1:27017');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.keys(config)).not.toContain('UNRELATED');
  });

  it('when several variables are bad or missing, then one error lists every one of them', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { HTTP_PORT: 'eighty', LOG_LEVEL: 'loud', MONGODB_URI: 'postgres://x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/HTTP_PORT: .*"eighty"/);
    expect(problems).toMatch(/LOG_LEVEL: .*"loud"/);
    expect(problems).toMatch(/MONGODB_URI: /);
    expect(problems).toContain('MONGODB_DATABASE is required but not set');
    expect(problems).toContain('JWT_SECRET is required but not set');
  });

  it('when a secret is invalid, then its value is not echoed in the message', () => {
    const secretSchema = Type.Object({ API_TOKEN: env.string({ minLength: 20 }) });
    expect(() => loadConfig(secretSchema, { API_TOKEN: 'short-token' })).toThrow(
      /API_TOKEN: .*a hidden value/,
    );
    expect(() => loadConfig(secretSchema, { API_TOKEN: 'short-token' })).not.toThrow(/short-token/);
  });

  it('when a variable is set to the empty string, then its default applies', () => {
    const config = loadConfig(schema, { HTTP_PORT: '', MONGODB_DATABASE: 'x', JWT_SECRET: 'y' });
    expect(config.HTTP_PORT).toBe(0);
  });
});

describe('listOf', () => {
  it('when a comma-separated list has spaces and empty items, then it yields the trimmed items', () => {
    expect(listOf(' a:1, b:2 ,,c:3')).toEqual(['a:1', 'b:2', 'c:3']);
  });
});

describe('HTTP_TRUSTED_PROXIES and HTTP_CORS_ORIGINS', () => {
  const base = { MONGODB_DATABASE: 'x', JWT_SECRET: 'y' };

  it('when neither is set, then no proxy is trusted and no origin granted', () => {
    const config = loadConfig(schema, base);
    expect(trustedProxiesOf(config.HTTP_TRUSTED_PROXIES)).toBe(false);
    expect(config.HTTP_CORS_ORIGINS).toBeUndefined();
  });

  it.each([
    ['1', 1],
    ['0', false],
    ['10.0.0.0/8,127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
    ['fd00::/8', ['fd00::/8']],
  ])('when HTTP_TRUSTED_PROXIES is %s, then fastify is told %j', (value, expected) => {
    const config = loadConfig(schema, { ...base, HTTP_TRUSTED_PROXIES: value });
    expect(trustedProxiesOf(config.HTTP_TRUSTED_PROXIES)).toEqual(expected);
  });

  it.each(['true', 'ingress.local', '10.0.0.0/8;rm'])(
    'when HTTP_TRUSTED_PROXIES is %s, then the configuration is refused',
    (value) => {
      expect(() => loadConfig(schema, { ...base, HTTP_TRUSTED_PROXIES: value })).toThrow(
        /HTTP_TRUSTED_PROXIES/,
      );
    },
  );

  it('when HTTP_CORS_ORIGINS lists origins, then they are accepted; a path or a wildcard is refused', () => {
    const origins = 'https://xuexi.city.example,http://127.0.0.1:5173';
    expect(loadConfig(schema, { ...base, HTTP_CORS_ORIGINS: origins }).HTTP_CORS_ORIGINS).toBe(
      origins,
    );
    for (const bad of ['https://xuexi.city.example/app', '*'])
      expect(() => loadConfig(schema, { ...base, HTTP_CORS_ORIGINS: bad })).toThrow(
        /HTTP_CORS_ORIGINS/,
      );
  });
});

describe('verificationKeyProblems', () => {
  it('when the key is base64 of 32 bytes or more, then there is no problem', () => {
    expect(
      verificationKeyProblems({ VERIFICATION_KEY: randomBytes(32).toString('base64') }),
    ).toEqual([]);
  });

  it.each([
    ['too short', randomBytes(31).toString('base64')],
    ['not base64', `${'x'.repeat(44)}!`],
  ])('when the key is %s, then the problem is named without echoing it', (_, key) => {
    const problems = verificationKeyProblems({ VERIFICATION_KEY: key });
    expect(problems).toEqual(['VERIFICATION_KEY must be base64 of at least 32 bytes']);
    expect(problems.join()).not.toContain(key);
  });
});

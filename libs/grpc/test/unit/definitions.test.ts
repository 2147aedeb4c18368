import { health } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import { serviceNameOf, splitPath } from '../../src/definitions.js';
import { retryServiceConfig } from '../../src/index.js';

describe('service definitions', () => {
  it('when given a generated definition, then its fully qualified service name is read from the paths', () => {
    expect(serviceNameOf(health.HealthService)).toBe('grpc.health.v1.Health');
  });

  it('when a path is not /package.Service/Method, then it is refused', () => {
    expect(() => splitPath('grpc.health.v1.Health/Check')).toThrow(TypeError);
  });
});

describe('retryServiceConfig', () => {
  it('when methods are idempotent, then only they get a retry policy on UNAVAILABLE', () => {
    const config = retryServiceConfig(health.HealthService, ['check'], {
      maxAttempts: 4,
      initialBackoffMs: 50,
      maxBackoffMs: 2_000,
    });

    expect(JSON.parse(config ?? 'null')).toEqual({
      methodConfig: [
        {
          name: [{ service: 'grpc.health.v1.Health', method: 'Check' }],
          retryPolicy: {
            maxAttempts: 4,
            initialBackoff: '0.050s',
            maxBackoff: '2.000s',
            backoffMultiplier: 2,
            retryableStatusCodes: ['UNAVAILABLE'],
          },
        },
      ],
    });
  });

  it('when no method is idempotent or one attempt is allowed, then there is no retry policy', () => {
    expect(retryServiceConfig(health.HealthService, [])).toBeUndefined();
    expect(
      retryServiceConfig(health.HealthService, ['check'], {
        maxAttempts: 1,
        initialBackoffMs: 1,
        maxBackoffMs: 1,
      }),
    ).toBeUndefined();
  });

  it('when a named method does not exist, then it is refused', () => {
    expect(() => retryServiceConfig(health.HealthService, ['list'])).toThrow(
      /"list" is not a method/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  addressProblem,
  forbiddenRangeOf,
  matchesFilters,
  mustWait,
  nextAttemptAt,
  retryDelayMs,
  urlProblem,
  type QueuedDelivery,
} from '../../src/domain/webhooks.js';

const open = { organizationKinds: [], leadDepartments: [], jurisdictionCodes: [] };

describe('webhook retries', () => {
  const options = { firstMs: 1_000, maxMs: 60_000 };

  it('when the draw is at its ends, then the delay spans 0 up to first·2^(retry-1), exclusive', () => {
    expect(retryDelayMs(1, options, 0)).toBe(0);
    expect(retryDelayMs(1, options, 0.999_999)).toBe(999);
    expect(retryDelayMs(3, options, 0.999_999)).toBe(3_999);
    expect(retryDelayMs(4, options, 0.5)).toBe(4_000);
  });

  it('when retries go on, then the ceiling stops growing at the cap', () => {
    expect(retryDelayMs(30, options, 0.999_999)).toBe(59_999);
  });

  it('when many draws are made, then every delay lies within its ceiling and they spread over it', () => {
    const delays = Array.from({ length: 1_000 }, (_, index) =>
      retryDelayMs(5, options, index / 1_000),
    );
    expect(Math.min(...delays)).toBe(0);
    expect(Math.max(...delays)).toBeLessThan(16_000);
    expect(Math.max(...delays)).toBeGreaterThan(15_900);
  });

  it('when the window is over, then there is no next attempt (dead letter)', () => {
    const firstAttemptAt = new Date('2026-01-01T00:00:00Z');
    const settings = { firstMs: 1_000, windowMs: 10_000 };
    expect(
      nextAttemptAt(
        { retry: 3, firstAttemptAt, now: new Date('2026-01-01T00:00:10Z') },
        settings,
        0.5,
      ),
    ).toBeNull();
    const next = nextAttemptAt(
      { retry: 20, firstAttemptAt, now: new Date('2026-01-01T00:00:09Z') },
      settings,
      0.999,
    );
    expect(next?.toISOString()).toBe('2026-01-01T00:00:10.000Z');
  });
});

describe('webhook targets', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
  ])('when an address is %s, then it is refused as %s', (address, range) => {
    expect(forbiddenRangeOf(address)).toBe(range);
  });

  it.each(['93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'when an address is public (%s), then it may be called',
    (address) => {
      expect(forbiddenRangeOf(address)).toBeUndefined();
    },
  );

  it('when one of several resolved addresses is private, then the host is refused in production only', () => {
    expect(addressProblem(['8.8.8.8', '10.0.0.1'], 'production')).toMatch(/private/);
    expect(addressProblem(['8.8.8.8', '10.0.0.1'], 'allow-private')).toBeUndefined();
    expect(addressProblem([], 'allow-private')).toMatch(/does not resolve/);
  });

  it('when a URL is not http(s), carries credentials, or is plain http in production, then it is refused', () => {
    expect(urlProblem(new URL('ftp://example.org/x'), 'allow-private')).toMatch(/http/);
    expect(urlProblem(new URL('https://user:pw@example.org/x'), 'production')).toMatch(
      /credentials/,
    );
    expect(urlProblem(new URL('http://example.org/x'), 'production')).toMatch(/https/);
    expect(urlProblem(new URL('http://example.org/x'), 'allow-private')).toBeUndefined();
    expect(urlProblem(new URL('https://example.org/x?token=1'), 'production')).toBeUndefined();
  });
});

describe('webhook filters', () => {
  const event = {
    organizationKind: 'enterprise',
    leadDepartment: 'jingmao-ju',
    jurisdictionPath: ['330281', '330281001', '330281001001'],
  };

  it('when no filter is set, then every event matches', () => {
    expect(matchesFilters(open, { jurisdictionPath: [] })).toBe(true);
  });

  it('when each filter names what the event says, then it matches; another value does not', () => {
    expect(
      matchesFilters(
        {
          organizationKinds: ['enterprise'],
          leadDepartments: ['jingmao-ju'],
          jurisdictionCodes: ['330281001'],
        },
        event,
      ),
    ).toBe(true);
    expect(matchesFilters({ ...open, leadDepartments: ['jiaoyu-ju'] }, event)).toBe(false);
    expect(matchesFilters({ ...open, jurisdictionCodes: ['330281002'] }, event)).toBe(false);
    expect(matchesFilters({ ...open, organizationKinds: ['family'] }, event)).toBe(false);
  });

  it('when the event does not say what a filter asks, then it does not match', () => {
    expect(
      matchesFilters({ ...open, leadDepartments: ['jingmao-ju'] }, { jurisdictionPath: [] }),
    ).toBe(false);
  });
});

describe('webhook ordering', () => {
  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
  const delivery = (
    id: string,
    second: number,
    overrides: Partial<QueuedDelivery> = {},
  ): QueuedDelivery => ({
    id,
    subscriptionId: 's1',
    eventKey: 'k1',
    queuedAt: at(second),
    finished: false,
    ...overrides,
  });

  it('when an earlier delivery of the same subscription and key is unfinished, then the later one waits', () => {
    expect(mustWait(delivery('b', 2), [delivery('a', 1)])).toBe(true);
  });

  it('when the earlier one is finished, or the key or subscription differ, then it goes', () => {
    expect(mustWait(delivery('b', 2), [delivery('a', 1, { finished: true })])).toBe(false);
    expect(mustWait(delivery('b', 2), [delivery('a', 1, { eventKey: 'k2' })])).toBe(false);
    expect(mustWait(delivery('b', 2), [delivery('a', 1, { subscriptionId: 's2' })])).toBe(false);
  });

  it('when the other one was queued later, or at the same time with a greater id, then it does not hold this one', () => {
    expect(mustWait(delivery('a', 1), [delivery('b', 2)])).toBe(false);
    expect(mustWait(delivery('a', 1), [delivery('b', 1)])).toBe(false);
    expect(mustWait(delivery('b', 1), [delivery('a', 1)])).toBe(true);
  });
});

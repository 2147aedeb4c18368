import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { assertPositiveInteger } from './assert.js';
import type { RedisClient } from './client.js';
import { assertKeyPart, redisKey } from './keys.js';

export interface PerSecondQuotaOptions {
  /** Names the quota, e.g. `gateway`; keys live under `ls:quota:<name>:<key>:<epoch second>`. */
  name: string;
  /** Units allowed in each wall-clock second. */
  perSecond: number;
  /** Milliseconds since the epoch; tests pass their own. */
  now?: () => number;
}

export interface QuotaGrant {
  /** How many of the units asked for may be used now (0 when this second is spent). */
  granted: number;
  /** Milliseconds until the next second's units. */
  msUntilNextSecond: number;
}

/**
 * A provider's "N per second" quota shared by every replica. Each wall-clock
 * second is a window of its own (a key per epoch second), as providers count,
 * rather than a window starting at the first call; a caller takes what is
 * left of the current second, up to what it asks, and waits for the next one
 * when nothing is. The counter is rate-limiter-flexible's atomic Redis one.
 */
export class PerSecondQuota {
  readonly #limiter: RateLimiterRedis;
  readonly #perSecond: number;
  readonly #now: () => number;

  constructor(client: RedisClient, options: PerSecondQuotaOptions) {
    assertPositiveInteger('perSecond', options.perSecond);
    this.#perSecond = options.perSecond;
    this.#now = options.now ?? Date.now;
    this.#limiter = new RateLimiterRedis({
      storeClient: client,
      useRedisPackage: true,
      keyPrefix: redisKey('quota', options.name),
      points: options.perSecond,
      // Longer than the second the key names, so a replica whose clock is a little behind Redis's still finds it.
      duration: 5,
    });
  }

  get perSecond(): number {
    return this.#perSecond;
  }

  /**
   * Takes up to `wanted` units of the current second for `key` (e.g. a
   * channel). Redis failures reject with the driver's error.
   */
  async take(key: string, wanted: number): Promise<QuotaGrant> {
    assertKeyPart(key);
    assertPositiveInteger('wanted', wanted);
    const now = this.#now();
    const second = Math.floor(now / 1000);
    const msUntilNextSecond = (second + 1) * 1000 - now;
    const asked = Math.min(wanted, this.#perSecond);
    const windowKey = `${key}:${second}`;
    try {
      await this.#limiter.consume(windowKey, asked);
      return { granted: asked, msUntilNextSecond };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The counter went past the quota by our increment: keep what was left
      // before it, give the rest back. Another caller's increment not yet
      // given back only makes us take less, never more.
      const before = rejection.consumedPoints - asked;
      const granted = Math.max(0, Math.min(asked, this.#perSecond - before));
      await this.#limiter.reward(windowKey, asked - granted);
      return { granted, msUntilNextSecond };
    }
  }
}

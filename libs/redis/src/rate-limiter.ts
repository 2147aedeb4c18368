import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { assertPositiveInteger } from './assert.js';
import type { RedisClient } from './client.js';
import { assertKeyPart, redisKey } from './keys.js';

export interface RateLimitDecision {
  allowed: boolean;
  /** Points left in the current window after this call. */
  remaining: number;
  /** 0 when allowed; otherwise whole seconds until the window resets (at least 1), for `Retry-After`. */
  retryAfterSeconds: number;
  limit: number;
}

export interface RateLimiterOptions {
  /** Names the limit, e.g. `login`; keys live under `ls:ratelimit:<name>:<key>`. */
  name: string;
  /** Points allowed per window. */
  points: number;
  durationSeconds: number;
}

/**
 * A fixed-window limit shared by every replica, on rate-limiter-flexible's
 * atomic Redis counter (one Lua call per consume).
 */
export class RateLimiter {
  readonly #limiter: RateLimiterRedis;
  readonly #points: number;

  constructor(client: RedisClient, options: RateLimiterOptions) {
    assertPositiveInteger('points', options.points);
    assertPositiveInteger('durationSeconds', options.durationSeconds);
    this.#points = options.points;
    this.#limiter = new RateLimiterRedis({
      storeClient: client,
      useRedisPackage: true,
      keyPrefix: redisKey('ratelimit', options.name),
      points: options.points,
      duration: options.durationSeconds,
    });
  }

  /**
   * Takes `points` (default 1) for `key`, e.g. a user id or a client address.
   * Redis failures reject with the driver's error: the caller chooses to fail
   * open or to answer 503.
   */
  async consume(key: string, points = 1): Promise<RateLimitDecision> {
    assertKeyPart(key);
    assertPositiveInteger('points', points);
    try {
      const result = await this.#limiter.consume(key, points);
      return {
        allowed: true,
        remaining: result.remainingPoints,
        retryAfterSeconds: 0,
        limit: this.#points,
      };
    } catch (rejection) {
      // The library rejects with a RateLimiterRes when the limit is exceeded, with an Error otherwise.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return {
        allowed: false,
        remaining: rejection.remainingPoints,
        retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
        limit: this.#points,
      };
    }
  }
}

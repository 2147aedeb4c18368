export {
  connectRedis,
  isRedisUnavailable,
  redisReady,
  RedisConnectionError,
  type ConnectRedisOptions,
  type RedisClient,
} from './client.js';
export {
  redisKey,
  assertKeyPart,
  KEY_PREFIX,
  MAX_KEY_PART_LENGTH,
  INVALID_KEY_CODE,
} from './keys.js';
export { RateLimiter, type RateLimitDecision, type RateLimiterOptions } from './rate-limiter.js';
export {
  IdempotencyStore,
  type IdempotencyBegin,
  type IdempotencyStoreOptions,
  type StoredResponse,
} from './idempotency.js';
export { claimOnce, withLock, LockExpiredError, type LockResult } from './lock.js';
export { PageCache, type PageCacheOptions } from './page-cache.js';
export { PublicPageCache, type PublicPageCacheOptions } from './public-pages.js';
export { PerSecondQuota, type PerSecondQuotaOptions, type QuotaGrant } from './quota.js';
export { RedisLeasedJobs, type LeasedJobProgress, type LeasedJobsOptions } from './leased-jobs.js';

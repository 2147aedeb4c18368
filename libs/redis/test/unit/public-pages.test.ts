import type { Logger } from '@learning/logger';
import { describe, expect, it, vi } from 'vitest';
import type { RedisClient } from '../../src/client.js';
import { PublicPageCache } from '../../src/public-pages.js';

describe('PublicPageCache', () => {
  it('when Redis refuses the invalidation, then it is logged with the cache name and not thrown', async () => {
    const redis = { incr: () => Promise.reject(new Error('down')) } as unknown as RedisClient;
    const warn = vi.fn();
    const pages = new PublicPageCache(redis, { name: 'public-things-db', ttlMs: 60_000 }, {
      warn,
    } as unknown as Logger);

    await expect(pages.invalidate()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ cache: 'public-things-db' }),
      'public pages not invalidated',
    );
  });

  it('when Redis is down on a read, then the page is rendered and served as a miss', async () => {
    const redis = {
      eval: () => Promise.reject(new Error('down')),
      set: () => Promise.reject(new Error('down')),
    } as unknown as RedisClient;
    const pages = new PublicPageCache(redis, { name: 'public-things-db', ttlMs: 60_000 }, {
      warn: vi.fn(),
    } as unknown as Logger);

    await expect(pages.through('k', () => Promise.resolve('page'))).resolves.toEqual({
      page: 'page',
      hit: false,
    });
  });
});

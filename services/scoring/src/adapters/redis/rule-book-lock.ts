/**
 * The rule book's write lock in Redis (libs/redis `withLock`), one per
 * source: the overlap check reads every rule of the source and the write
 * follows, so two writes at once must not both pass it. A write finding the
 * lock held tries again for a moment before it is refused.
 */
import { withLock, type RedisClient } from '@learning/redis';
import { setTimeout as sleep } from 'node:timers/promises';
import { RULE_BOOK_BUSY, rulesErrors } from '../../application/rules/errors.js';
import type { RuleBookLock } from '../../application/rules/ports.js';
import type { SourceKind } from '../../domain/facts.js';

/** Far longer than a check and a write; a crashed holder frees it after this. */
const LOCK_TTL_MS = 10_000;

export interface RuleBookLockOptions {
  /** Tries before RULE_BOOK_BUSY. */
  readonly attempts: number;
  readonly pauseMs: number;
}

export class RedisRuleBookLock implements RuleBookLock {
  constructor(
    private readonly redis: RedisClient,
    /** Per deployment (its database), so two sharing a Redis never wait for each other. */
    private readonly name: string,
    private readonly options: RuleBookLockOptions = { attempts: 20, pauseMs: 100 },
  ) {}

  async holding<T>(source: SourceKind, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; attempt <= this.options.attempts; attempt += 1) {
      const result = await withLock(this.redis, `${this.name}:${source}`, LOCK_TTL_MS, work);
      if (result.acquired) return result.value;
      if (attempt < this.options.attempts) await sleep(this.options.pauseMs);
    }
    throw rulesErrors.error(
      RULE_BOOK_BUSY,
      'Another change to the rules of this source is being written; try again in a moment.',
    );
  }
}

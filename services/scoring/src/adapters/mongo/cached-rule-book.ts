/**
 * The rule book, remembered for a few seconds per source and year: every
 * fact of a storm would otherwise read the rules again. A rule change takes
 * effect from tomorrow (city calendar) at the earliest (decision 0016), and
 * an entry never outlives the city midnight after it was read: every rule
 * written before that midnight is then seen by every fact dated after it,
 * and a fact of today is never evaluated under rules that could change today.
 */
import { addDays, chinaDateOf, chinaMidnight } from '@learning/domain';
import { LRUCache } from 'lru-cache';
import type { RuleBook } from '../../application/ports.js';
import type { SourceKind } from '../../domain/facts.js';
import type { CreditRule } from '../../domain/rules.js';

export const RULE_CACHE_TTL_MS = 10_000;

interface Entry {
  readonly rules: readonly CreditRule[];
  /** Epoch ms: the TTL or the next city midnight, whichever is first. */
  readonly expiresAt: number;
}

export class CachedRuleBook implements RuleBook {
  // Expiry is checked against the injected clock (lru-cache's own TTL reads
  // performance.now, which neither the service's clock nor a test reaches).
  private readonly cache = new LRUCache<string, Entry>({ max: 256 }); // sources × years: a handful

  constructor(
    private readonly rules: RuleBook,
    private readonly clock: () => Date = () => new Date(),
    private readonly ttlMs = RULE_CACHE_TTL_MS,
  ) {}

  async rulesFor(source: SourceKind, year: number): Promise<readonly CreditRule[]> {
    const key = `${source}|${year}`;
    const now = this.clock();
    const cached = this.cache.get(key);
    if (cached !== undefined && now.getTime() < cached.expiresAt) return cached.rules;
    const rules = await this.rules.rulesFor(source, year);
    const midnight = chinaMidnight(addDays(chinaDateOf(now), 1)).getTime();
    this.cache.set(key, { rules, expiresAt: Math.min(now.getTime() + this.ttlMs, midnight) });
    return rules;
  }
}

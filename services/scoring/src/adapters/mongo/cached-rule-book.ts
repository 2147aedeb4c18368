/**
 * The rule book, remembered for a few seconds per source and year: every
 * fact of a storm would otherwise read the rules again. A short cache is
 * safe because a rule change takes effect from today at the earliest
 * (decision 0016): what was credited under the old answer is evaluated
 * again at the holder's next fact, and the cache is gone well before that
 * matters.
 */
import { LRUCache } from 'lru-cache';
import type { RuleBook } from '../../application/ports.js';
import type { SourceKind } from '../../domain/facts.js';
import type { CreditRule } from '../../domain/rules.js';

export const RULE_CACHE_TTL_MS = 10_000;

export class CachedRuleBook implements RuleBook {
  private readonly cache: LRUCache<string, readonly CreditRule[]>;

  constructor(
    private readonly rules: RuleBook,
    ttlMs = RULE_CACHE_TTL_MS,
  ) {
    // Sources × years in play: a handful.
    this.cache = new LRUCache({ max: 256, ttl: ttlMs });
  }

  async rulesFor(source: SourceKind, year: number): Promise<readonly CreditRule[]> {
    const key = `${source}|${year}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const rules = await this.rules.rulesFor(source, year);
    this.cache.set(key, rules);
    return rules;
  }
}

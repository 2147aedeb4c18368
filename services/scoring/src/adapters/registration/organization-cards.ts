/**
 * Organizations' names and kinds for the boards, from registration, kept in
 * this process for a few minutes: every award to an organization needs its
 * kind, and a kind or a name changes rarely.
 */
import { LRUCache } from 'lru-cache';
import type { OrganizationCard, OrganizationCards } from '../../application/leaderboards/ports.js';
import type { Organizations } from '../../application/ports.js';

/** Organizations kept in memory at most. */
const MAX_CARDS = 10_000;

export class CachedOrganizationCards implements OrganizationCards {
  private readonly cache: LRUCache<string, OrganizationCard>;

  constructor(
    private readonly organizations: Organizations,
    ttlMs: number,
  ) {
    this.cache = new LRUCache({ max: MAX_CARDS, ttl: ttlMs });
  }

  async of(ids: readonly string[]): Promise<ReadonlyMap<string, OrganizationCard>> {
    const cards = new Map<string, OrganizationCard>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const card = this.cache.get(id);
      if (card === undefined) missing.push(id);
      else cards.set(id, card);
    }
    if (missing.length === 0) return cards;
    for (const [id, organization] of await this.organizations.find(missing)) {
      const card = { name: organization.name, kind: organization.kind };
      this.cache.set(id, card);
      cards.set(id, card);
    }
    return cards;
  }
}

/**
 * Registration's directory as facts need it, remembered in-process for a
 * minute: a contest's results or a storm of lessons ask for the same people
 * again and again, and a place a minute old is as good as the event's time.
 */
import { LRUCache } from 'lru-cache';
import type { HolderDirectory, HolderPlace } from '../../application/credits/ports.js';
import type { Organizations, Participants } from '../../application/ports.js';

export const DIRECTORY_CACHE_TTL_MS = 60_000;
const DIRECTORY_CACHE_SIZE = 50_000;

/** Registration not knowing someone is an answer too; it is not cached, so a late registration is found. */
export class CachedHolderDirectory implements HolderDirectory {
  private readonly cache: LRUCache<string, HolderPlace>;

  constructor(
    private readonly participants: Participants,
    private readonly organizations: Organizations,
    ttlMs = DIRECTORY_CACHE_TTL_MS,
  ) {
    this.cache = new LRUCache({ max: DIRECTORY_CACHE_SIZE, ttl: ttlMs });
  }

  private async remembered(
    key: string,
    read: () => Promise<HolderPlace | null>,
  ): Promise<HolderPlace | null> {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const place = await read();
    if (place !== null) this.cache.set(key, place);
    return place;
  }

  person(participantId: string): Promise<HolderPlace | null> {
    return this.remembered(`person:${participantId}`, async () => {
      const participant = (await this.participants.byIds([participantId])).get(participantId);
      return participant === undefined
        ? null
        : {
            tier: participant.tier,
            jurisdictionPath: [...participant.jurisdictionPath],
            organizationIds: [...participant.organizationIds],
          };
    });
  }

  organization(organizationId: string): Promise<HolderPlace | null> {
    return this.remembered(`organization:${organizationId}`, async () => {
      const organization = (await this.organizations.find([organizationId])).get(organizationId);
      return organization === undefined
        ? null
        : {
            tier: null,
            jurisdictionPath: [...organization.jurisdictionPath],
            organizationIds: [organizationId],
          };
    });
  }
}

/**
 * Persons' names as public lists show them: asked of registration, masked at
 * once (张*明) and only the masked form kept in Redis for a while, so a page
 * of a hot board costs registration nothing and no full name is stored.
 */
import { maskPersonName } from '@learning/domain';
import type { RedisClient } from '@learning/redis';
import { redisKey } from '@learning/redis';
import type { MaskedNames } from '../../application/leaderboards/ports.js';
import type { Participants } from '../../application/ports.js';

const maskedNameKey = (namespace: string, participantId: string): string =>
  redisKey('scoring', namespace, 'masked-name', participantId);

/** Drops a person's cached masked name at once (their account was closed) rather than at its expiry. */
export async function forgetMaskedName(
  redis: RedisClient,
  namespace: string,
  participantId: string,
): Promise<void> {
  await redis.del(maskedNameKey(namespace, participantId));
}

export class CachedMaskedNames implements MaskedNames {
  constructor(
    private readonly redis: RedisClient,
    private readonly participants: Participants,
    private readonly namespace: string,
    private readonly ttlMs: number,
  ) {}

  private key(participantId: string): string {
    return maskedNameKey(this.namespace, participantId);
  }

  async of(participantIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const names = new Map<string, string>();
    if (participantIds.length === 0) return names;
    // A cache that is down only costs registration a call.
    const cached = await this.redis
      .mGet(participantIds.map((id) => this.key(id)))
      .catch(() => participantIds.map(() => null));
    const missing: string[] = [];
    participantIds.forEach((id, index) => {
      const name = cached[index];
      if (typeof name === 'string') names.set(id, name);
      else missing.push(id);
    });
    if (missing.length === 0) return names;
    const found = await this.participants.byIds(missing);
    const store = this.redis.multi();
    for (const [id, participant] of found) {
      const masked = maskPersonName(participant.name);
      names.set(id, masked);
      store.set(this.key(id), masked, { expiration: { type: 'PX', value: this.ttlMs } });
    }
    await store.exec().catch(() => undefined);
    return names;
  }
}

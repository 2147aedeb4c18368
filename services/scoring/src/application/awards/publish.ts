/** The office publishes a round's awards; the public list shows published awards, persons by masked name. */
import type { Principal } from '@learning/auth';
import { chinaDateOf } from '@learning/domain';
import { phaseOf } from '../../domain/awards.js';
import { roundAudit } from './audit.js';
import type { AwardsDeps } from './deps.js';
import { roundNotFound, roundNotPublishable } from './errors.js';
import type { Award, AwardRound, AwardsStore, Page, PublicAwardQuery } from './ports.js';

export type PublishRound = (principal: Principal, roundId: string) => Promise<AwardRound>;

export const publishRound =
  ({ store, publicPages, audit, clock }: AwardsDeps): PublishRound =>
  async (principal, roundId) => {
    const now = clock();
    const round = await store.round(roundId);
    if (round === null) throw roundNotFound();
    const awards = await store.awardsOf(roundId);
    if (phaseOf(round, chinaDateOf(now)) !== 'reviewing' || awards.length === 0)
      throw roundNotPublishable();
    const published: AwardRound = { ...round, status: 'published', publishedAt: now };
    // The store publishes only a round still open: of two publications at once, one wins.
    const changed = await store.publish(roundId, now, [
      roundAudit(audit, principal, 'award_round.publish', round, published),
    ]);
    if (!changed) throw roundNotPublishable();
    await publicPages.invalidate();
    return published;
  };

export type PublicAwards = (query: PublicAwardQuery) => Promise<Page<Award>>;

export const publicAwards =
  (store: AwardsStore): PublicAwards =>
  (query) =>
    store.publicAwards(query);

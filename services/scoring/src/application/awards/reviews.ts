/**
 * The expert group's review: one score per expert and nomination while the
 * round is in review, never of their own organization or of themselves, and
 * a recusal an expert may declare instead. The list shows each nomination's
 * mean and count of scores and the caller's own review, not others' comments.
 */
import type { Principal } from '@learning/auth';
import { chinaDateOf, domainCall } from '@learning/domain';
import { checkMayReview, checkReviewing, meanScore, phaseOf } from '../../domain/awards.js';
import type { AwardsDeps } from './deps.js';
import { nominationNotFound, roundNotFound } from './errors.js';
import type { AwardRound, Nomination, PageAsked, Review } from './ports.js';

export interface ReviewRequest {
  readonly score: number;
  readonly comment: string;
}

export interface NominationStanding {
  readonly nomination: Nomination;
  readonly reviewCount: number;
  /** Hundredths of a point; null before the first review. */
  readonly meanScore: number | null;
  readonly ownReview: Review | null;
  readonly recused: boolean;
}

const standingOf = (nomination: Nomination, reader: string): NominationStanding => ({
  nomination,
  reviewCount: nomination.reviews.length,
  meanScore: meanScore(nomination.reviews.map((review) => review.score)),
  ownReview: nomination.reviews.find((review) => review.expertId === reader) ?? null,
  recused: nomination.recusals.some((recusal) => recusal.expertId === reader),
});

async function inReview(
  { store, clock }: Pick<AwardsDeps, 'store' | 'clock'>,
  nominationId: string,
): Promise<{ nomination: Nomination; round: AwardRound; now: Date }> {
  const now = clock();
  const nomination = await store.nomination(nominationId);
  if (nomination === null) throw nominationNotFound();
  const round = await store.round(nomination.roundId);
  if (round === null) throw nominationNotFound();
  domainCall(() => {
    checkReviewing(phaseOf(round, chinaDateOf(now)));
  });
  return { nomination, round, now };
}

export type ReviewNomination = (
  principal: Principal,
  nominationId: string,
  request: ReviewRequest,
) => Promise<NominationStanding>;

export const reviewNomination =
  (deps: AwardsDeps): ReviewNomination =>
  async (principal, nominationId, request) => {
    const { nomination, now } = await inReview(deps, nominationId);
    const participant = await deps.directory.participantOf(principal.subject);
    domainCall(() => {
      checkMayReview(
        {
          nomineeKind: nomination.nominee.kind,
          nomineeId: nomination.nominee.id,
          recusedExpertIds: nomination.recusals.map((recusal) => recusal.expertId),
        },
        principal.subject,
        {
          organizationIds: [...principal.organizations, ...(participant?.organizationIds ?? [])],
          participantId: participant?.id ?? null,
        },
      );
    });
    const saved = await deps.store.saveReview(nominationId, {
      expertId: principal.subject,
      score: request.score,
      comment: request.comment,
      reviewedAt: now,
    });
    return standingOf(saved, principal.subject);
  };

export type DeclareRecusal = (
  principal: Principal,
  nominationId: string,
  reason: string,
) => Promise<NominationStanding>;

export const declareRecusal =
  (deps: AwardsDeps): DeclareRecusal =>
  async (principal, nominationId, reason) => {
    const { now } = await inReview(deps, nominationId);
    const saved = await deps.store.recuse(nominationId, {
      expertId: principal.subject,
      reason,
      declaredAt: now,
    });
    return standingOf(saved, principal.subject);
  };

export type ListNominations = (
  principal: Principal,
  roundId: string,
  page: PageAsked,
) => Promise<{ items: NominationStanding[]; nextPageToken: string | null }>;

export const listNominations =
  ({ store }: Pick<AwardsDeps, 'store'>): ListNominations =>
  async (principal, roundId, page) => {
    if ((await store.round(roundId)) === null) throw roundNotFound();
    const found = await store.nominations(roundId, page);
    return {
      items: found.items.map((nomination) => standingOf(nomination, principal.subject)),
      nextPageToken: found.nextPageToken,
    };
  };

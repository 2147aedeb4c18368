/**
 * The office approves nominations within the round's places: each becomes an
 * award, its material award committed against the round's funding line
 * first (a conditional decrement), and AwardGranted published with it.
 * Approving an approved nomination again grants nothing more.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '@learning/auth';
import {
  awardCategoryMapping,
  evaluationEvents,
  organizationKindMapping,
} from '@learning/contracts';
import { chinaDateOf, domainCall, formatYuan } from '@learning/domain';
import { newEvent, type OutboxEntry } from '@learning/events';
import { scoring, common } from '@learning/proto';
import { APPROVAL_NOMINATION_UNKNOWN, newlyApproved, phaseOf } from '../../domain/awards.js';
import { grantAudit } from './audit.js';
import type { AwardsDeps } from './deps.js';
import { awardsErrors, roundNotFound } from './errors.js';
import type { Award, AwardRound } from './ports.js';

export type ApproveNominations = (
  principal: Principal,
  roundId: string,
  nominationIds: readonly string[],
) => Promise<readonly Award[]>;

/** AwardGranted, keyed by the nominee. */
export const awardGranted = (award: Award): OutboxEntry =>
  newEvent(evaluationEvents.AwardGranted, award.nominee.id, {
    awardId: award.id,
    nominationId: award.nominationId,
    year: award.year,
    category: awardCategoryMapping.toProto(award.category),
    organizationKind:
      award.organizationKind === null
        ? common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED
        : organizationKindMapping.toProto(award.organizationKind),
    nomineeKind:
      award.nominee.kind === 'organization'
        ? scoring.NomineeKind.NOMINEE_KIND_ORGANIZATION
        : scoring.NomineeKind.NOMINEE_KIND_PERSON,
    nomineeId: award.nominee.id,
    materialAwardYuan: award.materialAwardFen === 0 ? '' : formatYuan(award.materialAwardFen),
    fundingLineId: award.fundingLineId ?? '',
    grantedAt: award.grantedAt,
    jurisdictionPath: [...award.nominee.jurisdictionPath],
    leadDepartment: award.nominee.leadDepartment ?? '',
  });

export const approveNominations =
  ({ store, funding, audit, clock }: AwardsDeps): ApproveNominations =>
  async (principal, roundId, nominationIds) => {
    const now = clock();
    const round = await store.round(roundId);
    if (round === null) throw roundNotFound();
    const awarded = await store.awardsOf(roundId);
    const added = domainCall(() =>
      newlyApproved(
        nominationIds,
        awarded.map((award) => award.nominationId),
        round.places,
        phaseOf(round, chinaDateOf(now)),
      ),
    );
    const nominations = await Promise.all(added.map((id) => store.nomination(id)));
    const nominees = nominations.map((nomination, index) => {
      if (nomination?.roundId !== roundId)
        throw awardsErrors.error(
          APPROVAL_NOMINATION_UNKNOWN,
          `Nomination ${added[index] ?? ''} is not one of the round’s.`,
        );
      return nomination;
    });
    let place = awarded.length;
    for (const nomination of nominees) {
      place += 1;
      await grantOne({ store, funding, audit }, principal, round, {
        id: randomUUID(),
        nominationId: nomination.id,
        roundId,
        year: round.year,
        category: round.category,
        organizationKind: round.organizationKind,
        nominee: nomination.nominee,
        place,
        materialAwardFen: round.materialAwardFen,
        fundingLineId: round.fundingLineId,
        grantedBy: principal.subject,
        grantedAt: now,
        publishedAt: null,
      });
    }
    return store.awardsOf(roundId);
  };

/**
 * Commits the money, then writes the award. The commitment's reference is
 * the nomination (one award each), so an approval retried after a failure
 * between the two writes commits nothing twice and grants what was left.
 */
async function grantOne(
  { store, funding, audit }: Pick<AwardsDeps, 'store' | 'funding' | 'audit'>,
  principal: Principal,
  round: AwardRound,
  award: Award,
): Promise<void> {
  if (round.fundingLineId !== null && round.materialAwardFen > 0)
    await funding.commit(
      round.fundingLineId,
      round.materialAwardFen,
      `nomination:${award.nominationId}`,
    );
  await store.grant(award, [awardGranted(award), grantAudit(audit, principal, award)]);
}

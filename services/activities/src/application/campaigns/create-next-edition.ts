/**
 * "Next year's edition with one action": a draft of the series' following
 * year, dated by the rule and carrying the structure over (audience, scope,
 * goals, sub-campaigns). The store's unique edition key makes a second
 * request, or a racing one, meet the edition that exists.
 */
import { domainCall } from '@learning/domain';
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { nextEdition } from '../../domain/recurrence.js';
import { findManaged } from './access.js';
import type { CampaignRepository, NewCampaign, StoredCampaign } from './campaign-repository.js';
import { draftStamp, storeDraft } from './create-campaign.js';
import { campaignEditionExists } from './errors.js';
import { auditViewOf, planOf } from './events.js';

export interface CreateNextEditionDeps {
  readonly campaigns: CampaignRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export function createNextEdition(deps: CreateNextEditionDeps) {
  const newId = deps.newId ?? randomUUID;
  const editionExists = async (seriesId: string, year: number): Promise<never> => {
    const existing = await deps.campaigns.findEdition(seriesId, year);
    // The unique key was hit, so the edition exists unless it vanished in between.
    if (existing === null)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'The series changed; try again.');
    throw campaignEditionExists(year, existing.id);
  };
  return async (principal: Principal, id: string): Promise<StoredCampaign> => {
    const source = await findManaged(deps.campaigns, principal, id);
    const plan = domainCall(() => nextEdition(planOf(source)));
    if ((await deps.campaigns.findEdition(plan.seriesId, plan.year)) !== null)
      return editionExists(plan.seriesId, plan.year);
    const editionId = newId();
    const now = deps.clock();
    const edition: Omit<NewCampaign, 'events'> = {
      id: editionId,
      seriesId: plan.seriesId,
      year: plan.year,
      title: plan.title,
      description: source.description,
      ownerDepartment: plan.ownerDepartment,
      rule: plan.rule,
      startsOn: plan.startsOn,
      endsOn: plan.endsOn,
      targetTiers: plan.targetTiers,
      categories: plan.categories,
      jurisdictionCode: source.jurisdictionCode,
      jurisdictionPath: source.jurisdictionPath,
      goals: plan.goals,
      subCampaigns: plan.subCampaigns,
      previousEditionId: source.id,
      ...draftStamp(principal.subject, now),
    };
    try {
      return await storeDraft(deps, principal, 'campaign.create_next_edition', edition, {
        ...auditViewOf(edition),
        previousEditionId: source.id,
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'CAMPAIGN_ALREADY_EXISTS')
        return editionExists(plan.seriesId, plan.year);
      throw error;
    }
  };
}

export type CreateNextEdition = ReturnType<typeof createNextEdition>;

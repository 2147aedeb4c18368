/**
 * Who sees which campaign. Launched and closed campaigns are public (the
 * portal lists them); a draft is seen by city admins and the officers of
 * its owner department only, and reads as "not found" to anyone else.
 */
import { domainCall } from '@learning/domain';
import type { Principal } from '@learning/auth';
import {
  assertMayManageCampaign,
  mayManageCampaign,
  type CampaignStatus,
} from '../../domain/recurrence.js';
import type {
  CampaignRepository,
  CampaignVisibility,
  StoredCampaign,
} from './campaign-repository.js';
import { campaignNotFound } from './errors.js';

export function visibilityOf(principal: Principal | undefined): CampaignVisibility {
  if (principal?.roles.includes('city_admin') === true) return { kind: 'all' };
  if (
    principal?.roles.includes('department_officer') === true &&
    principal.department !== undefined
  )
    return { kind: 'launched_or_owned', department: principal.department };
  return { kind: 'launched' };
}

const isPublic = (status: CampaignStatus): boolean => status !== 'draft';

export function mayRead(principal: Principal | undefined, campaign: StoredCampaign): boolean {
  return (
    isPublic(campaign.status) ||
    (principal !== undefined && mayManageCampaign(principal, campaign.ownerDepartment))
  );
}

/** The campaign as `principal` may see it; CAMPAIGN_NOT_FOUND when they may not. */
export async function findVisible(
  campaigns: CampaignRepository,
  principal: Principal | undefined,
  id: string,
): Promise<StoredCampaign> {
  const campaign = await campaigns.get(id);
  if (campaign === null || !mayRead(principal, campaign)) throw campaignNotFound();
  return campaign;
}

/** The campaign, when `principal` may manage it: not found if unseen, forbidden if only read. */
export async function findManaged(
  campaigns: CampaignRepository,
  principal: Principal,
  id: string,
): Promise<StoredCampaign> {
  const campaign = await findVisible(campaigns, principal, id);
  domainCall(() => {
    assertMayManageCampaign(principal, campaign.ownerDepartment);
  });
  return campaign;
}

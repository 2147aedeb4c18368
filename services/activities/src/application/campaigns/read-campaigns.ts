/** One campaign, or a list, as the reader may see them: launched ones by anyone, drafts by their owners. */
import type { Principal } from '@learning/auth';
import type { ContentCategory, Tier } from '@learning/domain';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import type { CampaignStatus } from '../../domain/recurrence.js';
import type { Jurisdictions } from '../ports.js';
import { findVisible, visibilityOf } from './access.js';
import type { CampaignPage, CampaignRepository, StoredCampaign } from './campaign-repository.js';
import { scopePathOf } from './create-campaign.js';

export interface ReadCampaignsDeps {
  readonly campaigns: CampaignRepository;
  readonly jurisdictions: Jurisdictions;
}

export function getCampaign(deps: Pick<ReadCampaignsDeps, 'campaigns'>) {
  return (principal: Principal | undefined, id: string): Promise<StoredCampaign> =>
    findVisible(deps.campaigns, principal, id);
}

export interface ListCampaignsRequest {
  readonly year?: number;
  readonly status?: CampaignStatus;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  readonly ownerDepartment?: string;
  /** Campaigns that cover this place: scoped to it or to one of its ancestors. */
  readonly coveringJurisdiction?: string;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export function listCampaigns(deps: ReadCampaignsDeps) {
  return async (
    principal: Principal | undefined,
    request: ListCampaignsRequest,
  ): Promise<CampaignPage> => {
    const { coveringJurisdiction, pageSize, ...filters } = request;
    const scopeRootIn =
      coveringJurisdiction === undefined
        ? undefined
        : await scopePathOf(deps.jurisdictions, coveringJurisdiction, '/coveringJurisdiction');
    return deps.campaigns.search({
      ...filters,
      ...(scopeRootIn === undefined ? {} : { scopeRootIn }),
      visibility: visibilityOf(principal),
      pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
    });
  };
}

export type GetCampaign = ReturnType<typeof getCampaign>;
export type ListCampaigns = ReturnType<typeof listCampaigns>;

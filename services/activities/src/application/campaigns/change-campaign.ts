/**
 * The owner edits a draft: its title, description, dates (within the same
 * year, and on the rule for a fixed window), audience, scope, goals and
 * sub-campaigns. The whole plan is checked again as it would become.
 */
import { domainCall } from '@learning/domain';
import type { AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { assertEditable, validateCampaign } from '../../domain/recurrence.js';
import type { Jurisdictions } from '../ports.js';
import { findManaged } from './access.js';
import type {
  CampaignFields,
  CampaignPlanFields,
  CampaignRepository,
  StoredCampaign,
} from './campaign-repository.js';
import { scopePathOf } from './create-campaign.js';
import { CAMPAIGN_CHANGE_EMPTY, campaignErrors } from './errors.js';
import { planOf } from './events.js';
import { assertVersion, storeChange } from './status-move.js';

export interface ChangeCampaignRequest extends Partial<CampaignPlanFields> {
  /** The version the editor read. */
  readonly version: number;
}

export interface ChangeCampaignDeps {
  readonly campaigns: CampaignRepository;
  readonly jurisdictions: Jurisdictions;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export function changeCampaign(deps: ChangeCampaignDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ChangeCampaignRequest,
  ): Promise<StoredCampaign> => {
    const { version, jurisdictionCode, ...fields } = request;
    if (Object.keys(fields).length === 0 && jurisdictionCode === undefined)
      throw campaignErrors.error(CAMPAIGN_CHANGE_EMPTY, 'Name at least one field to change.');
    const campaign = await findManaged(deps.campaigns, principal, id);
    assertVersion(campaign, version);
    domainCall(() => {
      assertEditable(campaign.status);
    });
    const set: Partial<CampaignFields> = {
      ...fields,
      ...(fields.title === undefined ? {} : { title: fields.title.trim() }),
      ...(fields.description === undefined ? {} : { description: fields.description.trim() }),
      ...(jurisdictionCode === undefined
        ? {}
        : {
            jurisdictionCode,
            jurisdictionPath: await scopePathOf(
              deps.jurisdictions,
              jurisdictionCode,
              '/jurisdictionCode',
            ),
          }),
    };
    const after: StoredCampaign = { ...campaign, ...set };
    domainCall(() => validateCampaign(planOf(after)));
    return storeChange(deps, principal, 'campaign.change', campaign, {
      set,
      at: deps.clock(),
    });
  };
}

export type ChangeCampaign = ReturnType<typeof changeCampaign>;

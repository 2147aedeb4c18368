/**
 * The owner edits a draft: its title, description, dates (within the same
 * year, and on the rule for a fixed window), audience, scope, goals and
 * sub-campaigns. The whole plan is checked again as it would become.
 */
import { domainCall } from '@learning/domain';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { ContentCategory, Tier } from '@learning/domain';
import {
  assertEditable,
  validateCampaign,
  type CampaignGoal,
  type SubCampaign,
} from '../../domain/recurrence.js';
import type { Jurisdictions } from '../ports.js';
import { findManaged } from './access.js';
import type { CampaignFields, CampaignRepository, StoredCampaign } from './campaign-repository.js';
import { scopePathOf } from './create-campaign.js';
import { CAMPAIGN_CHANGE_EMPTY } from './errors.js';
import { auditViewOf, planOf } from './events.js';

export interface ChangeCampaignRequest {
  /** The version the editor read. */
  readonly version: number;
  readonly title?: string;
  readonly description?: string;
  readonly startsOn?: string;
  readonly endsOn?: string;
  readonly targetTiers?: readonly Tier[];
  readonly categories?: readonly ContentCategory[];
  readonly jurisdictionCode?: string;
  readonly goals?: readonly CampaignGoal[];
  readonly subCampaigns?: readonly SubCampaign[];
}

export interface ChangeCampaignDeps {
  readonly campaigns: CampaignRepository;
  readonly jurisdictions: Jurisdictions;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The campaign was changed by someone else; reload it and try again.',
  );

export function changeCampaign(deps: ChangeCampaignDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ChangeCampaignRequest,
  ): Promise<StoredCampaign> => {
    const { version, jurisdictionCode, ...fields } = request;
    if (Object.keys(fields).length === 0 && jurisdictionCode === undefined)
      throw new AppError(
        'invalid_argument',
        CAMPAIGN_CHANGE_EMPTY,
        'Name at least one field to change.',
      );
    const campaign = await findManaged(deps.campaigns, principal, id);
    if (campaign.version !== version) throw versionConflict();
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
    const now = deps.clock();
    return deps.campaigns.change({
      id,
      expectedVersion: campaign.version,
      updatedAt: now,
      set,
      events: [
        deps.audit.entry({
          actor: actorOf(principal),
          action: 'campaign.change',
          entityType: 'campaign',
          entityId: id,
          jurisdictionPath: after.jurisdictionPath,
          before: auditViewOf(campaign),
          after: auditViewOf(after),
        }),
      ],
    });
  };
}

export type ChangeCampaign = ReturnType<typeof changeCampaign>;

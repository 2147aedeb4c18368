/**
 * The campaign office or a department plans a campaign: a draft, with its
 * audit record in the same write. A recurring one starts a series whose
 * next editions come from its yearly rule; a one-off has no rule.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { partsOf, type ContentCategory, type Tier, domainCall } from '@learning/domain';
import {
  assertMayManageCampaign,
  validateCampaign,
  validateRule,
  type CampaignGoal,
  type SubCampaign,
  type YearlyRule,
} from '../../domain/recurrence.js';
import type { Jurisdictions } from '../ports.js';
import type { CampaignRepository, NewCampaign, StoredCampaign } from './campaign-repository.js';
import { campaignJurisdictionUnknown } from './errors.js';
import { auditViewOf, planOf } from './events.js';

export interface CreateCampaignRequest {
  readonly title: string;
  readonly description?: string;
  readonly ownerDepartment: string;
  /** Absent or null: a one-off campaign. */
  readonly rule?: YearlyRule | null;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
  readonly jurisdictionCode: string;
  readonly goals?: readonly CampaignGoal[];
  readonly subCampaigns?: readonly SubCampaign[];
}

export interface CreateCampaignDeps {
  readonly campaigns: CampaignRepository;
  readonly jurisdictions: Jurisdictions;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

/** The path of the scope root `code`, or CAMPAIGN_JURISDICTION_UNKNOWN at `field`. */
export async function scopePathOf(
  jurisdictions: Jurisdictions,
  code: string,
  field: string,
): Promise<readonly string[]> {
  const node = (await jurisdictions.find([code])).get(code);
  if (node === undefined) throw campaignJurisdictionUnknown(field);
  return node.path;
}

export function createCampaign(deps: CreateCampaignDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: CreateCampaignRequest): Promise<StoredCampaign> => {
    domainCall(() => {
      assertMayManageCampaign(principal, request.ownerDepartment);
    });
    const rule = request.rule ?? null;
    const id = newId();
    const now = deps.clock();
    const planned: Omit<NewCampaign, 'events' | 'jurisdictionPath'> = {
      id,
      seriesId: rule === null ? id : newId(),
      year: domainCall(() => partsOf(request.startsOn).year),
      title: request.title.trim(),
      description: request.description?.trim() ?? '',
      ownerDepartment: request.ownerDepartment,
      rule,
      startsOn: request.startsOn,
      endsOn: request.endsOn,
      targetTiers: [...request.targetTiers],
      categories: [...request.categories],
      jurisdictionCode: request.jurisdictionCode,
      goals: (request.goals ?? []).map((goal) => ({ ...goal })),
      subCampaigns: (request.subCampaigns ?? []).map((sub) => ({ ...sub, goals: [...sub.goals] })),
      status: 'draft',
      previousEditionId: null,
      launchedAt: null,
      launchedBy: null,
      closedAt: null,
      closedBy: null,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    domainCall(() => {
      if (rule !== null) validateRule(rule);
      validateCampaign(planOf(planned));
    });
    const jurisdictionPath = [
      ...(await scopePathOf(deps.jurisdictions, request.jurisdictionCode, '/jurisdictionCode')),
    ];
    const created = { ...planned, jurisdictionPath };
    return deps.campaigns.create({
      ...created,
      events: [
        deps.audit.entry({
          actor: actorOf(principal),
          action: 'campaign.create',
          entityType: 'campaign',
          entityId: id,
          jurisdictionPath,
          before: null,
          after: auditViewOf(created),
        }),
      ],
    });
  };
}

export type CreateCampaign = ReturnType<typeof createCampaign>;

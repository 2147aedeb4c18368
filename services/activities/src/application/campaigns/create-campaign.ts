/**
 * The campaign office or a department plans a campaign: a draft, with its
 * audit record in the same write. A recurring one starts a series whose
 * next editions come from its yearly rule; a one-off has no rule.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall, partsOf } from '@learning/domain';
import {
  assertMayManageCampaign,
  validateCampaign,
  validateRule,
  type YearlyRule,
} from '../../domain/recurrence.js';
import { knownDepartment } from '../organizers.js';
import type { Departments, Jurisdictions } from '../ports.js';
import type {
  CampaignPlanFields,
  CampaignRepository,
  NewCampaign,
  StoredCampaign,
} from './campaign-repository.js';
import { campaignJurisdictionUnknown } from './errors.js';
import { auditViewOf, planOf } from './events.js';

type Optional = 'description' | 'goals' | 'subCampaigns';

export interface CreateCampaignRequest
  extends Omit<CampaignPlanFields, Optional>, Partial<Pick<CampaignPlanFields, Optional>> {
  readonly ownerDepartment: string;
  /** Absent or null: a one-off campaign. */
  readonly rule?: YearlyRule | null;
}

export interface CreateCampaignDeps {
  readonly campaigns: CampaignRepository;
  readonly jurisdictions: Jurisdictions;
  readonly departments: Departments;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

/** The path of the scope root `code`, or JURISDICTION_UNKNOWN at `field`. */
export async function scopePathOf(
  jurisdictions: Jurisdictions,
  code: string,
  field: string,
): Promise<readonly string[]> {
  const node = (await jurisdictions.find([code])).get(code);
  if (node === undefined) throw campaignJurisdictionUnknown(field);
  return node.path;
}

/** What every new draft starts as: not launched, not closed, made by `subject` now. */
export const draftStamp = (subject: string, now: Date) => ({
  status: 'draft' as const,
  launchedAt: null,
  launchedBy: null,
  closedAt: null,
  closedBy: null,
  createdBy: subject,
  createdAt: now,
  updatedAt: now,
});

/** Stores a new draft with its audit record (`audited`: what the record keeps of it). */
export const storeDraft = (
  deps: Pick<CreateCampaignDeps, 'campaigns' | 'audit'>,
  principal: Principal,
  action: string,
  draft: Omit<NewCampaign, 'events'>,
  audited: Record<string, unknown> = auditViewOf(draft),
): Promise<StoredCampaign> =>
  deps.campaigns.create({
    ...draft,
    events: [
      deps.audit.entry({
        actor: actorOf(principal),
        action,
        entityType: 'campaign',
        entityId: draft.id,
        jurisdictionPath: draft.jurisdictionPath,
        before: null,
        after: audited,
      }),
    ],
  });

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
      previousEditionId: null,
      ...draftStamp(principal.subject, now),
    };
    domainCall(() => {
      if (rule !== null) validateRule(rule);
      validateCampaign(planOf(planned));
    });
    await knownDepartment(deps.departments, request.ownerDepartment, '/ownerDepartment');
    const jurisdictionPath = [
      ...(await scopePathOf(deps.jurisdictions, request.jurisdictionCode, '/jurisdictionCode')),
    ];
    return storeDraft(deps, principal, 'campaign.create', { ...planned, jurisdictionPath });
  };
}

export type CreateCampaign = ReturnType<typeof createCampaign>;

/** A stored campaign as the domain plans it, as its launch event says it, and as the audit log keeps it. */
import { activityEvents, contentCategoryMapping, tierMapping } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import type { CampaignPlan } from '../../domain/recurrence.js';
import type { StoredCampaign } from './campaign-repository.js';

type Planned = Omit<StoredCampaign, 'version'>;

/** What the domain's rules read; the scope's path is not among them, so a plan is checked before it is looked up. */
type PlanFields = Omit<Planned, 'jurisdictionPath'>;

export const planOf = (campaign: PlanFields): CampaignPlan => ({
  seriesId: campaign.seriesId,
  year: campaign.year,
  title: campaign.title,
  ownerDepartment: campaign.ownerDepartment,
  rule: campaign.rule,
  startsOn: campaign.startsOn,
  endsOn: campaign.endsOn,
  targetTiers: campaign.targetTiers,
  categories: campaign.categories,
  jurisdictionScope: [campaign.jurisdictionCode],
  goals: campaign.goals,
  subCampaigns: campaign.subCampaigns,
});

export const launchedEventOf = (campaign: Planned, launchedAt: Date): OutboxEntry =>
  newEvent(activityEvents.CampaignLaunched, campaign.id, {
    campaignId: campaign.id,
    title: campaign.title,
    ownerDepartment: campaign.ownerDepartment,
    startsOn: campaign.startsOn,
    endsOn: campaign.endsOn,
    targetTiers: campaign.targetTiers.map(tierMapping.toProto),
    categories: campaign.categories.map(contentCategoryMapping.toProto),
    scopePath: [...campaign.jurisdictionPath],
    seriesId: campaign.rule === null ? '' : campaign.seriesId,
    editionYear: campaign.rule === null ? 0 : campaign.year,
    // Sub-campaigns live inside their campaign, so every launched campaign is top-level.
    parentCampaignId: '',
    launchedAt,
  });

/** What the audit log keeps of a campaign: it holds no personal data. */
export const auditViewOf = (campaign: Planned) => ({
  seriesId: campaign.seriesId,
  year: campaign.year,
  title: campaign.title,
  description: campaign.description,
  ownerDepartment: campaign.ownerDepartment,
  rule: campaign.rule,
  startsOn: campaign.startsOn,
  endsOn: campaign.endsOn,
  targetTiers: [...campaign.targetTiers],
  categories: [...campaign.categories],
  jurisdictionPath: [...campaign.jurisdictionPath],
  goals: campaign.goals.map((goal) => ({ ...goal })),
  subCampaigns: campaign.subCampaigns.map((sub) => ({ ...sub, goals: [...sub.goals] })),
  status: campaign.status,
});

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

/** A tier's sub-campaign's id in events: stable, derived from its campaign and tier. */
const subCampaignIdOf = (campaignId: string, tier: string): string => `${campaignId}:${tier}`;

/**
 * CampaignLaunched for the campaign, then one per tier's sub-campaign with
 * parentCampaignId set. All carry the campaign as subject (the Kafka key), so
 * consumers receive them in this order.
 */
export const launchedEventsOf = (campaign: Planned, launchedAt: Date): OutboxEntry[] => {
  const common = {
    ownerDepartment: campaign.ownerDepartment,
    categories: campaign.categories.map(contentCategoryMapping.toProto),
    scopePath: [...campaign.jurisdictionPath],
    seriesId: campaign.rule === null ? '' : campaign.seriesId,
    editionYear: campaign.rule === null ? 0 : campaign.year,
    launchedAt,
  };
  return [
    newEvent(activityEvents.CampaignLaunched, campaign.id, {
      ...common,
      campaignId: campaign.id,
      title: campaign.title,
      startsOn: campaign.startsOn,
      endsOn: campaign.endsOn,
      targetTiers: campaign.targetTiers.map(tierMapping.toProto),
      parentCampaignId: '',
    }),
    ...campaign.subCampaigns.map((sub) =>
      newEvent(activityEvents.CampaignLaunched, campaign.id, {
        ...common,
        campaignId: subCampaignIdOf(campaign.id, sub.tier),
        title: sub.title,
        startsOn: sub.startsOn,
        endsOn: sub.endsOn,
        targetTiers: [tierMapping.toProto(sub.tier)],
        parentCampaignId: campaign.id,
      }),
    ),
  ];
};

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

/** The learning month and the theme-practice series as the use-case and HTTP tests plan them. */
import { tierMapping } from '@learning/contracts';
import { expect } from 'vitest';
import type { CreateCampaignRequest } from '../../src/application/campaigns/create-campaign.js';
import { CITY } from './activities.js';
import {
  LEARNING_MONTH,
  THEME_PRACTICE_SUB_CAMPAIGNS,
  type SubCampaign,
} from '../../src/domain/recurrence.js';

/** The learning month of `year`, city-wide: at least one activity per township, 50 people reached. */
export const learningMonth = (year: number): CreateCampaignRequest => ({
  title: `${year} 全民学习月`,
  description: '全市每年四月的全民学习月',
  ownerDepartment: 'xuanchuan-bu',
  rule: LEARNING_MONTH,
  startsOn: `${year}-04-01`,
  endsOn: `${year}-04-30`,
  targetTiers: ['ordinary_citizen', 'ordinary_cadre'],
  categories: ['science_culture_skills', 'ethics_etiquette'],
  jurisdictionCode: CITY,
  goals: [
    { metric: 'activities_per_township', target: 1 },
    { metric: 'participants_reached', target: 50 },
  ],
});

/** What the learning month's next edition, of `year`, carries over from `source`: a draft of all April. */
export const learningMonthCarriedOver = (
  source: {
    readonly id: string;
    readonly seriesId: string;
    readonly targetTiers: readonly string[];
    readonly categories: readonly string[];
    readonly goals: readonly { metric: string; target: number }[];
  },
  year: number,
) => ({
  seriesId: source.seriesId,
  year,
  startsOn: `${year}-04-01`,
  endsOn: `${year}-04-30`,
  status: 'draft',
  previousEditionId: source.id,
  targetTiers: source.targetTiers,
  categories: source.categories,
  goals: source.goals,
  jurisdictionPath: [CITY],
});

export const THEME_TIERS = [
  'leading_cadre',
  'ordinary_cadre',
  'private_enterprise_staff',
  'ordinary_citizen',
] as const;

/** One sub-campaign per tier, March to October of `year`. */
export const themePracticeSubCampaigns = (year: number): SubCampaign[] =>
  THEME_TIERS.map((tier) => ({
    tier,
    title: THEME_PRACTICE_SUB_CAMPAIGNS[tier],
    startsOn: `${year}-03-01`,
    endsOn: `${year}-10-31`,
    goals: [{ metric: 'participants_reached', target: 200 }],
  }));

/** 勤学习、善创新、促跨越, March to November, city-wide, with its four tiers' sub-campaigns. */
export const themePractice = (year: number): CreateCampaignRequest => ({
  title: '勤学习、善创新、促跨越 主题实践活动',
  ownerDepartment: 'xuanchuan-bu',
  rule: { kind: 'same_dates' },
  startsOn: `${year}-03-01`,
  endsOn: `${year}-11-30`,
  targetTiers: [...THEME_TIERS],
  categories: ['political_theory', 'science_culture_skills'],
  jurisdictionCode: CITY,
  subCampaigns: themePracticeSubCampaigns(year),
});

/** CampaignLaunched of each tier's sub-campaign of the city-wide series `campaign` of `year`. */
export const subCampaignLaunches = (
  campaign: { readonly id: string; readonly seriesId: string },
  year: number,
): unknown[] =>
  themePracticeSubCampaigns(year).map((sub): unknown =>
    expect.objectContaining({
      campaignId: `${campaign.id}:${sub.tier}`,
      parentCampaignId: campaign.id,
      title: sub.title,
      startsOn: sub.startsOn,
      endsOn: sub.endsOn,
      targetTiers: [tierMapping.toProto(sub.tier)],
      seriesId: campaign.seriesId,
      editionYear: year,
      scopePath: [CITY],
    }),
  );

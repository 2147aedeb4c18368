/**
 * Recurring campaigns: the yearly rule that dates each edition (the learning
 * month every April, the autumn reading festival every October, the summer
 * reading programme for pupils in July–August) and next year's edition
 * created from this one, carrying its structure over with the dates moved.
 * Dates are China calendar dates; an edition runs from 00:00 China time on
 * its first day to 00:00 China time after its last.
 */
import {
  addDays,
  addYears,
  chinaMidnight,
  formatDate,
  isRealDate,
  partsOf,
  type CalendarDate,
  invalid,
  precondition,
  forbidden,
  type ContentCategory,
  type Tier,
} from '@learning/domain';

/**
 * `fixed_window`: the same months and days every year, both ends included.
 * `same_dates`: each edition keeps the previous one's dates, a year later
 * (the theme-practice series, whose dates the office sets the first year).
 */
export type YearlyRule =
  | {
      readonly kind: 'fixed_window';
      readonly startMonth: number;
      readonly startDay: number;
      readonly endMonth: number;
      readonly endDay: number;
    }
  | { readonly kind: 'same_dates' };

/** 全民学习月: every April. */
export const LEARNING_MONTH: YearlyRule = {
  kind: 'fixed_window',
  startMonth: 4,
  startDay: 1,
  endMonth: 4,
  endDay: 30,
};
/** 金秋读书节: every October. */
export const AUTUMN_READING_FESTIVAL: YearlyRule = {
  kind: 'fixed_window',
  startMonth: 10,
  startDay: 1,
  endMonth: 10,
  endDay: 31,
};
/** 中小学生暑假读好书: the pupils' summer holidays, July and August. */
export const SUMMER_READING: YearlyRule = {
  kind: 'fixed_window',
  startMonth: 7,
  startDay: 1,
  endMonth: 8,
  endDay: 31,
};

/** The theme-practice series 勤学习、善创新、促跨越: one sub-campaign per tier. */
export const THEME_PRACTICE_SUB_CAMPAIGNS: Readonly<Record<Exclude<Tier, 'pupil'>, string>> = {
  leading_cadre: '蹲点联村',
  ordinary_cadre: '求知创新、服务创优',
  private_enterprise_staff: '创新、提升、跨越',
  ordinary_citizen: '学习求知、创新创业',
};

export const RECURRENCE_RULE_INVALID = 'RECURRENCE_RULE_INVALID';
export const CAMPAIGN_NOT_RECURRING = 'CAMPAIGN_NOT_RECURRING';
export const CAMPAIGN_ENDS_BEFORE_START = 'CAMPAIGN_ENDS_BEFORE_START';
export const CAMPAIGN_YEAR_MISMATCH = 'CAMPAIGN_YEAR_MISMATCH';
export const CAMPAIGN_DATES_OFF_RULE = 'CAMPAIGN_DATES_OFF_RULE';
export const CAMPAIGN_DUPLICATE_TIER = 'CAMPAIGN_DUPLICATE_TIER';
export const CAMPAIGN_TIER_NOT_TARGETED = 'CAMPAIGN_TIER_NOT_TARGETED';
export const CAMPAIGN_SUB_CAMPAIGN_OUTSIDE_DATES = 'CAMPAIGN_SUB_CAMPAIGN_OUTSIDE_DATES';
export const CAMPAIGN_DUPLICATE_GOAL = 'CAMPAIGN_DUPLICATE_GOAL';

/** One target per metric: two would leave progress with two answers. */
function assertGoalsDistinct(goals: readonly CampaignGoal[], of: string): void {
  const metrics = new Set(goals.map((goal) => goal.metric));
  if (metrics.size !== goals.length) {
    throw invalid(CAMPAIGN_DUPLICATE_GOAL, `${of} has two goals for the same metric.`);
  }
}

/**
 * Checks a fixed window: real month/day pairs (29 February is refused, as not
 * every year has one) and a window inside one calendar year.
 */
export function validateRule(rule: YearlyRule): YearlyRule {
  if (rule.kind === 'same_dates') return rule;
  const { startMonth, startDay, endMonth, endDay } = rule;
  // 2023 has no 29 February, so only days every year has pass.
  if (!isRealDate(2023, startMonth, startDay) || !isRealDate(2023, endMonth, endDay)) {
    throw invalid(RECURRENCE_RULE_INVALID, 'A yearly rule names days that every year has.');
  }
  if (endMonth * 100 + endDay < startMonth * 100 + startDay) {
    throw invalid(
      RECURRENCE_RULE_INVALID,
      'A yearly rule ends before it starts; an edition stays within one calendar year.',
    );
  }
  return rule;
}

export interface Edition {
  readonly startsOn: CalendarDate;
  readonly endsOn: CalendarDate;
  /** 00:00 China time on the first day. */
  readonly start: Date;
  /** 00:00 China time on the day after the last: the end is exclusive. */
  readonly end: Date;
}

export function editionSpan(startsOn: CalendarDate, endsOn: CalendarDate): Edition {
  return {
    startsOn,
    endsOn,
    start: chinaMidnight(startsOn),
    end: chinaMidnight(addDays(endsOn, 1)),
  };
}

/** The dates of a fixed window's edition in `year`. */
export function editionOf(rule: YearlyRule, year: number): Edition {
  if (rule.kind !== 'fixed_window') {
    throw invalid(
      RECURRENCE_RULE_INVALID,
      'Only a fixed yearly window dates an edition by itself.',
    );
  }
  validateRule(rule);
  return editionSpan(
    formatDate(year, rule.startMonth, rule.startDay),
    formatDate(year, rule.endMonth, rule.endDay),
  );
}

export interface CampaignGoal {
  /** For example `activities_per_township`, `participants_reached`. */
  readonly metric: string;
  readonly target: number;
}

export interface SubCampaign {
  readonly tier: Tier;
  readonly title: string;
  readonly startsOn: CalendarDate;
  readonly endsOn: CalendarDate;
  readonly goals: readonly CampaignGoal[];
}

/** A campaign edition as planned: what the next edition carries over. */
export interface CampaignPlan {
  /** Stable across editions: one series, one edition per year. */
  readonly seriesId: string;
  readonly year: number;
  readonly title: string;
  readonly ownerDepartment: string;
  /** null for a one-off campaign. */
  readonly rule: YearlyRule | null;
  readonly startsOn: CalendarDate;
  readonly endsOn: CalendarDate;
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
  /** Roots of the jurisdiction subtrees the campaign covers. */
  readonly jurisdictionScope: readonly string[];
  readonly goals: readonly CampaignGoal[];
  readonly subCampaigns: readonly SubCampaign[];
}

/** The store's unique key for an edition, so "create next year's" twice yields one. */
export const editionKey = (seriesId: string, year: number): string => `${seriesId}:${year}`;

/**
 * Dates in order and in the campaign's year, dates on the rule's window
 * for a fixed rule, one goal per metric, at most one sub-campaign per tier, each for a targeted
 * tier and within the campaign's dates.
 */
export function validateCampaign(campaign: CampaignPlan): CampaignPlan {
  const start = partsOf(campaign.startsOn);
  partsOf(campaign.endsOn);
  if (campaign.endsOn < campaign.startsOn) {
    throw invalid(CAMPAIGN_ENDS_BEFORE_START, 'The campaign ends before it starts.');
  }
  if (start.year !== campaign.year) {
    throw invalid(
      CAMPAIGN_YEAR_MISMATCH,
      `The campaign's ${campaign.year} edition starts in another year.`,
    );
  }
  if (campaign.rule?.kind === 'fixed_window') {
    const edition = editionOf(campaign.rule, campaign.year);
    if (edition.startsOn !== campaign.startsOn || edition.endsOn !== campaign.endsOn) {
      throw invalid(
        CAMPAIGN_DATES_OFF_RULE,
        `The ${campaign.year} edition runs ${edition.startsOn} to ${edition.endsOn} by its yearly rule.`,
      );
    }
  }
  assertGoalsDistinct(campaign.goals, 'The campaign');
  const tiers = new Set<Tier>();
  for (const sub of campaign.subCampaigns) {
    assertGoalsDistinct(sub.goals, `The sub-campaign for ${sub.tier}`);
    if (tiers.has(sub.tier)) {
      throw invalid(CAMPAIGN_DUPLICATE_TIER, `There are two sub-campaigns for ${sub.tier}.`);
    }
    tiers.add(sub.tier);
    if (!campaign.targetTiers.includes(sub.tier)) {
      throw invalid(
        CAMPAIGN_TIER_NOT_TARGETED,
        `The sub-campaign for ${sub.tier} is for a tier the campaign does not target.`,
      );
    }
    partsOf(sub.startsOn);
    partsOf(sub.endsOn);
    if (sub.endsOn < sub.startsOn) {
      throw invalid(
        CAMPAIGN_ENDS_BEFORE_START,
        `The sub-campaign for ${sub.tier} ends before it starts.`,
      );
    }
    if (sub.startsOn < campaign.startsOn || sub.endsOn > campaign.endsOn) {
      throw invalid(
        CAMPAIGN_SUB_CAMPAIGN_OUTSIDE_DATES,
        `The sub-campaign for ${sub.tier} runs outside the campaign's dates.`,
      );
    }
  }
  return campaign;
}

/**
 * Next year's edition of a recurring campaign: same series, title, owner,
 * tiers, categories, scope, goals and sub-campaigns; dates from the rule (a
 * fixed window) or a year on (same dates). Sub-campaigns move by a year and
 * stay inside the new edition (29 February becomes 28 February).
 */
export function nextEdition(campaign: CampaignPlan): CampaignPlan {
  const { rule } = campaign;
  if (rule === null) {
    throw precondition(CAMPAIGN_NOT_RECURRING, 'A one-off campaign has no next edition.');
  }
  const year = campaign.year + 1;
  const dates =
    rule.kind === 'fixed_window'
      ? editionOf(rule, year)
      : { startsOn: addYears(campaign.startsOn, 1), endsOn: addYears(campaign.endsOn, 1) };
  const clamp = (date: CalendarDate): CalendarDate =>
    date < dates.startsOn ? dates.startsOn : date > dates.endsOn ? dates.endsOn : date;
  return validateCampaign({
    ...campaign,
    year,
    startsOn: dates.startsOn,
    endsOn: dates.endsOn,
    targetTiers: [...campaign.targetTiers],
    categories: [...campaign.categories],
    jurisdictionScope: [...campaign.jurisdictionScope],
    goals: campaign.goals.map((goal) => ({ ...goal })),
    subCampaigns: campaign.subCampaigns.map((sub) => ({
      ...sub,
      startsOn: clamp(addYears(sub.startsOn, 1)),
      endsOn: clamp(addYears(sub.endsOn, 1)),
      goals: sub.goals.map((goal) => ({ ...goal })),
    })),
  });
}

/** A campaign is planned (draft), then launched (activities may join it), then closed after its end. */
export const CAMPAIGN_STATUSES = ['draft', 'launched', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_NOT_DRAFT = 'CAMPAIGN_NOT_DRAFT';
export const CAMPAIGN_NOT_LAUNCHED = 'CAMPAIGN_NOT_LAUNCHED';
export const CAMPAIGN_ALREADY_ENDED = 'CAMPAIGN_ALREADY_ENDED';
export const CAMPAIGN_NOT_ENDED = 'CAMPAIGN_NOT_ENDED';
export const CAMPAIGN_MANAGE_FORBIDDEN = 'CAMPAIGN_MANAGE_FORBIDDEN';

/** Who may plan, launch and close campaigns of `ownerDepartment`. */
export interface CampaignManager {
  readonly roles: readonly string[];
  /** Department code, for department officers. */
  readonly department?: string;
}

/** City admins manage every campaign; a department officer those of their own department. */
export const mayManageCampaign = (manager: CampaignManager, ownerDepartment: string): boolean =>
  manager.roles.includes('city_admin') ||
  (manager.roles.includes('department_officer') && manager.department === ownerDepartment);

export function assertMayManageCampaign(manager: CampaignManager, ownerDepartment: string): void {
  if (!mayManageCampaign(manager, ownerDepartment)) {
    throw forbidden(
      CAMPAIGN_MANAGE_FORBIDDEN,
      'Only a city admin or an officer of the owner department manages this campaign.',
    );
  }
}

/** Only a draft is edited; launched campaigns are what activities already joined. */
export function assertEditable(status: CampaignStatus): void {
  if (status !== 'draft') {
    throw precondition(CAMPAIGN_NOT_DRAFT, 'Only a draft campaign can be changed.');
  }
}

/** A draft is launched while it has not ended yet: launching a finished campaign reaches nobody. */
export function assertMayLaunch(status: CampaignStatus, endsOn: CalendarDate, now: Date): void {
  if (status !== 'draft') {
    throw precondition(CAMPAIGN_NOT_DRAFT, 'Only a draft campaign can be launched.');
  }
  if (now >= editionSpan(endsOn, endsOn).end) {
    throw precondition(CAMPAIGN_ALREADY_ENDED, `The campaign ended on ${endsOn}.`);
  }
}

/** A launched campaign is closed once its last day (China time) is over. */
export function assertMayClose(status: CampaignStatus, endsOn: CalendarDate, now: Date): void {
  if (status !== 'launched') {
    throw precondition(CAMPAIGN_NOT_LAUNCHED, 'Only a launched campaign can be closed.');
  }
  if (now < editionSpan(endsOn, endsOn).end) {
    throw precondition(
      CAMPAIGN_NOT_ENDED,
      `The campaign runs until ${endsOn}; it can be closed after that day.`,
    );
  }
}

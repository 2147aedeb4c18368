import { describe, expect, it } from 'vitest';
import {
  AUTUMN_READING_FESTIVAL,
  CAMPAIGN_DATES_OFF_RULE,
  CAMPAIGN_DUPLICATE_TIER,
  CAMPAIGN_ENDS_BEFORE_START,
  CAMPAIGN_NOT_RECURRING,
  CAMPAIGN_SUB_CAMPAIGN_OUTSIDE_DATES,
  CAMPAIGN_TIER_NOT_TARGETED,
  CAMPAIGN_YEAR_MISMATCH,
  editionKey,
  editionOf,
  LEARNING_MONTH,
  nextEdition,
  RECURRENCE_RULE_INVALID,
  SUMMER_READING,
  THEME_PRACTICE_SUB_CAMPAIGNS,
  validateCampaign,
  validateRule,
  type CampaignPlan,
} from '../../../src/domain/recurrence.js';
import { refusalOf } from '@learning/testing';

describe('yearly rules', () => {
  it('when the learning month’s 2026 edition is dated, then it runs all April, China time', () => {
    expect(editionOf(LEARNING_MONTH, 2026)).toEqual({
      startsOn: '2026-04-01',
      endsOn: '2026-04-30',
      start: new Date('2026-03-31T16:00:00Z'),
      end: new Date('2026-04-30T16:00:00Z'),
    });
  });

  it('when the autumn reading festival is dated, then it runs all October', () => {
    const edition = editionOf(AUTUMN_READING_FESTIVAL, 2027);
    expect([edition.startsOn, edition.endsOn]).toEqual(['2027-10-01', '2027-10-31']);
  });

  it('when the summer reading programme is dated, then it spans July and August', () => {
    const edition = editionOf(SUMMER_READING, 2026);
    expect([edition.startsOn, edition.endsOn]).toEqual(['2026-07-01', '2026-08-31']);
    expect(edition.end.toISOString()).toBe('2026-08-31T16:00:00.000Z');
  });

  it('when a rule names 29 February or a day no month has, then it is refused', () => {
    for (const rule of [
      { kind: 'fixed_window', startMonth: 2, startDay: 29, endMonth: 3, endDay: 1 },
      { kind: 'fixed_window', startMonth: 4, startDay: 31, endMonth: 5, endDay: 1 },
      { kind: 'fixed_window', startMonth: 13, startDay: 1, endMonth: 13, endDay: 2 },
    ] as const) {
      expect(refusalOf(() => validateRule(rule)).code).toBe(RECURRENCE_RULE_INVALID);
    }
  });

  it('when a rule ends before it starts in the year, then it is refused', () => {
    expect(
      refusalOf(() =>
        validateRule({
          kind: 'fixed_window',
          startMonth: 12,
          startDay: 1,
          endMonth: 1,
          endDay: 31,
        }),
      ).code,
    ).toBe(RECURRENCE_RULE_INVALID);
  });

  it('when a same-dates rule is asked for an edition by itself, then it is refused', () => {
    expect(refusalOf(() => editionOf({ kind: 'same_dates' }, 2026)).code).toBe(
      RECURRENCE_RULE_INVALID,
    );
  });
});

const learningMonth2026: CampaignPlan = {
  seriesId: 'learning-month',
  year: 2026,
  title: '全民学习月',
  ownerDepartment: 'xuanchuanbu',
  rule: LEARNING_MONTH,
  startsOn: '2026-04-01',
  endsOn: '2026-04-30',
  targetTiers: ['leading_cadre', 'ordinary_cadre', 'private_enterprise_staff', 'ordinary_citizen'],
  categories: ['political_theory', 'ethics_etiquette'],
  jurisdictionScope: ['C'],
  goals: [{ metric: 'activities_per_township', target: 4 }],
  subCampaigns: [],
};

const themePractice2026: CampaignPlan = {
  seriesId: 'theme-practice',
  year: 2026,
  title: '勤学习、善创新、促跨越',
  ownerDepartment: 'xuanchuanbu',
  rule: { kind: 'same_dates' },
  startsOn: '2026-03-01',
  endsOn: '2026-11-30',
  targetTiers: ['leading_cadre', 'ordinary_cadre', 'private_enterprise_staff', 'ordinary_citizen'],
  categories: ['science_culture_skills'],
  jurisdictionScope: ['C'],
  goals: [{ metric: 'participants_reached', target: 50_000 }],
  subCampaigns: Object.entries(THEME_PRACTICE_SUB_CAMPAIGNS).map(([tier, title]) => ({
    tier: tier as keyof typeof THEME_PRACTICE_SUB_CAMPAIGNS,
    title,
    startsOn: '2026-03-01',
    endsOn: tier === 'leading_cadre' ? '2026-06-30' : '2026-11-30',
    goals: [{ metric: 'activities', target: 10 }],
  })),
};

describe('validateCampaign', () => {
  it('when a campaign and its sub-campaigns are consistent, then it is accepted', () => {
    expect(validateCampaign(themePractice2026)).toBe(themePractice2026);
    expect(validateCampaign(learningMonth2026)).toBe(learningMonth2026);
  });

  it('when a campaign ends before it starts, then it is refused', () => {
    expect(
      refusalOf(() =>
        validateCampaign({ ...themePractice2026, startsOn: '2026-12-01', endsOn: '2026-11-30' }),
      ).code,
    ).toBe(CAMPAIGN_ENDS_BEFORE_START);
  });

  it('when an edition starts in another year than its own, then it is refused', () => {
    expect(refusalOf(() => validateCampaign({ ...themePractice2026, year: 2027 })).code).toBe(
      CAMPAIGN_YEAR_MISMATCH,
    );
  });

  it('when a fixed-rule campaign’s dates stray from the rule, then it is refused', () => {
    expect(
      refusalOf(() => validateCampaign({ ...learningMonth2026, endsOn: '2026-05-03' })).code,
    ).toBe(CAMPAIGN_DATES_OFF_RULE);
  });

  it('when two sub-campaigns share a tier, then it is refused', () => {
    const [first] = themePractice2026.subCampaigns;
    if (!first) throw new Error('fixture');
    expect(
      refusalOf(() =>
        validateCampaign({
          ...themePractice2026,
          subCampaigns: [...themePractice2026.subCampaigns, first],
        }),
      ).code,
    ).toBe(CAMPAIGN_DUPLICATE_TIER);
  });

  it('when a sub-campaign is for a tier the campaign does not target, then it is refused', () => {
    expect(
      refusalOf(() => validateCampaign({ ...themePractice2026, targetTiers: ['leading_cadre'] }))
        .code,
    ).toBe(CAMPAIGN_TIER_NOT_TARGETED);
  });

  it('when a sub-campaign runs outside the campaign, then it is refused', () => {
    expect(
      refusalOf(() => validateCampaign({ ...themePractice2026, endsOn: '2026-10-31' })).code,
    ).toBe(CAMPAIGN_SUB_CAMPAIGN_OUTSIDE_DATES);
  });
});

describe('nextEdition', () => {
  it('when the learning month is carried forward, then next year’s runs all next April with the same structure', () => {
    const next = nextEdition(learningMonth2026);
    expect(next).toEqual({
      ...learningMonth2026,
      year: 2027,
      startsOn: '2027-04-01',
      endsOn: '2027-04-30',
    });
    expect(editionKey(next.seriesId, next.year)).toBe('learning-month:2027');
    expect(editionKey(learningMonth2026.seriesId, learningMonth2026.year)).not.toBe(
      editionKey(next.seriesId, next.year),
    );
  });

  it('when the theme-practice series is carried forward, then each tier’s sub-campaign comes along with dates a year on', () => {
    const next = nextEdition(themePractice2026);
    expect([next.startsOn, next.endsOn]).toEqual(['2027-03-01', '2027-11-30']);
    expect(next.subCampaigns.map((s) => [s.tier, s.title, s.startsOn, s.endsOn])).toEqual([
      ['leading_cadre', '蹲点联村', '2027-03-01', '2027-06-30'],
      ['ordinary_cadre', '求知创新、服务创优', '2027-03-01', '2027-11-30'],
      ['private_enterprise_staff', '创新、提升、跨越', '2027-03-01', '2027-11-30'],
      ['ordinary_citizen', '学习求知、创新创业', '2027-03-01', '2027-11-30'],
    ]);
    expect(next.goals).toEqual(themePractice2026.goals);
  });

  it('when the next edition is built, then it shares no arrays with the previous one', () => {
    const next = nextEdition(themePractice2026);
    expect(next.goals).not.toBe(themePractice2026.goals);
    expect(next.subCampaigns[0]?.goals).not.toBe(themePractice2026.subCampaigns[0]?.goals);
  });

  it('when a same-dates campaign includes 29 February, then next year’s ends on 28 February', () => {
    const leap: CampaignPlan = {
      ...themePractice2026,
      year: 2028,
      startsOn: '2028-02-01',
      endsOn: '2028-02-29',
      subCampaigns: [],
    };
    expect([nextEdition(leap).startsOn, nextEdition(leap).endsOn]).toEqual([
      '2029-02-01',
      '2029-02-28',
    ]);
  });

  it('when a campaign is one-off, then there is no next edition', () => {
    const error = refusalOf(() => nextEdition({ ...learningMonth2026, rule: null }));
    expect(error.code).toBe(CAMPAIGN_NOT_RECURRING);
    expect(error.kind).toBe('failed_precondition');
  });
});

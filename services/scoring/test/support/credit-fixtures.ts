/** Facts, rule versions and rules as the evaluation's tests build them: a 90-minute lecture, a rule of 1 credit each. */
import type { CreditFact } from '../../src/domain/facts.js';
import type { CreditRule, RuleVersion } from '../../src/domain/rules.js';

/** China time is UTC+8: "2026-04-01T09:00" here is 09:00 in the city. */
export const cityTime = (local: string): Date => new Date(`${local}:00+08:00`);

export const creditFact = (overrides: Partial<CreditFact> & { sourceId: string }): CreditFact => ({
  source: 'lecture_attended',
  holder: { kind: 'person', id: 'p1' },
  sourceEventId: `event-${overrides.sourceId}`,
  occurredAt: cityTime('2026-04-01T09:00'),
  year: 2026,
  category: 'political_theory',
  tier: 'ordinary_citizen',
  minutes: 90,
  units: 0,
  rank: null,
  campaignId: null,
  jurisdictionPath: ['330281000000'],
  organizationIds: [],
  title: '玉海大讲坛',
  withdrawnAt: null,
  ...overrides,
});

export const ruleVersion = (overrides: Partial<RuleVersion> = {}): RuleVersion => ({
  version: 1,
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  basis: { kind: 'per_occurrence', credits: 100 },
  dailyCap: null,
  yearlyCap: null,
  bonusPercent: null,
  createdBy: 'office',
  createdAt: new Date('2025-12-01T00:00:00Z'),
  ...overrides,
});

export const creditRule = (overrides: Partial<CreditRule> = {}): CreditRule => ({
  id: 'rule-a',
  kind: 'base',
  name: 'Lectures',
  source: 'lecture_attended',
  categories: [],
  tiers: [],
  campaignId: null,
  versions: [ruleVersion()],
  ...overrides,
});

import { CALENDAR_DATE_INVALID } from '@learning/domain';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  assertDefinition,
  assertNoOverlap,
  assertRange,
  assertTerms,
  BONUS_BASIS,
  firstVersion,
  OPEN_ENDED_YEAR,
  overlaps,
  retiredVersions,
  RULE_ALREADY_ENDS,
  RULE_BASIS_NOT_FOR_BONUS,
  RULE_BASIS_NOT_FOR_SOURCE,
  RULE_BASIS_REQUIRED,
  RULE_BONUS_PERCENT_INVALID,
  RULE_BONUS_PERCENT_NOT_FOR_BASE,
  RULE_CAMPAIGN_NOT_FOR_BASE,
  RULE_CAMPAIGN_REQUIRED,
  RULE_CAP_INVALID,
  RULE_CAPS_INCONSISTENT,
  RULE_CATEGORIES_INVALID,
  RULE_CREDITS_INVALID,
  RULE_EFFECTIVE_FROM_TOO_SOON,
  RULE_EFFECTIVE_TO_BEFORE_FROM,
  RULE_EFFECTIVE_TOO_FAR,
  RULE_NAME_INVALID,
  RULE_OVERLAP,
  RULE_RANK_BANDS_INVALID,
  RULE_RETIREMENT_BEFORE_START,
  RULE_RETIREMENT_PAST,
  RULE_SOURCE_INVALID,
  RULE_TIERS_INVALID,
  RULE_TIERS_NOT_FOR_ORGANIZATIONS,
  versionOn,
  withNewVersion,
  yearsOf,
  type RuleDefinition,
  type VersionTerms,
} from '../../../src/domain/rule-book.js';
import type { SourceKind } from '../../../src/domain/facts.js';
import type { CreditBasis, CreditRule, RuleVersion } from '../../../src/domain/rules.js';

const TODAY = '2027-03-10';
const AUTHOR = { createdBy: 'office', createdAt: new Date('2027-03-10T02:00:00Z') };

const definition = (overrides: Partial<RuleDefinition> = {}): RuleDefinition => ({
  kind: 'base',
  name: '讲座听课',
  source: 'lecture_attended',
  categories: [],
  tiers: [],
  campaignId: null,
  ...overrides,
});

const terms = (overrides: Partial<VersionTerms> = {}): VersionTerms => ({
  basis: { kind: 'per_hour', credits: 200 },
  dailyCap: 800,
  yearlyCap: 12_000,
  bonusPercent: null,
  ...overrides,
});

const version = (
  number: number,
  effectiveFrom: string,
  effectiveTo: string | null,
): RuleVersion => ({
  version: number,
  effectiveFrom,
  effectiveTo,
  basis: { kind: 'per_hour', credits: 100 * number },
  dailyCap: null,
  yearlyCap: null,
  bonusPercent: null,
  ...AUTHOR,
});

const rule = (overrides: Partial<CreditRule> = {}): CreditRule => ({
  id: 'rule-a',
  kind: 'base',
  name: 'A',
  source: 'lecture_attended',
  categories: [],
  tiers: [],
  campaignId: null,
  versions: [version(1, '2027-01-01', null)],
  ...overrides,
});

const codeOf = (action: () => unknown): string => refusalOf(action).code;

describe('a rule’s definition', () => {
  it.each([
    ['a blank name', { name: '  ' }, RULE_NAME_INVALID],
    ['a name of 101 characters', { name: '学'.repeat(101) }, RULE_NAME_INVALID],
    ['an unknown source', { source: 'gossip' as SourceKind }, RULE_SOURCE_INVALID],
    [
      'a category twice',
      { categories: ['political_theory', 'political_theory'] as const },
      RULE_CATEGORIES_INVALID,
    ],
    ['an unknown category', { categories: ['cooking'] as never }, RULE_CATEGORIES_INVALID],
    ['a tier twice', { tiers: ['pupil', 'pupil'] as const }, RULE_TIERS_INVALID],
    ['an unknown tier', { tiers: ['retiree'] as never }, RULE_TIERS_INVALID],
    [
      'tiers on a source crediting organizations',
      { source: 'book_donated' as const, tiers: ['ordinary_citizen'] as const },
      RULE_TIERS_NOT_FOR_ORGANIZATIONS,
    ],
    ['a bonus without a campaign', { kind: 'bonus' as const }, RULE_CAMPAIGN_REQUIRED],
    ['a base rule naming a campaign', { campaignId: 'c1' }, RULE_CAMPAIGN_NOT_FOR_BASE],
  ])('when it has %s, then it is refused', (_what, overrides, code) => {
    expect(
      codeOf(() => {
        assertDefinition(definition(overrides));
      }),
    ).toBe(code);
  });

  it('when it names 100 characters, categories, tiers and a bonus its campaign, then it is accepted', () => {
    expect(() => {
      assertDefinition(
        definition({
          name: '学'.repeat(100),
          categories: ['political_theory', 'ethics_etiquette'],
          tiers: ['leading_cadre'],
        }),
      );
      assertDefinition(definition({ kind: 'bonus', campaignId: 'c1' }));
    }).not.toThrow();
  });
});

describe('a version’s terms', () => {
  it.each<[string, SourceKind, CreditBasis]>([
    ['per_hour on a contest', 'contest_placed', { kind: 'per_hour', credits: 100 }],
    ['per_hour on a recognition', 'organization_recognized', { kind: 'per_hour', credits: 100 }],
    ['per_unit on a lecture', 'lecture_attended', { kind: 'per_unit', credits: 100 }],
    // A completion is an occurrence: its hours were credited by the session.
    ['per_hour on a completion', 'training_completed', { kind: 'per_hour', credits: 100 }],
    [
      'by_rank on a donation',
      'book_donated',
      { kind: 'by_rank', bands: [{ upToRank: 1, credits: 1 }] },
    ],
  ])('when the basis is %s, then it is refused', (_what, source, basis) => {
    expect(
      codeOf(() => {
        assertTerms('base', source, terms({ basis }));
      }),
    ).toBe(RULE_BASIS_NOT_FOR_SOURCE);
  });

  it.each<[SourceKind, CreditBasis]>([
    ['activity_attended', { kind: 'per_hour', credits: 100 }],
    ['lecture_attended', { kind: 'per_hour', credits: 100 }],
    ['training_attended', { kind: 'per_hour', credits: 100 }],
    ['lesson_completed', { kind: 'per_hour', credits: 100 }],
    ['activity_organized', { kind: 'per_hour', credits: 100 }],
    ['book_donated', { kind: 'per_unit', credits: 10 }],
    [
      'contest_placed',
      {
        kind: 'by_rank',
        bands: [
          { upToRank: 1, credits: 1000 },
          { upToRank: 3, credits: 500 },
        ],
      },
    ],
    ['organization_recognized', { kind: 'per_occurrence', credits: 5000 }],
    ['contest_placed', { kind: 'per_occurrence', credits: 1 }],
    ['training_completed', { kind: 'per_occurrence', credits: 500 }],
  ])('when %s is credited %j, then it is accepted', (source, basis) => {
    expect(() => {
      assertTerms('base', source, terms({ basis, dailyCap: null, yearlyCap: null }));
    }).not.toThrow();
  });

  it.each([0, -100, 100_001, 1.5])(
    'when the credits are %s hundredths, then they are refused',
    (credits) => {
      expect(
        codeOf(() => {
          assertTerms('base', 'lecture_attended', terms({ basis: { kind: 'per_hour', credits } }));
        }),
      ).toBe(RULE_CREDITS_INVALID);
    },
  );

  it('when the credits are exactly 1000, then they are accepted', () => {
    expect(() => {
      assertTerms(
        'base',
        'lecture_attended',
        terms({ basis: { kind: 'per_hour', credits: 100_000 } }),
      );
    }).not.toThrow();
  });

  it.each([
    ['no bands', []],
    ['a band up to rank 0', [{ upToRank: 0, credits: 100 }]],
    [
      'bands out of order',
      [
        { upToRank: 3, credits: 100 },
        { upToRank: 1, credits: 300 },
      ],
    ],
    [
      'two bands of one rank',
      [
        { upToRank: 2, credits: 100 },
        { upToRank: 2, credits: 50 },
      ],
    ],
    ['a fractional rank', [{ upToRank: 1.5, credits: 100 }]],
    ['21 bands', Array.from({ length: 21 }, (_, index) => ({ upToRank: index + 1, credits: 1 }))],
  ])('when the rank bands have %s, then they are refused', (_what, bands) => {
    expect(
      codeOf(() => {
        assertTerms('base', 'contest_placed', terms({ basis: { kind: 'by_rank', bands } }));
      }),
    ).toBe(RULE_RANK_BANDS_INVALID);
  });

  it('when a rank band earns nothing, then the credits are refused', () => {
    expect(
      codeOf(() => {
        assertTerms(
          'base',
          'contest_placed',
          terms({ basis: { kind: 'by_rank', bands: [{ upToRank: 1, credits: 0 }] } }),
        );
      }),
    ).toBe(RULE_CREDITS_INVALID);
  });

  it.each([
    ['a daily cap of 0', { dailyCap: 0 }, RULE_CAP_INVALID],
    ['a yearly cap of 0', { yearlyCap: 0 }, RULE_CAP_INVALID],
    ['a daily cap below zero', { dailyCap: -100 }, RULE_CAP_INVALID],
    ['a yearly cap below zero', { yearlyCap: -1 }, RULE_CAP_INVALID],
    ['a daily cap above the yearly', { dailyCap: 900, yearlyCap: 800 }, RULE_CAPS_INCONSISTENT],
    ['no basis on a base rule', { basis: null }, RULE_BASIS_REQUIRED],
    ['a bonus percentage on a base rule', { bonusPercent: 50 }, RULE_BONUS_PERCENT_NOT_FOR_BASE],
  ])('when a base rule has %s, then it is refused', (_what, overrides, code) => {
    expect(
      codeOf(() => {
        assertTerms('base', 'lecture_attended', terms(overrides));
      }),
    ).toBe(code);
  });

  it('when the caps are omitted or the daily equals the yearly, then they are accepted', () => {
    expect(() => {
      assertTerms('base', 'lecture_attended', terms({ dailyCap: null, yearlyCap: null }));
      assertTerms('base', 'lecture_attended', terms({ dailyCap: 800, yearlyCap: 800 }));
      assertTerms('base', 'lecture_attended', terms({ dailyCap: null, yearlyCap: 800 }));
    }).not.toThrow();
  });

  it.each([
    [
      'a basis',
      { basis: { kind: 'per_occurrence', credits: 100 } as const, bonusPercent: 50 },
      RULE_BASIS_NOT_FOR_BONUS,
    ],
    ['no percentage', { basis: null, bonusPercent: null }, RULE_BONUS_PERCENT_INVALID],
    ['0 percent', { basis: null, bonusPercent: 0 }, RULE_BONUS_PERCENT_INVALID],
    ['501 percent', { basis: null, bonusPercent: 501 }, RULE_BONUS_PERCENT_INVALID],
    ['12.5 percent', { basis: null, bonusPercent: 12.5 }, RULE_BONUS_PERCENT_INVALID],
  ])('when a bonus has %s, then it is refused', (_what, overrides, code) => {
    expect(
      codeOf(() => {
        assertTerms('bonus', 'lecture_attended', terms(overrides));
      }),
    ).toBe(code);
  });

  it('when a bonus adds 1 or 500 percent with no basis, then it is accepted', () => {
    expect(() => {
      assertTerms('bonus', 'lecture_attended', terms({ basis: null, bonusPercent: 1 }));
      assertTerms('bonus', 'activity_attended', terms({ basis: null, bonusPercent: 500 }));
    }).not.toThrow();
  });
});

describe('a version’s dates', () => {
  it.each([
    ['yesterday', { effectiveFrom: '2027-03-09', effectiveTo: null }, RULE_EFFECTIVE_FROM_TOO_SOON],
    ['today', { effectiveFrom: TODAY, effectiveTo: null }, RULE_EFFECTIVE_FROM_TOO_SOON],
    [
      'an end before the start',
      { effectiveFrom: '2027-04-02', effectiveTo: '2027-04-01' },
      RULE_EFFECTIVE_TO_BEFORE_FROM,
    ],
    [
      'a start past five years',
      { effectiveFrom: '2032-03-11', effectiveTo: null },
      RULE_EFFECTIVE_TOO_FAR,
    ],
    [
      'an end past five years',
      { effectiveFrom: '2027-03-11', effectiveTo: '2032-03-11' },
      RULE_EFFECTIVE_TOO_FAR,
    ],
    ['no such day', { effectiveFrom: '2027-02-30', effectiveTo: null }, CALENDAR_DATE_INVALID],
    ['not a date', { effectiveFrom: '10/03/2027', effectiveTo: null }, CALENDAR_DATE_INVALID],
  ])('when it starts %s, then it is refused', (_what, range, code) => {
    expect(
      codeOf(() => {
        assertRange(range, TODAY);
      }),
    ).toBe(code);
  });

  it('when it is tomorrow for one day, or five years ahead to the day, then it is accepted', () => {
    expect(() => {
      assertRange({ effectiveFrom: '2027-03-11', effectiveTo: '2027-03-11' }, TODAY);
      assertRange({ effectiveFrom: '2032-03-10', effectiveTo: '2032-03-10' }, TODAY);
    }).not.toThrow();
  });

  it('when a bonus’s first version is made, then its stored basis is the placeholder and the years follow', () => {
    const first = firstVersion(
      definition({ kind: 'bonus', campaignId: 'c1' }),
      terms({ basis: null, bonusPercent: 50, dailyCap: null, yearlyCap: null }),
      { effectiveFrom: '2027-04-01', effectiveTo: '2027-04-30' },
      TODAY,
      AUTHOR,
    );

    expect(first).toMatchObject({ version: 1, basis: BONUS_BASIS, bonusPercent: 50 });
    expect(yearsOf([first])).toEqual({ firstYear: 2027, lastYear: 2027 });
    expect(yearsOf([version(1, '2027-04-01', null)])).toEqual({
      firstYear: 2027,
      lastYear: OPEN_ENDED_YEAR,
    });
  });
});

describe('a new version', () => {
  const next = (
    versions: RuleVersion[],
    effectiveFrom: string,
    effectiveTo: string | null = null,
  ) =>
    withNewVersion(
      { kind: 'base', source: 'lecture_attended', versions },
      terms(),
      { effectiveFrom, effectiveTo },
      TODAY,
      AUTHOR,
    );
  const ranges = (versions: RuleVersion[]) =>
    versions.map((v) => [v.version, v.effectiveFrom, v.effectiveTo]);

  it('when it starts tomorrow, then the open version closes today and the new one is version 2', () => {
    expect(ranges(next([version(1, '2027-01-01', null)], '2027-03-11'))).toEqual([
      [1, '2027-01-01', '2027-03-10'],
      [2, '2027-03-11', null],
    ]);
  });

  it('when it starts today, then it is refused: the version in effect keeps today', () => {
    expect(codeOf(() => next([version(1, '2027-01-01', null)], TODAY))).toBe(
      RULE_EFFECTIVE_FROM_TOO_SOON,
    );
  });

  it('when it starts tomorrow on a version that starts tomorrow, then that version is replaced', () => {
    expect(
      ranges(next([version(1, '2027-01-01', TODAY), version(2, '2027-03-11', null)], '2027-03-11')),
    ).toEqual([
      [1, '2027-01-01', TODAY],
      [2, '2027-03-11', null],
    ]);
  });

  it('when the rule already ended before it starts, then the old versions stay as they were', () => {
    expect(
      ranges(next([version(1, '2027-01-01', '2027-02-28')], '2027-04-01', '2027-04-30')),
    ).toEqual([
      [1, '2027-01-01', '2027-02-28'],
      [2, '2027-04-01', '2027-04-30'],
    ]);
  });

  it('when it starts on or before versions not yet in effect, then they are replaced', () => {
    const versions = [
      version(1, '2027-01-01', '2027-05-31'),
      version(2, '2027-06-01', '2027-06-30'),
      version(3, '2027-07-01', null),
    ];

    expect(ranges(next(versions, '2027-06-01', '2027-12-31'))).toEqual([
      [1, '2027-01-01', '2027-05-31'],
      [2, '2027-06-01', '2027-12-31'],
    ]);
    expect(ranges(next(versions, '2027-04-01'))).toEqual([
      [1, '2027-01-01', '2027-03-31'],
      [2, '2027-04-01', null],
    ]);
  });

  it('when it starts in the past, then it is refused', () => {
    expect(codeOf(() => next([version(1, '2027-01-01', null)], '2027-03-01'))).toBe(
      RULE_EFFECTIVE_FROM_TOO_SOON,
    );
  });
});

describe('a retirement', () => {
  it('when it ends the rule on a day, then the version in effect closes then and later ones are dropped', () => {
    const retired = retiredVersions(
      [version(1, '2027-01-01', '2027-05-31'), version(2, '2027-06-01', null)],
      '2027-04-30',
      TODAY,
    );

    expect(retired.map((v) => [v.version, v.effectiveFrom, v.effectiveTo])).toEqual([
      [1, '2027-01-01', '2027-04-30'],
    ]);
  });

  it('when it ends the rule today, then today is its last day', () => {
    expect(retiredVersions([version(1, '2027-01-01', null)], TODAY, TODAY)[0]?.effectiveTo).toBe(
      TODAY,
    );
  });

  it.each([
    ['yesterday', [version(1, '2027-01-01', null)], '2027-03-09', RULE_RETIREMENT_PAST],
    [
      'on or after its end',
      [version(1, '2027-01-01', '2027-06-30')],
      '2027-06-30',
      RULE_ALREADY_ENDS,
    ],
    [
      'before it starts',
      [version(1, '2027-06-01', null)],
      '2027-05-31',
      RULE_RETIREMENT_BEFORE_START,
    ],
    ['on no such day', [version(1, '2027-01-01', null)], '2027-13-01', CALENDAR_DATE_INVALID],
  ])('when it is %s, then it is refused', (_what, versions, on, code) => {
    expect(codeOf(() => retiredVersions(versions, on, TODAY))).toBe(code);
  });
});

describe('overlapping rules', () => {
  const a = rule();

  it.each([
    ['the same source, all categories and tiers, open-ended', {}],
    [
      'categories that share one',
      { categories: ['political_theory', 'ethics_etiquette'] as const },
    ],
    ['tiers where the other names none', { tiers: ['pupil'] as const }],
    [
      'a later version meeting the other’s range',
      { versions: [version(1, '2026-01-01', '2026-12-31'), version(2, '2027-06-01', null)] },
    ],
  ])('when the other has %s, then they overlap', (_what, overrides) => {
    // The rule under test names one category, so only a list sharing it (or none) meets it.
    const mine = rule({ categories: ['ethics_etiquette'] });

    expect(overlaps(mine, rule({ id: 'rule-b', ...overrides }))).toBe(true);
  });

  it.each([
    ['another source', { source: 'activity_attended' as const }],
    ['the other kind', { kind: 'bonus' as const, campaignId: 'c1' }],
    ['ranges that do not meet', { versions: [version(1, '2026-01-01', '2026-12-31')] }],
    ['the same id (itself)', { id: 'rule-a' }],
  ])('when the other has %s, then they do not overlap', (_what, overrides) => {
    expect(overlaps(a, rule({ id: 'rule-b', ...overrides }))).toBe(false);
  });

  it('when both name categories (or tiers) and share none, then they do not overlap', () => {
    expect(
      overlaps(
        rule({ categories: ['political_theory'] }),
        rule({ id: 'rule-b', categories: ['ethics_etiquette'] }),
      ),
    ).toBe(false);
    expect(
      overlaps(rule({ tiers: ['pupil'] }), rule({ id: 'rule-b', tiers: ['leading_cadre'] })),
    ).toBe(false);
  });

  it('when two bonuses name different campaigns, then they do not overlap; the same campaign, they do', () => {
    const bonus = rule({ kind: 'bonus', campaignId: 'c1' });

    expect(overlaps(bonus, rule({ id: 'rule-b', kind: 'bonus', campaignId: 'c2' }))).toBe(false);
    expect(overlaps(bonus, rule({ id: 'rule-b', kind: 'bonus', campaignId: 'c1' }))).toBe(true);
  });

  it('when ranges touch only end to start, then they do not overlap; sharing one day, they do', () => {
    const first = rule({ versions: [version(1, '2027-01-01', '2027-03-31')] });

    expect(
      overlaps(first, rule({ id: 'rule-b', versions: [version(1, '2027-04-01', null)] })),
    ).toBe(false);
    expect(
      overlaps(first, rule({ id: 'rule-b', versions: [version(1, '2027-03-31', null)] })),
    ).toBe(true);
  });

  it('when a rule overlaps one of the book, then it is refused naming that rule', () => {
    const refusal = refusalOf(() => {
      assertNoOverlap(a, [rule({ id: 'rule-x', source: 'book_donated' }), rule({ id: 'rule-b' })]);
    });

    expect(refusal).toMatchObject({ code: RULE_OVERLAP, kind: 'conflict' });
    expect(refusal.message).toContain('rule-b');
  });

  it('when the version on a day is asked, then the one whose range holds it answers', () => {
    const versions = [version(1, '2027-01-01', '2027-03-31'), version(2, '2027-05-01', null)];

    expect(versionOn(versions, '2027-03-31')?.version).toBe(1);
    expect(versionOn(versions, '2027-04-15')).toBeNull();
    expect(versionOn(versions, '2030-01-01')?.version).toBe(2);
  });
});

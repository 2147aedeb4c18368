import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addDays } from '@learning/domain';
import { parseCredits } from '../../src/domain/credits.js';
import type { SourceKind } from '../../src/domain/facts.js';
import { assertNoOverlap, firstVersion } from '../../src/domain/rule-book.js';
import type { CreditBasis, CreditRule, RuleKind } from '../../src/domain/rules.js';

/** A POST /v1/credit-rules body as the demo file writes it. */
interface DemoRule {
  kind?: RuleKind;
  name: string;
  source: SourceKind;
  campaignId?: string;
  basis?:
    | { kind: 'per_occurrence' | 'per_hour' | 'per_unit'; credits: string }
    | { kind: 'by_rank'; bands: { upToRank: number; credits: string }[] };
  dailyCap?: string;
  yearlyCap?: string;
  bonusPercent?: number;
}

const demo = JSON.parse(
  readFileSync(new URL('../../../../infra/local/demo/credit-rules.json', import.meta.url), 'utf8'),
) as { campaigns: Record<string, string>; rules: DemoRule[] };

const basisOf = (basis: NonNullable<DemoRule['basis']>): CreditBasis =>
  basis.kind === 'by_rank'
    ? {
        kind: 'by_rank',
        bands: basis.bands.map((band) => ({ ...band, credits: parseCredits(band.credits) })),
      }
    : { kind: basis.kind, credits: parseCredits(basis.credits) };

const TODAY = '2027-01-04';

describe('the demo rules (infra/local/demo/credit-rules.json)', () => {
  it('when each is checked as the office’s POST would be, then all are valid and none overlaps another', () => {
    const rules: CreditRule[] = demo.rules.map((body, index) => {
      const definition = {
        kind: body.kind ?? 'base',
        name: body.name,
        source: body.source,
        categories: [],
        tiers: [],
        campaignId: body.campaignId ?? null,
      };
      const version = firstVersion(
        definition,
        {
          basis: body.basis === undefined ? null : basisOf(body.basis),
          dailyCap: body.dailyCap === undefined ? null : parseCredits(body.dailyCap),
          yearlyCap: body.yearlyCap === undefined ? null : parseCredits(body.yearlyCap),
          bonusPercent: body.bonusPercent ?? null,
        },
        // The POST's default: tomorrow in the city.
        { effectiveFrom: addDays(TODAY, 1), effectiveTo: null },
        TODAY,
        { createdBy: 'demo', createdAt: new Date() },
      );
      return { id: `demo-${String(index)}`, ...definition, versions: [version] };
    });

    for (const rule of rules) assertNoOverlap(rule, rules);
    expect(rules.map((rule) => rule.source)).toEqual(
      expect.arrayContaining([
        'lecture_attended',
        'activity_attended',
        'lesson_completed',
        'contest_placed',
        'book_donated',
        'organization_recognized',
      ]),
    );
  });

  it('when a bonus names a campaign, then the file says which campaign the loader puts in its place', () => {
    const named = demo.rules.flatMap((rule) =>
      rule.campaignId === undefined ? [] : [rule.campaignId],
    );

    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((key) => demo.campaigns[key] === undefined)).toEqual([]);
  });
});

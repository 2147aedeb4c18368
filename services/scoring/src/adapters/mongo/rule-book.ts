/** The rule book evaluation reads: a source's rules in force in a year, straight from the rules collection. */
import type { Model } from 'mongoose';
import type { SourceKind } from '../../domain/facts.js';
import type { CreditBasis, CreditRule } from '../../domain/rules.js';
import type { RuleBook } from '../../application/ports.js';
import type { RuleBasisDocument, RuleDocument } from './rules.js';

function basisOf(document: RuleBasisDocument): CreditBasis {
  if (document.kind === 'by_rank')
    return {
      kind: 'by_rank',
      bands: (document.bands ?? []).map(({ upToRank, credits }) => ({ upToRank, credits })),
    };
  return { kind: document.kind, credits: document.credits ?? 0 };
}

export function ruleOf(document: RuleDocument): CreditRule {
  return {
    id: document._id,
    kind: document.kind,
    name: document.name,
    source: document.source,
    categories: [...document.categories],
    tiers: [...document.tiers],
    campaignId: document.campaignId,
    versions: document.versions.map((version) => ({
      version: version.version,
      effectiveFrom: version.effectiveFrom,
      effectiveTo: version.effectiveTo,
      basis: basisOf(version.basis),
      dailyCap: version.dailyCap,
      yearlyCap: version.yearlyCap,
      bonusPercent: version.bonusPercent,
      createdBy: version.createdBy,
      createdAt: version.createdAt,
    })),
  };
}

export class MongoRuleBook implements RuleBook {
  constructor(private readonly rules: Model<RuleDocument>) {}

  async rulesFor(source: SourceKind, year: number): Promise<readonly CreditRule[]> {
    const documents = await this.rules
      .find({ source, firstYear: { $lte: year }, lastYear: { $gte: year } })
      .sort({ _id: 1 })
      .lean<RuleDocument[]>();
    return documents.map(ruleOf);
  }
}

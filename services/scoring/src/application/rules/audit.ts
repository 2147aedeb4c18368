/** What the audit log keeps of a rule (no personal data: the office's own terms), and how a change is recorded. */
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import { formatCredits } from '../../domain/credits.js';
import type { CreditBasis, CreditRule, RuleVersion } from '../../domain/rules.js';

const basisView = (rule: CreditRule, basis: CreditBasis) => {
  if (rule.kind === 'bonus') return null;
  return basis.kind === 'by_rank'
    ? {
        kind: basis.kind,
        bands: basis.bands.map((band) => ({
          upToRank: band.upToRank,
          credits: formatCredits(band.credits),
        })),
      }
    : { kind: basis.kind, credits: formatCredits(basis.credits) };
};

const cap = (amount: number | null) => (amount === null ? null : formatCredits(amount));

/** A version as people read it: amounts as decimal strings, no basis on a bonus. */
export const versionView = (rule: CreditRule, version: RuleVersion) => ({
  version: version.version,
  effectiveFrom: version.effectiveFrom,
  effectiveTo: version.effectiveTo,
  basis: basisView(rule, version.basis),
  dailyCap: cap(version.dailyCap),
  yearlyCap: cap(version.yearlyCap),
  bonusPercent: version.bonusPercent,
});

export const ruleAuditView = (rule: CreditRule) => ({
  kind: rule.kind,
  name: rule.name,
  source: rule.source,
  categories: [...rule.categories],
  tiers: [...rule.tiers],
  campaignId: rule.campaignId,
  versions: rule.versions.map((version) => versionView(rule, version)),
});

export function ruleAudit(
  audit: AuditTrail,
  principal: Principal,
  action: 'credit_rule.create' | 'credit_rule.version' | 'credit_rule.retire',
  ruleId: string,
  before: CreditRule | null,
  after: CreditRule,
): OutboxEntry {
  return audit.entry({
    actor: actorOf(principal),
    action,
    entityType: 'credit_rule',
    entityId: ruleId,
    jurisdictionPath: CITY_WIDE_PATH,
    before: before === null ? null : ruleAuditView(before),
    after: ruleAuditView(after),
  });
}

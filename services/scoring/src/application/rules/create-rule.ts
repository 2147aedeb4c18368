/** The office adds a credit rule: its scope, and its first version from tomorrow or a later day. */
import { randomUUID } from 'node:crypto';
import type { Principal } from '@learning/auth';
import { addDays, chinaDateOf, domainCall, type CalendarDate } from '@learning/domain';
import { firstVersion, type RuleDefinition, type VersionTerms } from '../../domain/rule-book.js';
import type { CreditRule } from '../../domain/rules.js';
import { ruleAudit } from './audit.js';
import { assertFitsTheBook, type RulesDeps } from './deps.js';
import type { StoredRule } from './ports.js';

export interface CreateRuleRequest extends RuleDefinition {
  readonly terms: VersionTerms;
  /** Tomorrow (city calendar) when absent. */
  readonly effectiveFrom?: CalendarDate;
  readonly effectiveTo: CalendarDate | null;
}

export type CreateRule = (principal: Principal, request: CreateRuleRequest) => Promise<StoredRule>;

export const createRule =
  ({ rules, lock, publicPages, audit, clock }: RulesDeps): CreateRule =>
  async (principal, request) => {
    const now = clock();
    const today = chinaDateOf(now);
    const { terms, effectiveFrom, effectiveTo, ...definition } = request;
    const version = domainCall(() =>
      firstVersion(
        definition,
        terms,
        { effectiveFrom: effectiveFrom ?? addDays(today, 1), effectiveTo },
        today,
        { createdBy: principal.subject, createdAt: now },
      ),
    );
    const rule: CreditRule = {
      id: randomUUID(),
      ...definition,
      categories: [...definition.categories],
      tiers: [...definition.tiers],
      versions: [version],
    };
    const stored = await lock.holding(rule.source, async () => {
      await assertFitsTheBook(rules, rule);
      return rules.create({
        ...rule,
        createdAt: now,
        updatedAt: now,
        events: [ruleAudit(audit, principal, 'credit_rule.create', rule.id, null, rule)],
      });
    });
    await publicPages.invalidate();
    return stored;
  };

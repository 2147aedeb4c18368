/** The office ends a rule on a day (today or later): its last day in effect, so it still counts that day. */
import type { Principal } from '@learning/auth';
import { chinaDateOf, domainCall, type CalendarDate } from '@learning/domain';
import { retiredVersions } from '../../domain/rule-book.js';
import { ruleAudit } from './audit.js';
import { ruleAt, type RulesDeps } from './deps.js';
import type { StoredRule } from './ports.js';

export interface RetireRuleRequest {
  /** The rule's last day in effect. */
  readonly effectiveTo: CalendarDate;
  readonly expectedRevision?: number;
}

export type RetireRule = (
  principal: Principal,
  id: string,
  request: RetireRuleRequest,
) => Promise<StoredRule>;

export const retireRule =
  ({ rules, publicPages, audit, clock }: RulesDeps): RetireRule =>
  async (principal, id, request) => {
    const rule = await ruleAt(rules, id, request.expectedRevision);
    const now = clock();
    const versions = domainCall(() =>
      retiredVersions(rule.versions, request.effectiveTo, chinaDateOf(now)),
    );
    // Ending sooner only narrows the rule: it cannot come to overlap another.
    const stored = await rules.changeVersions({
      id,
      expectedRevision: rule.revision,
      versions,
      updatedAt: now,
      events: [ruleAudit(audit, principal, 'credit_rule.retire', id, rule, { ...rule, versions })],
    });
    await publicPages.invalidate();
    return stored;
  };

/**
 * The office changes a rule from a day on (tomorrow or later): a new version
 * that closes the one in effect the day before and replaces those not yet
 * in effect; what has already happened keeps its version (decision 0016).
 */
import type { Principal } from '@learning/auth';
import { chinaDateOf, domainCall, type CalendarDate } from '@learning/domain';
import { withNewVersion, type VersionTerms } from '../../domain/rule-book.js';
import { ruleAudit } from './audit.js';
import { assertFitsTheBook, ruleAt, type RulesDeps } from './deps.js';
import type { StoredRule } from './ports.js';

export interface AddVersionRequest {
  readonly terms: VersionTerms;
  readonly effectiveFrom: CalendarDate;
  readonly effectiveTo: CalendarDate | null;
  /** The revision last read; the rule's current one when absent. */
  readonly expectedRevision?: number;
}

export type AddVersion = (
  principal: Principal,
  id: string,
  request: AddVersionRequest,
) => Promise<StoredRule>;

export const addVersion =
  ({ rules, lock, publicPages, audit, clock }: RulesDeps): AddVersion =>
  async (principal, id, request) => {
    const rule = await ruleAt(rules, id, request.expectedRevision);
    const now = clock();
    const versions = domainCall(() =>
      withNewVersion(
        rule,
        request.terms,
        { effectiveFrom: request.effectiveFrom, effectiveTo: request.effectiveTo },
        chinaDateOf(now),
        { createdBy: principal.subject, createdAt: now },
      ),
    );
    const after = { ...rule, versions };
    const stored = await lock.holding(rule.source, async () => {
      await assertFitsTheBook(rules, after);
      return rules.changeVersions({
        id,
        expectedRevision: rule.revision,
        versions,
        updatedAt: now,
        events: [ruleAudit(audit, principal, 'credit_rule.version', id, rule, after)],
      });
    });
    await publicPages.invalidate();
    return stored;
  };

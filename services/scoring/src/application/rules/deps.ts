/** What the rules use cases share: the store, the public pages, the audit trail and the clock. */
import type { AuditTrail } from '@learning/audit';
import { AppError } from '@learning/errors';
import { domainCall } from '@learning/domain';
import { assertNoOverlap } from '../../domain/rule-book.js';
import type { CreditRule } from '../../domain/rules.js';
import { ruleNotFound } from './errors.js';
import type { PublicRulePages, RuleBookLock, RuleRepository, StoredRule } from './ports.js';

export interface RulesDeps {
  readonly rules: RuleRepository;
  readonly lock: RuleBookLock;
  readonly publicPages: PublicRulePages;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

/** The rule as stored, at the revision the caller read when they name one. */
export async function ruleAt(
  rules: RuleRepository,
  id: string,
  expectedRevision: number | undefined,
): Promise<StoredRule> {
  const rule = await rules.get(id);
  if (rule === null) throw ruleNotFound();
  if (expectedRevision !== undefined && expectedRevision !== rule.revision)
    throw new AppError(
      'aborted',
      'VERSION_CONFLICT',
      'The rule was changed by someone else; reload it and try again.',
    );
  return rule;
}

/** Refuses `rule` as it would become when it overlaps another rule of its kind and source. */
export async function assertFitsTheBook(rules: RuleRepository, rule: CreditRule): Promise<void> {
  const rivals = await rules.rivalsOf(rule.kind, rule.source);
  domainCall(() => {
    assertNoOverlap(rule, rivals);
  });
}

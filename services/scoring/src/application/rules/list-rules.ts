/** The office's and officers' list of rules, oldest first, by source, kind or day in force. */
import type { RulePage, RuleQuery, RuleRepository } from './ports.js';

export type ListRules = (query: RuleQuery) => Promise<RulePage>;

export const listRules =
  (rules: RuleRepository): ListRules =>
  (query) =>
    rules.list(query);

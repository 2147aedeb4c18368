/** The office's and officers' read of one rule, with every version it had. */
import { ruleNotFound } from './errors.js';
import type { RuleRepository, StoredRule } from './ports.js';

export type GetRule = (id: string) => Promise<StoredRule>;

export const getRule =
  (rules: RuleRepository): GetRule =>
  async (id) => {
    const rule = await rules.get(id);
    if (rule === null) throw ruleNotFound();
    return rule;
  };

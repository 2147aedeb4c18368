/** What earns credits today, for anyone: each rule in force with only today's version. */
import { chinaDateOf } from '@learning/domain';
import { versionOn } from '../../domain/rule-book.js';
import type { RuleVersion } from '../../domain/rules.js';
import type { RuleRepository, StoredRule } from './ports.js';

export interface RuleInForce {
  readonly rule: StoredRule;
  readonly version: RuleVersion;
}

export interface PublicRulesPage {
  readonly day: string;
  readonly items: RuleInForce[];
  readonly nextPageToken: string | null;
}

export type PublicRules = (page: {
  pageSize: number;
  pageToken?: string;
}) => Promise<PublicRulesPage>;

export const publicRules =
  (rules: RuleRepository, clock: () => Date): PublicRules =>
  async (page) => {
    const day = chinaDateOf(clock());
    const found = await rules.list({ ...page, inForceOn: day });
    return {
      day,
      items: found.items.flatMap((rule) => {
        const version = versionOn(rule.versions, day);
        return version === null ? [] : [{ rule, version }];
      }),
      nextPageToken: found.nextPageToken,
    };
  };

/**
 * What earns credits, for anyone: each rule in force today with today's
 * version, then each rule announced (starting later) with its first version,
 * so people see what is coming before it starts.
 */
import { platformErrors } from '@learning/errors';
import { chinaDateOf } from '@learning/domain';
import { versionOn } from '../../domain/rule-book.js';
import type { RuleVersion } from '../../domain/rules.js';
import type { RuleRepository, StoredRule } from './ports.js';

export type PublicRuleStatus = 'in_force' | 'announced';

export interface PublicRule {
  readonly rule: StoredRule;
  /** The terms shown: today's, or the first ones of an announced rule. */
  readonly version: RuleVersion;
  readonly status: PublicRuleStatus;
}

export interface PublicRulesPage {
  readonly day: string;
  readonly items: PublicRule[];
  readonly nextPageToken: string | null;
}

export type PublicRules = (page: {
  pageSize: number;
  pageToken?: string;
}) => Promise<PublicRulesPage>;

// The list runs over two queries, rules in force then rules announced; a
// page token names its query, and the store's own token (bound to that
// query's filter) follows.
const IN_FORCE = 'f';
const ANNOUNCED = 'a';

function phaseOf(token: string | undefined): { phase: string; after?: string } {
  if (token === undefined) return { phase: IN_FORCE };
  const separator = token.indexOf(':');
  const phase = token.slice(0, separator);
  const after = token.slice(separator + 1);
  if (separator < 0 || (phase !== IN_FORCE && phase !== ANNOUNCED))
    throw platformErrors.error(
      'CURSOR_INVALID',
      'The page cursor is not valid for this query; start again from the first page.',
    );
  return after === '' ? { phase } : { phase, after };
}

export const publicRules =
  (rules: RuleRepository, clock: () => Date): PublicRules =>
  async ({ pageSize, pageToken }) => {
    const day = chinaDateOf(clock());
    const { phase, after } = phaseOf(pageToken);
    const items: PublicRule[] = [];
    if (phase === IN_FORCE) {
      const found = await rules.list({ pageSize, pageToken: after, inForceOn: day });
      for (const rule of found.items) {
        const version = versionOn(rule.versions, day);
        if (version !== null) items.push({ rule, version, status: 'in_force' });
      }
      if (found.nextPageToken !== null)
        return { day, items, nextPageToken: `${IN_FORCE}:${found.nextPageToken}` };
    }
    const room = pageSize - items.length;
    if (room === 0) return { day, items, nextPageToken: `${ANNOUNCED}:` };
    const announced = await rules.list({
      pageSize: room,
      pageToken: phase === ANNOUNCED ? after : undefined,
      announcedAfter: day,
    });
    for (const rule of announced.items) {
      const [first] = rule.versions;
      if (first !== undefined) items.push({ rule, version: first, status: 'announced' });
    }
    return {
      day,
      items,
      nextPageToken:
        announced.nextPageToken === null ? null : `${ANNOUNCED}:${announced.nextPageToken}`,
    };
  };

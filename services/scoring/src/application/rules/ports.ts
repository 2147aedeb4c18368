/** What the rules slice stores: the rule documents (with their audit records) and the public pages it drops. */
import type { OutboxEntry } from '@learning/events';
import type { SourceKind } from '../../domain/facts.js';
import type { CreditRule, RuleKind, RuleVersion } from '../../domain/rules.js';

export interface StoredRule extends CreditRule {
  /** Bumped by every write; a write applies only at the revision it read. */
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewRule extends Omit<StoredRule, 'revision'> {
  readonly events: readonly OutboxEntry[];
}

export interface VersionsChange {
  readonly id: string;
  readonly expectedRevision: number;
  readonly versions: readonly RuleVersion[];
  readonly updatedAt: Date;
  readonly events: readonly OutboxEntry[];
}

export interface RuleQuery {
  readonly source?: SourceKind;
  readonly kind?: RuleKind;
  /** Only rules with a version in effect on this city date. */
  readonly inForceOn?: string;
  /** Only rules whose first version starts after this city date: announced, not yet in force. */
  readonly announcedAfter?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface RulePage {
  readonly items: StoredRule[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface RuleRepository {
  get(id: string): Promise<StoredRule | null>;
  create(rule: NewRule): Promise<StoredRule>;
  /** Replaces the versions (and the years they span); VERSION_CONFLICT when changed meanwhile, RULE_NOT_FOUND when absent. */
  changeVersions(change: VersionsChange): Promise<StoredRule>;
  /** Every rule of this kind and source, whatever its dates: what a write must not overlap. */
  rivalsOf(kind: RuleKind, source: SourceKind): Promise<StoredRule[]>;
  /** Oldest first. */
  list(query: RuleQuery): Promise<RulePage>;
}

/** The public list's rendered pages, kept in a shared cache. */
export interface PublicRulePages {
  through(key: string, render: () => Promise<string>): Promise<{ page: string; hit: boolean }>;
  /** Never fails the change it follows: a page not dropped expires on its own. */
  invalidate(): Promise<void>;
}

/**
 * Serializes writes to one source's rules: the overlap check reads them all
 * and the write follows, so two overlapping rules written at once cannot
 * both pass it.
 */
export interface RuleBookLock {
  /** Runs `work` holding the source's lock; RULE_BOOK_BUSY when it stays held by another write. */
  holding<T>(source: SourceKind, work: () => Promise<T>): Promise<T>;
}

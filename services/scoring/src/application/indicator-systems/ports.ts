/** What the indicator systems slice stores: the systems (with their audit records and past versions) and the public pages it drops. */
import type { OutboxEntry } from '@learning/events';
import type { Indicator, IndicatorSystem, SystemTarget } from '../../domain/evaluation.js';

/** A version the system had before a change replaced it. */
export interface PastVersion {
  readonly version: number;
  readonly passMark: number;
  readonly indicators: readonly Indicator[];
  /** When the change that replaced it was saved, and by whom. */
  readonly supersededAt: Date;
  readonly supersededBy: string;
}

export interface StoredIndicatorSystem extends IndicatorSystem {
  /** Oldest first. */
  readonly history: readonly PastVersion[];
  /** Set when an assessment under the system is locked: from then on it never changes. */
  readonly frozenAt: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewIndicatorSystem extends IndicatorSystem {
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly events: readonly OutboxEntry[];
}

/** A replacement of the terms, applied only while not frozen. */
export interface SystemChange {
  readonly id: string;
  /** The version read, applied only while it is still the current one; it goes to the history. */
  readonly replaced: Pick<IndicatorSystem, 'version' | 'passMark' | 'indicators'>;
  readonly name: string;
  readonly passMark: number;
  readonly indicators: readonly Indicator[];
  readonly savedBy: string;
  readonly savedAt: Date;
  readonly events: readonly OutboxEntry[];
}

export interface SystemQuery {
  readonly year?: number;
  readonly target?: SystemTarget;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface SystemPage {
  readonly items: StoredIndicatorSystem[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface IndicatorSystemRepository {
  get(id: string): Promise<StoredIndicatorSystem | null>;
  /** INDICATOR_SYSTEM_EXISTS (naming the one there) when the year has a system for the target. */
  create(system: NewIndicatorSystem): Promise<StoredIndicatorSystem>;
  /**
   * Pushes the current version to the history and saves the new terms as the
   * next version; INDICATOR_SYSTEM_NOT_FOUND, INDICATOR_SYSTEM_FROZEN, or
   * VERSION_CONFLICT when it changed meanwhile.
   */
  replace(change: SystemChange): Promise<StoredIndicatorSystem>;
  /** Oldest first. */
  list(query: SystemQuery): Promise<SystemPage>;
}

/** The public list's rendered pages, kept in a shared cache. */
export interface PublicSystemPages {
  through(key: string, render: () => Promise<string>): Promise<{ page: string; hit: boolean }>;
  /** Never fails the change it follows: a page not dropped expires on its own. */
  invalidate(): Promise<void>;
}

/**
 * What the catalogue slice stores: the lecture series and their forums.
 * Both are city-wide reference data (the programme's own names), read by
 * everyone once active, so they are not jurisdiction-scoped; who may change
 * them is decided by the office and manager rules (domain/forums.ts).
 */
import type { ContentCategory, Tier } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { ForumStatus } from '../../domain/catalogue.js';

export interface StoredSeries {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Fixed once created: the forums carry it as who runs them. */
  readonly ownerDepartment: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/** A new series with its audit record, stored in one write. */
export interface NewSeries extends Omit<StoredSeries, 'version'> {
  readonly events: readonly OutboxEntry[];
}

export type SeriesFields = Pick<StoredSeries, 'name' | 'description'>;

export interface SeriesChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly set: Partial<SeriesFields>;
  readonly events: readonly OutboxEntry[];
}

export interface PageQuery {
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface Paged<T> {
  readonly items: T[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface SeriesRepository {
  get(id: string): Promise<StoredSeries | null>;
  /** SERIES_ALREADY_EXISTS when the name is taken. */
  create(series: NewSeries): Promise<StoredSeries>;
  /** VERSION_CONFLICT when changed meanwhile, SERIES_NOT_FOUND when gone, SERIES_ALREADY_EXISTS on a taken name. */
  change(change: SeriesChange): Promise<StoredSeries>;
  /** In name order. */
  list(query: PageQuery): Promise<Paged<StoredSeries>>;
}

export interface StoredForum {
  readonly id: string;
  readonly seriesId: string;
  readonly name: string;
  readonly description: string;
  readonly managerSubjects: readonly string[];
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
  readonly leadDepartment: string;
  /** The series' owner department; undefined on a forum stored without it. */
  readonly ownerDepartment: string | undefined;
  readonly status: ForumStatus;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface NewForum extends Omit<StoredForum, 'version'> {
  readonly events: readonly OutboxEntry[];
}

/** What a change may set; the series and its owner stay. */
export type ForumFields = Pick<
  StoredForum,
  | 'name'
  | 'description'
  | 'managerSubjects'
  | 'targetTiers'
  | 'categories'
  | 'leadDepartment'
  | 'status'
>;

export interface ForumChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly set: Partial<ForumFields>;
  readonly events: readonly OutboxEntry[];
}

export interface ForumQuery extends PageQuery {
  readonly seriesId?: string;
  readonly status?: ForumStatus;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  /** Whose forums: every one, or those a person manages or their department owns. */
  readonly reach: ForumReach;
}

export type ForumReach =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'managed';
      /** Forums listing this account subject among their managers. */
      readonly subject: string;
      /** And the forums of series this department owns. */
      readonly ownerDepartment?: string;
    };

export interface ForumRepository {
  get(id: string): Promise<StoredForum | null>;
  /** FORUM_ALREADY_EXISTS when the series has a forum of that name. */
  create(forum: NewForum): Promise<StoredForum>;
  /** VERSION_CONFLICT, FORUM_NOT_FOUND, FORUM_ALREADY_EXISTS as create. */
  change(change: ForumChange): Promise<StoredForum>;
  /** In id order. */
  search(query: ForumQuery): Promise<Paged<StoredForum>>;
}

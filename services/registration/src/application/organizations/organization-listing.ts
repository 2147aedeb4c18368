/**
 * Organizations as whole-city runs walk them (the annual evaluation over
 * 100,000 organizations): pages in id order after a cursor, so memory stays
 * bounded by a page, member counts for a page at once, and counts per area.
 */
import type { OrganizationKind } from '../../domain/departments.js';
import type { OrganizationStatus } from '../../domain/organizations.js';
import type { StoredOrganization } from './organization-repository.js';

export interface OrganizationListingQuery {
  readonly kind?: OrganizationKind;
  /** Only organizations in this node's subtree. */
  readonly jurisdictionCode?: string;
  /** Only these organizations; absent: any. */
  readonly organizationIds?: readonly string[];
  /** Only these statuses; empty: any. */
  readonly statuses: readonly OrganizationStatus[];
  /** Only ids after this one; null: from the first. */
  readonly afterId: string | null;
  readonly limit: number;
}

export interface OrganizationCountInArea {
  readonly total: number;
  /** Of the statuses asked for. */
  readonly matching: number;
}

export interface OrganizationListing {
  /** At most `limit` organizations matching the query, ascending by id. */
  after(query: OrganizationListingQuery): Promise<StoredOrganization[]>;
  /** Active members of each of `organizationIds`; organizations without any are absent. */
  activeMemberCounts(organizationIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** For each code, the organizations in its subtree; codes without any are absent. */
  countIn(
    jurisdictionCodes: readonly string[],
    statuses: readonly OrganizationStatus[],
  ): Promise<ReadonlyMap<string, OrganizationCountInArea>>;
}

/**
 * The organization listing over MongoDB: the organizations' `_id` order is
 * the cursor (the `jurisdictionPath, kind, status, _id` index serves a
 * filtered walk), and member counts and area counts are one aggregation
 * each for the whole page or list of areas.
 */
import type { Model, RootFilterQuery } from 'mongoose';
import type {
  OrganizationCountInArea,
  OrganizationListing,
  OrganizationListingQuery,
} from '../../application/organizations/organization-listing.js';
import type { StoredOrganization } from '../../application/organizations/organization-repository.js';
import type { OrganizationStatus } from '../../domain/organizations.js';
import type { MembershipDocument } from './memberships.js';
import { toStored, type OrganizationDocument } from './organizations.js';

interface CountRow {
  _id: string;
  count: number;
}

interface AreaRow {
  _id: string;
  total: number;
  matching: number;
}

export class MongoOrganizationListing implements OrganizationListing {
  constructor(
    private readonly organizations: Model<OrganizationDocument>,
    private readonly memberships: Model<MembershipDocument>,
  ) {}

  async after(query: OrganizationListingQuery): Promise<StoredOrganization[]> {
    const filter: RootFilterQuery<OrganizationDocument> = {};
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.kind !== undefined) filter.kind = query.kind;
    if (query.statuses.length > 0) filter.status = { $in: [...query.statuses] };
    const ids = query.organizationIds === undefined ? {} : { $in: [...query.organizationIds] };
    const after = query.afterId === null ? {} : { $gt: query.afterId };
    if (query.organizationIds !== undefined || query.afterId !== null)
      filter._id = { ...ids, ...after };
    const docs = await this.organizations
      .find(filter)
      .sort({ _id: 1 })
      .limit(query.limit)
      .lean<OrganizationDocument[]>();
    return docs.map(toStored);
  }

  async activeMemberCounts(
    organizationIds: readonly string[],
  ): Promise<ReadonlyMap<string, number>> {
    if (organizationIds.length === 0) return new Map();
    const rows = await this.memberships.aggregate<CountRow>([
      { $match: { organizationId: { $in: [...organizationIds] }, status: 'active' } },
      { $group: { _id: '$organizationId', count: { $sum: 1 } } },
    ]);
    return new Map(rows.map((row) => [row._id, row.count]));
  }

  async countIn(
    jurisdictionCodes: readonly string[],
    statuses: readonly OrganizationStatus[],
  ): Promise<ReadonlyMap<string, OrganizationCountInArea>> {
    if (jurisdictionCodes.length === 0) return new Map();
    const codes = [...new Set(jurisdictionCodes)];
    const wanted = statuses.length === 0 ? null : [...statuses];
    // An organization's path holds each of its ancestors once: unwinding it counts
    // the organization under every asked-for area it lies in.
    const rows = await this.organizations.aggregate<AreaRow>([
      { $match: { jurisdictionPath: { $in: codes } } },
      { $project: { jurisdictionPath: 1, status: 1 } },
      { $unwind: '$jurisdictionPath' },
      { $match: { jurisdictionPath: { $in: codes } } },
      {
        $group: {
          _id: '$jurisdictionPath',
          total: { $sum: 1 },
          matching: {
            $sum: wanted === null ? 1 : { $cond: [{ $in: ['$status', wanted] }, 1, 0] },
          },
        },
      },
    ]);
    return new Map(rows.map((row) => [row._id, { total: row.total, matching: row.matching }]));
  }
}

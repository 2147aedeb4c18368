/**
 * learning.registration.v1.OrganizationDirectoryService: organizations as the
 * services that cite them need them, and the city's departments they may name.
 */
import type { GrpcServer } from '@learning/grpc';
import { Scope } from '@learning/auth';
import { common, registration } from '@learning/proto';
import type { ListCurrentMembers } from '../../application/memberships/directory.js';
import type { OrganizationRepository } from '../../application/organizations/organization-repository.js';
import { DEPARTMENTS } from '../../domain/departments.js';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../../domain/organizations.js';
import { memberRolesInvalid } from '../../application/memberships/errors.js';
import {
  organizationFilterInvalid,
  organizationQueryInvalid,
} from '../../application/organizations/errors.js';
import { roleOf, routingOf, statusOf } from '../../application/organizations/events.js';
import type { OrganizationListing } from '../../application/organizations/organization-listing.js';
import type { StoredOrganization } from '../../application/organizations/organization-repository.js';
import { organizationKindFromProto } from '../../application/proto-mapping.js';
import { ORGANIZATION_STATUSES, type OrganizationStatus } from '../../domain/organizations.js';

/** The most ids one call may ask for. */
export const MAX_IDS = 1_000;
/** Organizations per streamed page when the caller names no size, and the most it may name. */
const DEFAULT_STREAM_PAGE = 500;
const MAX_STREAM_PAGE = 1_000;
/** The most jurisdiction codes one CountOrganizations call may ask for. */
const MAX_COUNT_CODES = 1_000;
/** Services act for the whole city; the caller decides what its own users may do with the answer. */
const directoryScope = Scope.system('organization directory');

const ROLES_FROM_PROTO: ReadonlyMap<registration.MembershipRole, MembershipRole> = new Map(
  MEMBERSHIP_ROLES.map((role) => [roleOf(role), role]),
);

const STATUSES_FROM_PROTO: ReadonlyMap<registration.OrganizationStatus, OrganizationStatus> =
  new Map(ORGANIZATION_STATUSES.map((status) => [statusOf(status), status]));

function statusesOf(statuses: readonly registration.OrganizationStatus[]): OrganizationStatus[] {
  return statuses.map((status) => {
    const known = STATUSES_FROM_PROTO.get(status);
    if (known === undefined)
      throw organizationFilterInvalid('/statuses', 'hold an unspecified or unknown status');
    return known;
  });
}

const summaryOf = (organization: StoredOrganization): registration.OrganizationSummary => ({
  organizationId: organization.id,
  name: organization.name,
  routing: routingOf(organization),
  status: statusOf(organization.status),
});

export function registerOrganizationDirectory(
  grpc: GrpcServer,
  organizations: OrganizationRepository,
  listCurrentMembers: ListCurrentMembers,
  listing: OrganizationListing,
): void {
  grpc.addService(registration.OrganizationDirectoryServiceService, {
    async getOrganizations(request) {
      if (request.ids.length > MAX_IDS) throw organizationQueryInvalid(MAX_IDS);
      const found = await organizations.byIds(directoryScope, [...new Set(request.ids)]);
      return { organizations: found.map(summaryOf) };
    },

    async getDepartments() {
      return { departments: DEPARTMENTS.map(({ code, name }) => ({ code, name })) };
    },

    async listMembers(request) {
      const roles = request.roles.map((role) => {
        const known = ROLES_FROM_PROTO.get(role);
        if (known === undefined) throw memberRolesInvalid();
        return known;
      });
      const page = await listCurrentMembers(request.organizationId, {
        size: request.page?.pageSize ?? 0,
        token: request.page?.pageToken ?? '',
        roles,
      });
      return {
        members: page.items.map((membership) => ({
          participantId: membership.participantId,
          role: roleOf(membership.role),
          joinedAt: membership.since,
        })),
        page: { nextPageToken: page.nextPageToken ?? '' },
      };
    },

    // Page by page from the cursor: the server holds one page, however many organizations match.
    async streamOrganizations(request, call) {
      const anyKind = request.kind === common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED;
      const kind = anyKind ? undefined : organizationKindFromProto(request.kind);
      if (!anyKind && kind === undefined)
        throw organizationFilterInvalid('/kind', 'is not a known organization kind');
      if (request.pageSize < 0 || request.pageSize > MAX_STREAM_PAGE)
        throw organizationFilterInvalid('/pageSize', `is not between 0 and ${MAX_STREAM_PAGE}`);
      if (request.organizationIds.length > MAX_IDS)
        throw organizationFilterInvalid('/organizationIds', `hold more than ${MAX_IDS} ids`);
      const statuses = statusesOf(request.statuses);
      const limit = request.pageSize === 0 ? DEFAULT_STREAM_PAGE : request.pageSize;
      let afterId: string | null = request.afterId === '' ? null : request.afterId;
      for (;;) {
        if (call.signal.aborted) return;
        const page = await listing.after({
          ...(kind === undefined ? {} : { kind }),
          ...(request.jurisdictionCode === ''
            ? {}
            : { jurisdictionCode: request.jurisdictionCode }),
          ...(request.organizationIds.length === 0
            ? {}
            : { organizationIds: request.organizationIds }),
          statuses,
          afterId,
          limit,
        });
        if (page.length === 0) return;
        const members = await listing.activeMemberCounts(page.map(({ id }) => id));
        await call.send({
          organizations: page.map((organization) => ({
            organization: summaryOf(organization),
            memberCount: members.get(organization.id) ?? 0,
          })),
        });
        if (page.length < limit) return;
        afterId = page[page.length - 1]?.id ?? null;
      }
    },

    async countOrganizations(request) {
      if (request.jurisdictionCodes.length > MAX_COUNT_CODES)
        throw organizationFilterInvalid(
          '/jurisdictionCodes',
          `hold more than ${MAX_COUNT_CODES} codes`,
        );
      const codes = [...new Set(request.jurisdictionCodes)];
      const counts = await listing.countIn(codes, statusesOf(request.statuses));
      return {
        counts: codes.map((code) => ({
          jurisdictionCode: code,
          total: counts.get(code)?.total ?? 0,
          matching: counts.get(code)?.matching ?? 0,
        })),
      };
    },
  });
}

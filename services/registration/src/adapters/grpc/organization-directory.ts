/**
 * learning.registration.v1.OrganizationDirectoryService: organizations as the
 * services that cite them need them, and the city's departments they may name.
 */
import type { GrpcServer } from '@learning/grpc';
import { Scope } from '@learning/auth';
import { registration } from '@learning/proto';
import type { ListCurrentMembers } from '../../application/memberships/directory.js';
import type { OrganizationRepository } from '../../application/organizations/organization-repository.js';
import { DEPARTMENTS } from '../../domain/departments.js';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../../domain/organizations.js';
import { memberRolesInvalid } from '../../application/memberships/errors.js';
import { organizationQueryInvalid } from '../../application/organizations/errors.js';
import { roleOf, routingOf, statusOf } from '../../application/organizations/events.js';

/** The most ids one call may ask for. */
export const MAX_IDS = 1_000;
/** Services act for the whole city; the caller decides what its own users may do with the answer. */
const directoryScope = Scope.system('organization directory');

const ROLES_FROM_PROTO: ReadonlyMap<registration.MembershipRole, MembershipRole> = new Map(
  MEMBERSHIP_ROLES.map((role) => [roleOf(role), role]),
);

export function registerOrganizationDirectory(
  grpc: GrpcServer,
  organizations: OrganizationRepository,
  listCurrentMembers: ListCurrentMembers,
): void {
  grpc.addService(registration.OrganizationDirectoryServiceService, {
    async getOrganizations(request) {
      if (request.ids.length > MAX_IDS) throw organizationQueryInvalid(MAX_IDS);
      const found = await organizations.byIds(directoryScope, [...new Set(request.ids)]);
      return {
        organizations: found.map((organization) => ({
          organizationId: organization.id,
          name: organization.name,
          routing: routingOf(organization),
          status: statusOf(organization.status),
        })),
      };
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
  });
}

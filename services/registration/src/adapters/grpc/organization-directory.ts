/**
 * learning.registration.v1.OrganizationDirectoryService: organizations as the
 * services that cite them need them, and the city's departments they may name.
 */
import { AppError } from '@learning/errors';
import type { GrpcServer } from '@learning/grpc';
import { Scope } from '@learning/auth';
import { registration } from '@learning/proto';
import type { OrganizationRepository } from '../../application/organizations/organization-repository.js';
import { DEPARTMENTS } from '../../domain/departments.js';
import { routingOf, statusOf } from '../../application/organizations/events.js';

/** The most ids one call may ask for. */
export const MAX_IDS = 1_000;
const ORGANIZATION_QUERY_INVALID = 'ORGANIZATION_QUERY_INVALID';
/** Services act for the whole city; the caller decides what its own users may do with the answer. */
const directoryScope = Scope.system('organization directory');

export function registerOrganizationDirectory(
  grpc: GrpcServer,
  organizations: OrganizationRepository,
): void {
  grpc.addService(registration.OrganizationDirectoryServiceService, {
    async getOrganizations(request) {
      if (request.ids.length > MAX_IDS)
        throw new AppError(
          'invalid_argument',
          ORGANIZATION_QUERY_INVALID,
          `Ask for at most ${MAX_IDS} organizations at a time.`,
          { details: [{ field: '/ids', message: `more than ${MAX_IDS} ids` }] },
        );
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
  });
}

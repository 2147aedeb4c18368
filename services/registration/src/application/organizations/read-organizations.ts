/** One organization, or a search, within what the caller reaches. */
import type { Principal } from '@learning/auth';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import type { OrganizationKind } from '../../domain/departments.js';
import type { OrganizationStatus } from '../../domain/organizations.js';
import { findVisible, searchReach } from './access.js';
import type {
  OrganizationPage,
  OrganizationRepository,
  StoredOrganization,
} from './organization-repository.js';

export interface ReadOrganizationsDeps {
  readonly organizations: OrganizationRepository;
}

export function getOrganization(deps: ReadOrganizationsDeps) {
  return async (principal: Principal, id: string): Promise<StoredOrganization> =>
    (await findVisible(deps.organizations, principal, id)).organization;
}

export interface SearchOrganizationsRequest {
  readonly jurisdictionCode?: string;
  readonly kind?: OrganizationKind;
  readonly status?: OrganizationStatus;
  readonly leadDepartment?: string;
  readonly namePrefix?: string;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export function searchOrganizations(deps: ReadOrganizationsDeps) {
  return async (
    principal: Principal,
    request: SearchOrganizationsRequest,
  ): Promise<OrganizationPage> => {
    const reach = searchReach(principal);
    if (reach === null) return { items: [], nextPageToken: null };
    const { pageSize, ...filters } = request;
    return deps.organizations.search(reach.scope, {
      ...filters,
      ...(reach.organizationIds === undefined ? {} : { organizationIds: reach.organizationIds }),
      pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
    });
  };
}

export type GetOrganization = ReturnType<typeof getOrganization>;
export type SearchOrganizations = ReturnType<typeof searchOrganizations>;

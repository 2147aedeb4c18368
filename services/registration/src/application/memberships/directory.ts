/**
 * An organization's current members for services (scoring credits an
 * organization with its members' learning): service tokens only, city-wide.
 */
import { Scope } from '@learning/auth';
import type { MembershipRole } from '../../domain/organizations.js';
import { organizationNotFound } from '../organizations/errors.js';
import type { OrganizationRepository } from '../organizations/organization-repository.js';
import { membersPageSizeInvalid } from './errors.js';
import type {
  MembershipPage,
  MembershipRepository,
  StoredMembership,
} from './membership-repository.js';

export const MEMBERS_PAGE_DEFAULT = 100;
export const MEMBERS_PAGE_MAX = 500;

const directoryScope = Scope.system('organization directory');

export interface MembersPageRequest {
  /** 0 means the default. */
  readonly size: number;
  /** Empty for the first page. */
  readonly token: string;
  /** Only members holding one of these roles; empty: every member. */
  readonly roles?: readonly MembershipRole[];
}

export interface MemberDirectoryDeps {
  readonly organizations: OrganizationRepository;
  readonly memberships: MembershipRepository;
}

/** One page of the organization's active memberships, in participant order; ORGANIZATION_NOT_FOUND for an unknown one. */
export function listCurrentMembers(deps: MemberDirectoryDeps) {
  return async (organizationId: string, page: MembersPageRequest): Promise<MembershipPage> => {
    const size = page.size === 0 ? MEMBERS_PAGE_DEFAULT : page.size;
    if (!Number.isInteger(size) || size < 1 || size > MEMBERS_PAGE_MAX)
      throw membersPageSizeInvalid(MEMBERS_PAGE_MAX);
    const [organization] = await deps.organizations.byIds(directoryScope, [organizationId]);
    if (organization === undefined) throw organizationNotFound();
    // Storage pages are smaller than the largest page asked for: read on until it is full.
    const items: StoredMembership[] = [];
    let token: string | null = page.token === '' ? null : page.token;
    do {
      const stored = await deps.memberships.list(directoryScope, {
        organizationId,
        status: 'active',
        ...(page.roles === undefined || page.roles.length === 0 ? {} : { roles: page.roles }),
        pageSize: size - items.length,
        ...(token === null ? {} : { pageToken: token }),
      });
      items.push(...stored.items);
      token = stored.nextPageToken;
    } while (token !== null && items.length < size);
    return { items, nextPageToken: token };
  };
}

export type ListCurrentMembers = ReturnType<typeof listCurrentMembers>;

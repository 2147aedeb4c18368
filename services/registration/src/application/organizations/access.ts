/**
 * Who reaches which organization. Officers reach the organizations in their
 * jurisdiction scope (city admins and city-wide departments: all of them); an
 * organization's admins reach that organization wherever it is. Anything
 * else reads as "not found", so existence does not leak.
 */
import { type Principal, Scope } from '@learning/auth';
import { administers, isOfficer } from '../../domain/organizations.js';
import { organizationNotFound } from './errors.js';
import type { OrganizationRepository, StoredOrganization } from './organization-repository.js';

/** An officer's jurisdiction scope; null for non-officers and officers given no jurisdiction. */
export function officerScope(principal: Principal): Scope | null {
  if (!isOfficer(principal)) return null;
  if (!principal.cityWide && principal.jurisdictions.length === 0) return null;
  return Scope.of(principal);
}

/**
 * The reach of an admin is the organization itself, wherever it is: the id
 * filter does the narrowing, after `administers` has been checked.
 */
const adminScope = (): Scope => Scope.cityWide();

export interface VisibleOrganization {
  readonly organization: StoredOrganization;
  /** The scope the organization was found in; use it for the write that follows. */
  readonly scope: Scope;
}

/** The organization as `principal` may see it; ORGANIZATION_NOT_FOUND when they may not. */
export async function findVisible(
  organizations: OrganizationRepository,
  principal: Principal,
  id: string,
): Promise<VisibleOrganization> {
  const scope = officerScope(principal);
  if (scope !== null) {
    const organization = await organizations.get(scope, id);
    if (organization !== null) return { organization, scope };
  }
  if (administers(principal, id)) {
    const organization = await organizations.get(adminScope(), id);
    if (organization !== null) return { organization, scope: adminScope() };
  }
  throw organizationNotFound();
}

/** How `principal` searches: their officer scope, or the organizations they administer. */
export function searchReach(
  principal: Principal,
): { scope: Scope; organizationIds?: readonly string[] } | null {
  const scope = officerScope(principal);
  if (scope !== null) return { scope };
  if (principal.organizations.length > 0)
    return { scope: adminScope(), organizationIds: principal.organizations };
  return null;
}

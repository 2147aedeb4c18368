/** City admins page through the duty contacts, masked. */
import type { Principal } from '@learning/auth';
import { officerRoleRequired } from './errors.js';
import type { OfficerListQuery, OfficerRepository } from './officer-repository.js';
import { officerView, type OfficerView } from './own-officer.js';

export function listOfficers(deps: { readonly officers: OfficerRepository }) {
  return async (
    principal: Principal,
    query: OfficerListQuery,
  ): Promise<{ items: OfficerView[]; nextPageToken: string | null }> => {
    if (!principal.roles.includes('city_admin')) throw officerRoleRequired();
    const page = await deps.officers.list(query);
    return { items: page.items.map(officerView), nextPageToken: page.nextPageToken };
  };
}

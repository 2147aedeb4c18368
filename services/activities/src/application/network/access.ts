/**
 * Who reaches what in the learning network. Officers (city admins, area
 * officers, and department officers for reading) reach the places and
 * pairings in their jurisdiction scope; a keeper reaches the place they keep;
 * an enterprise's admins reach their enterprise's pairings. Anything else
 * reads as "not found", so existence does not leak.
 */
import { hasRole, requireRole, type Principal, Scope } from '@learning/auth';
import type { StoredPairing, StoredPlace } from './ports.js';

/** The scope of an officer who may change the network: ROLE_REQUIRED or SCOPE_EMPTY for anyone else. */
export function managerScope(principal: Principal): Scope {
  requireRole(principal, 'city_admin', 'area_officer');
  return Scope.of(principal);
}

/** The scope of an officer who may read the network: ROLE_REQUIRED or SCOPE_EMPTY for anyone else. */
export function readerScopeRequired(principal: Principal): Scope {
  requireRole(principal, 'city_admin', 'area_officer', 'department_officer');
  return Scope.of(principal);
}

/** Like `readerScopeRequired`, but null instead of a refusal, for routes others may also use. */
export function readerScope(principal: Principal): Scope | null {
  if (!hasRole(principal, 'city_admin', 'area_officer', 'department_officer')) return null;
  if (!principal.cityWide && principal.jurisdictions.length === 0) return null;
  return Scope.of(principal);
}

export const keeps = (principal: Principal, place: Pick<StoredPlace, 'keeper'>): boolean =>
  place.keeper !== null && place.keeper.subject === principal.subject;

export const administersEnterprise = (
  principal: Principal,
  pairing: Pick<StoredPairing, 'enterpriseId'>,
): boolean =>
  hasRole(principal, 'org_admin') && principal.organizations.includes(pairing.enterpriseId);

/**
 * Non-officers' lookups go by id alone; the rule checked after the read
 * (keeper, enterprise admin) does the narrowing.
 */
export const byIdScope = (): Scope => Scope.cityWide();

/**
 * Who reaches a contest. Its organizer's org admins, the officers of its
 * organizing department and city admins manage it; area officers read the
 * contests in their subtree. Anything else reads as "not found", so existence
 * does not leak.
 */
import { hasRole, type Principal, Scope, scopeAllows } from '@learning/auth';
import { contestNotFound } from './errors.js';
import type { ContestRepository, OrganizerRef, StoredContest } from './ports.js';

/** Whether `principal` may run contests for `organizer`. */
export function mayOrganize(principal: Principal, organizer: OrganizerRef): boolean {
  if (hasRole(principal, 'city_admin')) return true;
  if (organizer.kind === 'department')
    return hasRole(principal, 'department_officer') && principal.department === organizer.id;
  return hasRole(principal, 'org_admin') && principal.organizations.includes(organizer.id);
}

const areaScope = (principal: Principal): Scope | null =>
  hasRole(principal, 'area_officer') && (principal.cityWide || principal.jurisdictions.length > 0)
    ? Scope.of(principal)
    : null;

export interface ContestAccess {
  readonly contest: StoredContest;
  /** The scope it was found in; use it for the writes that follow. */
  readonly scope: Scope;
  readonly manages: boolean;
}

/** The contest as a manager or area officer reaches it; CONTEST_NOT_FOUND otherwise. */
export async function findReadable(
  contests: ContestRepository,
  principal: Principal,
  id: string,
): Promise<ContestAccess> {
  const contest = await contests.get(Scope.cityWide(), id);
  if (contest !== null) {
    if (mayOrganize(principal, contest.organizer))
      return { contest, scope: Scope.cityWide(), manages: true };
    const scope = areaScope(principal);
    if (scope !== null && scopeAllows(scope, contest.jurisdictionPath))
      return { contest, scope, manages: false };
  }
  throw contestNotFound();
}

/** The contest as its manager reaches it; CONTEST_NOT_FOUND for everyone else. */
export async function findManaged(
  contests: ContestRepository,
  principal: Principal,
  id: string,
): Promise<ContestAccess> {
  const access = await findReadable(contests, principal, id);
  if (!access.manages) throw contestNotFound();
  return access;
}

/** A contest as an entrant or a judge sees it: the call for entries, found by id alone. */
export async function findOpenCall(
  contests: ContestRepository,
  id: string,
): Promise<StoredContest> {
  const contest = await contests.get(Scope.cityWide(), id);
  if (contest === null) throw contestNotFound();
  return contest;
}

/** How `principal` lists contests: city admins all, area officers their subtree, organizers theirs. */
export function listReach(
  principal: Principal,
): { scope: Scope; organizerIds?: readonly string[] } | null {
  if (hasRole(principal, 'city_admin')) return { scope: Scope.cityWide() };
  const area = areaScope(principal);
  if (area !== null) return { scope: area };
  const organizerIds = [
    ...(hasRole(principal, 'department_officer') && principal.department !== undefined
      ? [principal.department]
      : []),
    ...(hasRole(principal, 'org_admin') ? principal.organizations : []),
  ];
  return organizerIds.length === 0 ? null : { scope: Scope.cityWide(), organizerIds };
}

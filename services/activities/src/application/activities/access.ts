/**
 * Who reaches which activity. City admins reach every activity; area
 * officers those held in their subtrees; department officers those their
 * department leads (its own and its organizations'); org admins those their
 * organizations organize. Anything else reads as "not found", so existence
 * does not leak. Being reached is not being allowed to change: the life-cycle
 * rules decide that (domain `mayManage`).
 */
import { type Principal, Scope } from '@learning/auth';
import type { ActivityQuery, ActivityRepository, StoredActivity } from './activity-repository.js';
import { activityNotFound } from './errors.js';

/** A scope, narrowed further by the organizer when the reach is an organizer's. */
export interface Reach {
  readonly scope: Scope;
  readonly filter: Pick<ActivityQuery, 'organizerIds' | 'leadDepartment'>;
}

const leadDepartmentOf = (activity: StoredActivity): string =>
  activity.organizer.kind === 'organization'
    ? activity.organizer.leadDepartment
    : activity.organizer.department;

const organizerIdOf = (activity: StoredActivity): string =>
  activity.organizer.kind === 'organization'
    ? activity.organizer.organizationId
    : activity.organizer.department;

/** Every reach the principal has, widest first. */
export function reachesOf(principal: Principal): Reach[] {
  const reaches: Reach[] = [];
  if (principal.roles.includes('city_admin')) reaches.push({ scope: Scope.cityWide(), filter: {} });
  if (
    principal.roles.includes('area_officer') &&
    (principal.cityWide || principal.jurisdictions.length > 0)
  )
    reaches.push({ scope: Scope.of(principal), filter: {} });
  if (principal.roles.includes('department_officer') && principal.department !== undefined)
    reaches.push({ scope: Scope.cityWide(), filter: { leadDepartment: principal.department } });
  if (principal.roles.includes('org_admin') && principal.organizations.length > 0)
    reaches.push({ scope: Scope.cityWide(), filter: { organizerIds: principal.organizations } });
  return reaches;
}

const admits = (reach: Reach, activity: StoredActivity): boolean =>
  (reach.filter.leadDepartment === undefined ||
    reach.filter.leadDepartment === leadDepartmentOf(activity)) &&
  (reach.filter.organizerIds === undefined ||
    reach.filter.organizerIds.includes(organizerIdOf(activity)));

export interface VisibleActivity {
  readonly activity: StoredActivity;
  /** The scope it was found in; the write that follows uses it. */
  readonly scope: Scope;
}

/** The activity as `principal` may see it; ACTIVITY_NOT_FOUND when they may not. */
export async function findVisible(
  activities: ActivityRepository,
  principal: Principal,
  id: string,
): Promise<VisibleActivity> {
  for (const reach of reachesOf(principal)) {
    const activity = await activities.get(reach.scope, id);
    if (activity !== null && admits(reach, activity)) return { activity, scope: reach.scope };
  }
  throw activityNotFound();
}

/**
 * Who reaches what in training, one rule per role, shared by the slice's
 * parts. The campaign office (city admins) reaches everything; a department
 * officer the programmes their department leads and every class under them;
 * an area officer what is held or counted in their area; an organization's
 * admins the classes their organization runs (and an enterprise's admins its
 * own programmes). Anything else reads as "not found", so existence does not
 * leak.
 */
import { hasRole, mayActIn, type Principal } from '@learning/auth';
import type { ClassOrganizer, Programme, TrainingClass } from '../../domain/training.js';

/** Leads the programme: a city admin, or an officer of its lead department, or its enterprise's admin. */
export function leadsProgramme(
  principal: Principal,
  programme: Pick<Programme, 'leadDepartment' | 'enterpriseId'>,
): boolean {
  if (hasRole(principal, 'city_admin')) return true;
  if (hasRole(principal, 'department_officer') && principal.department === programme.leadDepartment)
    return true;
  return programme.enterpriseId !== null && administers(principal, programme.enterpriseId);
}

/** An area officer whose scope holds the place. */
export const overseesArea = (principal: Principal, jurisdictionPath: readonly string[]): boolean =>
  hasRole(principal, 'area_officer') && mayActIn(principal, jurisdictionPath);

export const administers = (principal: Principal, organizationId: string): boolean =>
  hasRole(principal, 'org_admin') && principal.organizations.includes(organizationId);

/** Runs the class: the organizing department's officers, or the organizing organization's admins. */
export function organizes(principal: Principal, organizer: ClassOrganizer): boolean {
  if (organizer.kind === 'department')
    return (
      hasRole(principal, 'department_officer') && principal.department === organizer.departmentCode
    );
  return administers(principal, organizer.organizationId);
}

/** May manage the class (sessions, trainers, the skills test): who leads its programme, or who organizes it. */
export const managesClass = (
  principal: Principal,
  trainingClass: Pick<TrainingClass, 'organizer'>,
  programme: Pick<Programme, 'leadDepartment' | 'enterpriseId'>,
): boolean => leadsProgramme(principal, programme) || organizes(principal, trainingClass.organizer);

/** May read the class's roster and figures: whoever manages it, or an area officer over its place. */
export const readsClass = (
  principal: Principal,
  trainingClass: Pick<TrainingClass, 'organizer' | 'jurisdictionPath'>,
  programme: Pick<Programme, 'leadDepartment' | 'enterpriseId'>,
): boolean =>
  managesClass(principal, trainingClass, programme) ||
  overseesArea(principal, trainingClass.jurisdictionPath);

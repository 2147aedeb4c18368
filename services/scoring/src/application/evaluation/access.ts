/**
 * Who reaches what in the annual evaluation, one rule per role, shared by its
 * parts. The campaign office (city admins) runs it and reaches everything; a
 * department officer the organizations of the kinds their department leads;
 * an area officer the organizations and areas in their area; an
 * organization's admins their own organization; the expert group (role
 * `expert`) the nominations it reviews. Anything else reads as "not found",
 * so whether an organization was assessed does not leak.
 */
import { hasRole, mayActIn, type Principal } from '@learning/auth';
import type { SubjectCard } from './ports.js';

export const isOffice = (principal: Principal): boolean => hasRole(principal, 'city_admin');

export const isExpert = (principal: Principal): boolean => hasRole(principal, 'expert');

export const administers = (principal: Principal, organizationId: string): boolean =>
  hasRole(principal, 'org_admin') && principal.organizations.includes(organizationId);

/** An area officer whose scope holds the subject's place. */
export const overseesArea = (principal: Principal, jurisdictionPath: readonly string[]): boolean =>
  hasRole(principal, 'area_officer') && mayActIn(principal, jurisdictionPath);

/** A department officer whose department leads the organization's kind. */
export const leadsKind = (
  principal: Principal,
  subject: Pick<SubjectCard, 'leadDepartment'>,
): boolean =>
  hasRole(principal, 'department_officer') &&
  subject.leadDepartment !== null &&
  principal.department === subject.leadDepartment;

/** May inspect the subject and enter findings: the office, or an officer over it. */
export const inspects = (
  principal: Principal,
  subject: Pick<SubjectCard, 'leadDepartment' | 'jurisdictionPath'>,
): boolean =>
  isOffice(principal) ||
  overseesArea(principal, subject.jurisdictionPath) ||
  leadsKind(principal, subject);

/** May read the subject's assessments, inspections and appeals: whoever inspects it, or the organization's own admins. */
export const readsSubject = (
  principal: Principal,
  subject: Pick<SubjectCard, 'subjectKind' | 'subjectId' | 'leadDepartment' | 'jurisdictionPath'>,
): boolean =>
  inspects(principal, subject) ||
  (subject.subjectKind === 'organization' && administers(principal, subject.subjectId));

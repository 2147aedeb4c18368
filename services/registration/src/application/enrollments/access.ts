/**
 * Who may act on an event's enrollments: officers whose scope holds the event's
 * place, and the admins of the organization that organizes it. Everyone else
 * is told the enrollment does not exist, so existence does not leak.
 */
import { OFFICER_ROLES, type Principal, Scope } from '@learning/auth';
import type { EnrollmentRecord } from './ports.js';

const isOfficer = (principal: Principal): boolean =>
  principal.roles.some((role) => (OFFICER_ROLES as readonly string[]).includes(role));

function withinReach(principal: Principal, path: readonly string[]): boolean {
  if (principal.cityWide) return true;
  return path.some((code) => principal.jurisdictions.includes(code));
}

/** Whether the principal runs the event the enrollment belongs to. */
export function runsEvent(
  principal: Principal,
  event: Pick<EnrollmentRecord, 'jurisdictionPath' | 'organizerOrganizationId'>,
): boolean {
  if (isOfficer(principal) && withinReach(principal, event.jurisdictionPath)) return true;
  return (
    principal.roles.includes('org_admin') &&
    event.organizerOrganizationId !== null &&
    principal.organizations.includes(event.organizerOrganizationId)
  );
}

export const isOwnEnrollment = (principal: Principal, enrollment: EnrollmentRecord): boolean =>
  principal.roles.includes('participant') && enrollment.accountSubject === principal.subject;

/** Enrollments are found by id first, then access is decided on the record itself. */
export const lookupScope = (): Scope =>
  Scope.system('enrollment lookup, access decided per record');

/**
 * Who may see whose learning record: the person, the admins of an
 * organization the person is a member of now, the officers of the area the
 * person lives in, and the campaign office (city admins). Anyone else is
 * told the record was not found, as if the person did not exist.
 */
import { hasRole, mayActIn, type Principal } from '@learning/auth';
import type { DirectoryParticipant, Organization, Participants } from '../ports.js';
import { notRegistered, organizationForbidden, recordNotFound } from './errors.js';

export function maySeeRecordOf(principal: Principal, person: DirectoryParticipant): boolean {
  if (person.accountSubject === principal.subject) return true;
  if (hasRole(principal, 'city_admin')) return true;
  if (hasRole(principal, 'area_officer') && mayActIn(principal, person.jurisdictionPath))
    return true;
  return (
    hasRole(principal, 'org_admin') &&
    person.organizationIds.some((id) => principal.organizations.includes(id))
  );
}

/** The caller's own participant (principal.subject is their account), else RECORD_NOT_REGISTERED. */
export async function ownParticipant(
  participants: Participants,
  principal: Principal,
): Promise<DirectoryParticipant> {
  const person = (await participants.byAccounts([principal.subject])).get(principal.subject);
  if (person === undefined) throw notRegistered();
  return person;
}

/** The participant whose record the caller asks for, when they may see it; RECORD_NOT_FOUND else. */
export async function visibleParticipant(
  participants: Participants,
  principal: Principal,
  participantId: string,
): Promise<DirectoryParticipant> {
  const person = (await participants.byIds([participantId])).get(participantId);
  if (person === undefined || !maySeeRecordOf(principal, person)) throw recordNotFound();
  return person;
}

/** Whether the caller oversees an organization's members: its admins, its area's officers, the office. */
export function assertMayListMembers(principal: Principal, organization: Organization): void {
  if (hasRole(principal, 'city_admin')) return;
  if (hasRole(principal, 'org_admin') && principal.organizations.includes(organization.id)) return;
  if (hasRole(principal, 'area_officer') && mayActIn(principal, organization.jurisdictionPath))
    return;
  throw organizationForbidden();
}

/**
 * Who may nominate whom (issue 15): the office anyone; an organization's
 * admins their own organization or a person who is its member; an area
 * officer organizations and persons placed in their area; a department
 * officer organizations of the kind their department leads.
 */
import { hasRole, type Principal } from '@learning/auth';
import { administers, isOffice, leadsKind, overseesArea } from '../evaluation/access.js';
import type { Nominee } from './ports.js';

export const mayNominate = (principal: Principal, nominee: Nominee): boolean =>
  isOffice(principal) ||
  overseesArea(principal, nominee.jurisdictionPath) ||
  (nominee.kind === 'organization'
    ? administers(principal, nominee.id) || leadsKind(principal, nominee)
    : hasRole(principal, 'org_admin') &&
      nominee.organizationIds.some((id) => principal.organizations.includes(id)));

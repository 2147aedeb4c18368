/** Officers' duty contacts: who they are and which places and departments they answer for. Pure. */
import { OFFICER_ROLES, type Role } from '@learning/auth';

/** The directory holds the platform's officers, no role of its own. */
export const OFFICER_DIRECTORY_ROLES = OFFICER_ROLES;
export type DirectoryRole = (typeof OFFICER_DIRECTORY_ROLES)[number];
export const OFFICER_LANGUAGES = ['zh-CN', 'en'] as const;
export type OfficerLanguage = (typeof OFFICER_LANGUAGES)[number];

export const directoryRolesOf = (roles: readonly Role[]): DirectoryRole[] =>
  OFFICER_DIRECTORY_ROLES.filter((role) => roles.includes(role));

export interface OfficerScope {
  readonly roles: readonly DirectoryRole[];
  readonly cityWide: boolean;
  readonly jurisdictionCodes: readonly string[];
  readonly departmentCode: string | null;
}

export interface OfficerCriteria {
  /** Empty: any role. */
  readonly roles: readonly DirectoryRole[];
  /** The node and its ancestors, from the city down; null: no place criterion. */
  readonly nodePath: readonly string[] | null;
  readonly departmentCode: string | null;
}

/**
 * Whether the officer is one to tell: one of the roles, and covering the
 * place (city-wide, or one of their codes is the node or an ancestor of it)
 * or working for the department; with neither criterion, the roles alone.
 */
export function officerMatches(officer: OfficerScope, criteria: OfficerCriteria): boolean {
  if (criteria.roles.length > 0 && !officer.roles.some((role) => criteria.roles.includes(role)))
    return false;
  const { nodePath, departmentCode } = criteria;
  if (nodePath === null && departmentCode === null) return true;
  const coversPlace =
    nodePath !== null &&
    (officer.cityWide || officer.jurisdictionCodes.some((code) => nodePath.includes(code)));
  const ofDepartment = departmentCode !== null && officer.departmentCode === departmentCode;
  return coversPlace || ofDepartment;
}

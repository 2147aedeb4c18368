/**
 * Who reads coverage, and over what. The office reads the whole city: city
 * admins and the officers of a department that runs a lecture series (the
 * propaganda department for 玉海大讲坛). Area officers read within their
 * subtrees; a jurisdiction outside them is not found, as an unknown one is.
 * Other department officers are refused.
 */
import { hasRole, requireRole, Scope, scopeAllows, type Principal } from '@learning/auth';
import { settingOfLevel } from '../../domain/coverage.js';
import type { VenueSetting } from '../../domain/sessions.js';
import type { Jurisdiction, Jurisdictions } from '../ports.js';
import { coverageJurisdictionNotFound, coverageLevelInvalid, coverageReadForbidden } from './errors.js';
import type { Catalogue } from './ports.js';

/** The reader's reach: ROLE_REQUIRED, COVERAGE_READ_FORBIDDEN or SCOPE_EMPTY for anyone else. */
export async function readerScope(principal: Principal, catalogue: Catalogue): Promise<Scope> {
  requireRole(principal, 'city_admin', 'department_officer', 'area_officer');
  if (hasRole(principal, 'city_admin')) return Scope.cityWide();
  if (
    hasRole(principal, 'department_officer') &&
    principal.department !== undefined &&
    (await catalogue.seriesDepartments()).includes(principal.department)
  )
    return Scope.cityWide();
  if (!hasRole(principal, 'area_officer')) throw coverageReadForbidden();
  return Scope.of(principal);
}

/** The node `code` names if `scope` reaches it; COVERAGE_JURISDICTION_NOT_FOUND otherwise. */
export async function rootInScope(
  jurisdictions: Jurisdictions,
  scope: Scope,
  code: string,
): Promise<Jurisdiction> {
  const root = (await jurisdictions.find([code])).get(code);
  if (root === undefined || !scopeAllows(scope, root.path)) throw coverageJurisdictionNotFound();
  if (root.level === 'village' || root.level === 'community') throw coverageLevelInvalid();
  return root;
}

/** A township or street of the tree, as coverage counts it. */
export interface Township {
  readonly code: string;
  readonly name: string;
  readonly path: readonly string[];
  readonly setting: VenueSetting;
}

/** The townships and streets of `root`'s subtree (itself, when it is one), by code. */
export async function townshipsUnder(
  jurisdictions: Jurisdictions,
  root: Jurisdiction,
): Promise<Township[]> {
  const townships: Township[] = [];
  for await (const page of jurisdictions.subtree(root.code, ['township', 'street']))
    for (const node of page) {
      const setting = settingOfLevel(node.level);
      if (setting !== null)
        townships.push({ code: node.code, name: node.name, path: node.path, setting });
    }
  return townships.sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Reading assessments: the office reads all, area officers those in their
 * area, department officers the organizations of the kinds they lead, an
 * organization's admins their own. What a caller may not see reads as
 * ASSESSMENT_NOT_FOUND, so whether it exists does not leak.
 */
import { hasRole, type Principal } from '@learning/auth';
import { isOffice, readsSubject } from '../evaluation/access.js';
import { assessmentNotFound } from './errors.js';
import type {
  AssessmentPage,
  AssessmentQuery,
  AssessmentStore,
  ListScope,
  StoredAssessment,
} from './ports.js';

/** The assessments a principal may list, as one scope. */
export function listScopeOf(principal: Principal): ListScope {
  if (isOffice(principal)) return { all: true };
  if (hasRole(principal, 'area_officer') && principal.cityWide) return { all: true };
  return {
    all: false,
    jurisdictions: hasRole(principal, 'area_officer') ? [...principal.jurisdictions] : [],
    leadDepartment: hasRole(principal, 'department_officer')
      ? (principal.department ?? null)
      : null,
    organizationIds: hasRole(principal, 'org_admin') ? [...principal.organizations] : [],
  };
}

export function readAssessments(store: AssessmentStore) {
  return {
    async list(principal: Principal, query: AssessmentQuery): Promise<AssessmentPage> {
      return store.list(query, listScopeOf(principal));
    },

    async get(principal: Principal, id: string): Promise<StoredAssessment> {
      const assessment = await store.get(id);
      if (assessment === undefined || !readsSubject(principal, assessment.subject))
        throw assessmentNotFound();
      return assessment;
    },

    /** The organization's assessments of a year, corrections and what they corrected alike. */
    async ofOrganization(
      principal: Principal,
      organizationId: string,
      year: number,
    ): Promise<readonly StoredAssessment[]> {
      const assessments = await store.ofOrganization(organizationId, year);
      return assessments.filter((assessment) => readsSubject(principal, assessment.subject));
    },
  };
}

export type ReadAssessments = ReturnType<typeof readAssessments>;

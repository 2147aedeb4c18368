/**
 * Learning organizations act here (organize activities, run contests, take
 * pairings) as registration knows them, and only while registration has not
 * rejected or suspended them. Each slice names its own refusals. A city
 * department acts under a code registration lists, the same refusal
 * everywhere.
 */
import { AppError, defineErrorCodes } from '@learning/errors';
import { invalidAt } from './errors.js';
import type { Departments, Organization, Organizations } from './ports.js';

export const DEPARTMENT_UNKNOWN = 'DEPARTMENT_UNKNOWN';

/** The one organizer code every slice shares (the README's organizer error table is its table). */
export const organizerErrors = defineErrorCodes({
  [DEPARTMENT_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'an organizing or owning department registration does not list',
  },
});

/** 400 DEPARTMENT_UNKNOWN at `field` unless registration lists a department with this code. */
export async function knownDepartment(
  departments: Departments,
  code: string,
  field: string,
): Promise<void> {
  if (!(await departments.find([code])).has(code))
    throw invalidAt(
      DEPARTMENT_UNKNOWN,
      `There is no city department with the code "${code}"; use a code from registration's GET /v1/departments.`,
      field,
    );
}

export interface OrganizationRefusals {
  /** 400 at `field` when registration knows no such organization. */
  readonly unknown: string;
  /** 409 when it is rejected or suspended. */
  readonly inactive: string;
  /** The request field that named it, a JSON pointer. */
  readonly field: string;
  /** What it may then not do, e.g. `organize activities`. */
  readonly doing: string;
}

export async function activeOrganization(
  organizations: Organizations,
  id: string,
  refusals: OrganizationRefusals,
): Promise<Organization> {
  const organization = (await organizations.find([id])).get(id);
  if (organization === undefined)
    throw invalidAt(
      refusals.unknown,
      'There is no registered organization with that id.',
      refusals.field,
    );
  if (organization.status === 'rejected' || organization.status === 'suspended')
    throw new AppError(
      'failed_precondition',
      refusals.inactive,
      `The organization is ${organization.status}; it may not ${refusals.doing}.`,
    );
  return organization;
}

import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  ORGANIZATION_ALREADY_EXISTS,
  organizationChangeEmpty,
  organizationErrors,
  organizationNotFound,
  organizationQueryInvalid,
  versionConflict,
} from '../../src/application/organizations/errors.js';
import {
  assertMayManage,
  decide,
  parseCreditCode,
  type Decider,
  type OrganizationRecord,
} from '../../src/domain/organizations.js';
import { appRefusalOf } from './error-code-checks.js';

const now = new Date('2026-04-10T02:00:00Z');
const organization: OrganizationRecord = {
  id: 'org-1',
  kind: 'community',
  jurisdictionPath: ['C', 'S1', 'M1'],
  leadDepartment: 'wenming-ban',
  status: 'under_review',
};
const cityAdmin: Decider = {
  subject: 'u-admin',
  roles: ['city_admin'],
  cityWide: true,
  jurisdictions: [],
};
const otherDepartment: Decider = {
  subject: 'u-other',
  roles: ['department_officer'],
  cityWide: false,
  jurisdictions: [],
  department: 'jiaoyu-ju',
};

const thrown = [organizationNotFound(), organizationChangeEmpty(), organizationQueryInvalid(1000)];
const refusedByDomain = () => [
  appRefusalOf(() => parseCreditCode('not a credit code')),
  appRefusalOf(() => decide(organization, { action: 'recognize' }, otherDepartment, now)),
  appRefusalOf(() => decide(organization, { action: 'start_review' }, cityAdmin, now)),
  appRefusalOf(() => decide(organization, { action: 'reject', reason: ' ' }, cityAdmin, now)),
  appRefusalOf(() => {
    assertMayManage({ ...otherDepartment, organizations: [] }, organization);
  }),
];

describe('the organization error codes', () => {
  it('when the README is read, then its organization error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(organizationErrors.tableProblems(readme, 'organization-errors')).toEqual([]);
  });

  it('when the slice or its domain rules refuse, then each error has the status its catalogue entry gives', () => {
    expect(organizationErrors.problemsOf([...thrown, ...refusedByDomain()])).toEqual([]);
  });

  it('when the slice and its domain rules refuse, then every code of the catalogue is one of them or the repository’s', () => {
    const codes = new Set([...thrown, ...refusedByDomain()].map((error) => error.code));
    // libs/mongo gives this one for the unique credit code; the integration tests meet it.
    codes.add(ORGANIZATION_ALREADY_EXISTS);

    expect(organizationErrors.codes.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('when an edit loses a race, then the conflict is the platform’s VERSION_CONFLICT', () => {
    expect(platformErrors.problemsOf([versionConflict()])).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => organizationErrors.with(platformErrors)).not.toThrow();
  });
});

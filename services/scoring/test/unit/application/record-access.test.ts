import type { Principal } from '@learning/auth';
import { describe, expect, it } from 'vitest';
import { assertMayListMembers, maySeeRecordOf } from '../../../src/application/records/access.js';
import type { DirectoryParticipant, Organization } from '../../../src/application/ports.js';

const CITY = '330281000000';
const TOWNSHIP = '330281001000';
const VILLAGE = '330281001001';
const OTHER_TOWNSHIP = '330281002000';

const person: DirectoryParticipant = {
  id: 'p1',
  accountSubject: 'account-p1',
  name: '张晓明',
  jurisdictionPath: [CITY, TOWNSHIP, VILLAGE],
  birthDate: null,
  tier: 'ordinary_citizen',
  organizationIds: ['org-a'],
};

const principal = (fields: Partial<Principal>): Principal => ({
  subject: 'someone',
  roles: ['participant'],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  ...fields,
});

describe("who may see a person's record", () => {
  it('when the person, a city admin, an admin of their organization or an officer of their area asks, then yes', () => {
    for (const asker of [
      principal({ subject: 'account-p1' }),
      principal({ roles: ['city_admin'], cityWide: true }),
      principal({ roles: ['org_admin'], organizations: ['org-b', 'org-a'] }),
      principal({ roles: ['area_officer'], jurisdictions: [TOWNSHIP] }),
    ])
      expect(maySeeRecordOf(asker, person)).toBe(true);
  });

  it('when another participant, an admin of another organization, an officer elsewhere or a department officer asks, then no', () => {
    for (const asker of [
      principal({ subject: 'account-p2' }),
      principal({ roles: ['org_admin'], organizations: ['org-b'] }),
      principal({ roles: ['area_officer'], jurisdictions: [OTHER_TOWNSHIP] }),
      principal({ roles: ['department_officer'], department: 'jiaoyu-ju', cityWide: true }),
      // Organizations in a token count for org admins only.
      principal({ roles: ['participant'], organizations: ['org-a'] }),
    ])
      expect(maySeeRecordOf(asker, person)).toBe(false);
  });
});

describe("who may list an organization's members' credits", () => {
  const organization: Organization = {
    id: 'org-a',
    name: '学习型企业',
    kind: 'enterprise',
    leadDepartment: 'jingmao-ju',
    jurisdictionPath: [CITY, TOWNSHIP],
    status: 'recognized',
  };

  it('when its admin, an officer of its area or a city admin asks, then yes', () => {
    for (const asker of [
      principal({ roles: ['org_admin'], organizations: ['org-a'] }),
      principal({ roles: ['area_officer'], jurisdictions: [TOWNSHIP] }),
      principal({ roles: ['city_admin'], cityWide: true }),
    ])
      expect(() => {
        assertMayListMembers(asker, organization);
      }).not.toThrow();
  });

  it('when an admin of another organization or an officer elsewhere asks, then RECORD_ORGANIZATION_FORBIDDEN', () => {
    for (const asker of [
      principal({ roles: ['org_admin'], organizations: ['org-b'] }),
      principal({ roles: ['area_officer'], jurisdictions: [OTHER_TOWNSHIP] }),
      principal({ roles: ['participant'] }),
    ])
      expect(() => {
        assertMayListMembers(asker, organization);
      }).toThrow(expect.objectContaining({ code: 'RECORD_ORGANIZATION_FORBIDDEN' }) as Error);
  });
});

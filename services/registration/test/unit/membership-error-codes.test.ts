import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  MEMBERSHIP_ALREADY_EXISTS,
  membershipErrors,
  memberRolesInvalid,
  membersPageSizeInvalid,
} from '../../src/application/memberships/errors.js';
import { organizationErrors } from '../../src/application/organizations/errors.js';
import { participantErrors } from '../../src/application/participants/errors.js';
import { setMembership } from '../../src/domain/organizations.js';
import { appRefusalOf } from './error-code-checks.js';

const refusedByDomain = () => [
  appRefusalOf(() => setMembership(null, 'member', 'rejected', new Date('2026-04-10T02:00:00Z'))),
];
const thrown = [membersPageSizeInvalid(500), memberRolesInvalid()];

describe('the membership error codes', () => {
  it('when the README is read, then its membership error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(membershipErrors.tableProblems(readme, 'membership-errors')).toEqual([]);
  });

  it('when the membership slice or its rules refuse, then each error has the status its catalogue entry gives', () => {
    expect(membershipErrors.problemsOf([...thrown, ...refusedByDomain()])).toEqual([]);
  });

  it('when the slice and its rules refuse, then every code of the catalogue is one of them or the repository’s', () => {
    const codes = new Set([...thrown, ...refusedByDomain()].map((error) => error.code));
    // libs/mongo gives this one when two requests join the same pair at once.
    codes.add(MEMBERSHIP_ALREADY_EXISTS);

    expect(membershipErrors.codes.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('when merged with the platform and the slices it answers with, then no code means two things', () => {
    expect(() =>
      membershipErrors.with(organizationErrors).with(participantErrors).with(platformErrors),
    ).not.toThrow();
  });
});

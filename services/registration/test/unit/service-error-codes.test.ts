import { platformErrors, type ErrorCatalogue } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { departmentErrors } from '../../src/application/departments/errors.js';
import { enrollmentErrors } from '../../src/application/enrollments/errors.js';
import { jurisdictionErrors } from '../../src/application/errors.js';
import { importRequestErrors } from '../../src/application/imports/errors.js';
import { membershipErrors } from '../../src/application/memberships/errors.js';
import { organizationErrors } from '../../src/application/organizations/errors.js';
import { participantErrors } from '../../src/application/participants/errors.js';
import { privacyErrors } from '../../src/application/privacy/errors.js';

const sliceCatalogues = {
  jurisdictionErrors,
  participantErrors,
  departmentErrors,
  organizationErrors,
  membershipErrors,
  enrollmentErrors,
  importRequestErrors,
  privacyErrors,
};

describe('the registration service’s error codes', () => {
  it('when every slice’s catalogue is merged with the platform’s, then no code means two things', () => {
    expect(() =>
      Object.values(sliceCatalogues).reduce<ErrorCatalogue>(
        (merged, catalogue) => merged.with(catalogue),
        platformErrors,
      ),
    ).not.toThrow();
  });

  it('when the slices’ catalogues are read, then each code is defined by one slice only, and none re-defines a platform code', () => {
    const owners = new Map<string, string[]>();
    for (const [name, catalogue] of Object.entries(sliceCatalogues))
      for (const code of catalogue.codes) owners.set(code, [...(owners.get(code) ?? []), name]);

    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
    expect([...owners.keys()].filter((code) => platformErrors.has(code))).toEqual([]);
  });
});

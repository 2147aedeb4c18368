import { readFileSync } from 'node:fs';
import { AppError, platformErrors, type ErrorCatalogue } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_ORGANIZER_NOT_ACTIVE,
  ACTIVITY_ORGANIZER_UNKNOWN,
  activityErrors,
} from '../../src/application/activities/errors.js';
import {
  CONTEST_ORGANIZER_NOT_ACTIVE,
  CONTEST_ORGANIZER_UNKNOWN,
  contestErrors,
} from '../../src/application/contests/errors.js';
import {
  NETWORK_ENTERPRISE_NOT_ACTIVE,
  NETWORK_ENTERPRISE_UNKNOWN,
  networkErrors,
} from '../../src/application/network/errors.js';
import {
  activeOrganization,
  knownDepartment,
  organizerErrors,
} from '../../src/application/organizers.js';
import { fakeDepartments, FakeOrganizations } from './application/activities-fakes.js';

const refusalOf = async (action: Promise<unknown>): Promise<AppError> => {
  try {
    await action;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

const statusIn = (catalogue: ErrorCatalogue, code: string): number | undefined =>
  catalogue.has(code) ? catalogue.httpStatusOf(code) : undefined;

describe('the organizer error codes', () => {
  it('when the README is read, then its organizer error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(organizerErrors.tableProblems(readme, 'organizer-errors')).toEqual([]);
  });

  it('when a department is unknown, then the refusal has the status its catalogue entry gives', async () => {
    const error = await refusalOf(knownDepartment(fakeDepartments, 'zzz-no-such-dept', '/owner'));

    expect({ code: error.code, status: error.httpStatus }).toEqual({
      code: 'DEPARTMENT_UNKNOWN',
      status: organizerErrors.httpStatusOf('DEPARTMENT_UNKNOWN'),
    });
  });

  it('when each slice refuses an unknown or inactive organization, then with the status its own catalogue gives', async () => {
    const organizations = new FakeOrganizations();
    organizations.register('suspended', { status: 'suspended' });
    const slices = [
      {
        catalogue: activityErrors,
        unknown: ACTIVITY_ORGANIZER_UNKNOWN,
        inactive: ACTIVITY_ORGANIZER_NOT_ACTIVE,
      },
      {
        catalogue: contestErrors,
        unknown: CONTEST_ORGANIZER_UNKNOWN,
        inactive: CONTEST_ORGANIZER_NOT_ACTIVE,
      },
      {
        catalogue: networkErrors,
        unknown: NETWORK_ENTERPRISE_UNKNOWN,
        inactive: NETWORK_ENTERPRISE_NOT_ACTIVE,
      },
    ];
    for (const { catalogue, unknown, inactive } of slices) {
      const refusals = { unknown, inactive, field: '/organizer/id', doing: 'organize' };
      const missing = await refusalOf(activeOrganization(organizations, 'nobody', refusals));
      const stopped = await refusalOf(activeOrganization(organizations, 'suspended', refusals));

      expect([missing.httpStatus, stopped.httpStatus]).toEqual([
        statusIn(catalogue, unknown),
        statusIn(catalogue, inactive),
      ]);
    }
  });

  it('when merged with the platform catalogue and every slice’s, then no code means two things', () => {
    expect(() =>
      organizerErrors
        .with(platformErrors)
        .with(activityErrors)
        .with(contestErrors)
        .with(networkErrors),
    ).not.toThrow();
  });
});

import { AppError } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { bearerToken, hasRole, mayActIn, requireRole, type Principal } from '../../src/index.js';

const townshipOfficer: Principal = {
  subject: 'officer-1',
  roles: ['area_officer'],
  cityWide: false,
  jurisdictions: ['330102'],
  organizations: [],
};

const cityAdmin: Principal = {
  ...townshipOfficer,
  subject: 'admin',
  roles: ['city_admin'],
  cityWide: true,
  jurisdictions: [],
};

describe('roles', () => {
  it('when the principal holds one of the roles asked for, then hasRole is true', () => {
    expect(hasRole(townshipOfficer, 'city_admin', 'area_officer')).toBe(true);
  });

  it('when the principal holds none of them, then hasRole is false', () => {
    expect(hasRole(townshipOfficer, 'city_admin', 'org_admin')).toBe(false);
  });

  it('when requireRole is not satisfied, then it throws permission_denied ROLE_REQUIRED', () => {
    let thrown: unknown;
    try {
      requireRole(townshipOfficer, 'city_admin');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      kind: 'permission_denied',
      code: 'ROLE_REQUIRED',
      httpStatus: 403,
    });
  });

  it('when requireRole is satisfied, then it returns quietly', () => {
    expect(() => {
      requireRole(townshipOfficer, 'area_officer');
    }).not.toThrow();
  });
});

describe('mayActIn', () => {
  it('when the node is the officer own township, then allowed', () => {
    expect(mayActIn(townshipOfficer, ['3301', '330102'])).toBe(true);
  });

  it('when the node is a village under the officer township, then allowed', () => {
    expect(mayActIn(townshipOfficer, ['3301', '330102', '330102001'])).toBe(true);
  });

  it('when the node is another township, then refused', () => {
    expect(mayActIn(townshipOfficer, ['3301', '330103', '330103001'])).toBe(false);
  });

  it('when the node is the city root above the officer township, then refused', () => {
    expect(mayActIn(townshipOfficer, ['3301'])).toBe(false);
  });

  it('when the principal is city-wide, then any node is allowed', () => {
    expect(mayActIn(cityAdmin, ['3301', '330199'])).toBe(true);
  });
});

describe('bearerToken', () => {
  it('when the header is "Bearer <jwt>", then the token is returned', () => {
    expect(bearerToken('Bearer aaa.bbb.ccc')).toBe('aaa.bbb.ccc');
  });

  it('when the scheme is written in lower case, then the token is still accepted', () => {
    expect(bearerToken('bearer aaa.bbb.ccc')).toBe('aaa.bbb.ccc');
  });

  it('when there is no header, then undefined', () => {
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it.each([['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer a b'], [['Bearer a', 'Bearer b']]])(
    'when the header is %j, then TOKEN_INVALID',
    (header) => {
      expect(() => bearerToken(header)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
    },
  );
});

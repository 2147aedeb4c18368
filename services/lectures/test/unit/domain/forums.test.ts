import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  assertMayChangeForum,
  assertSeriesOffice,
  isSeriesOffice,
  mayManageForum,
  type Actor,
} from '../../../src/domain/forums.js';

const admin: Actor = { subject: 'admin', roles: ['city_admin'] };
const propaganda: Actor = {
  subject: 'officer-xc',
  roles: ['department_officer'],
  department: 'xuanchuan-bu',
};
const education: Actor = {
  subject: 'officer-jy',
  roles: ['department_officer'],
  department: 'jiaoyu-ju',
};
const manager: Actor = { subject: 'manager-rw', roles: ['participant'] };
const stranger: Actor = { subject: 'someone', roles: ['participant'] };

const humanities = { managerSubjects: ['manager-rw'], ownerDepartment: 'xuanchuan-bu' };
const youth = { managerSubjects: ['manager-qn'], ownerDepartment: 'xuanchuan-bu' };

describe('who runs the series and its forums', () => {
  it('when the actor is a city admin or an officer of the owner department, then they are the office', () => {
    expect(isSeriesOffice(admin, 'xuanchuan-bu')).toBe(true);
    expect(isSeriesOffice(propaganda, 'xuanchuan-bu')).toBe(true);
    expect(isSeriesOffice(education, 'xuanchuan-bu')).toBe(false);
    expect(isSeriesOffice(propaganda, undefined)).toBe(false);
    expect(
      refusalOf(() => {
        assertSeriesOffice(education, 'xuanchuan-bu');
      }).code,
    ).toBe('CATALOGUE_OFFICE_ONLY');
  });

  it('when the actor manages one forum, then they manage that one and not another', () => {
    expect(mayManageForum(manager, humanities)).toBe(true);
    expect(mayManageForum(manager, youth)).toBe(false);
    expect(mayManageForum(stranger, humanities)).toBe(false);
    expect(mayManageForum(propaganda, youth)).toBe(true);
    expect(mayManageForum(education, youth)).toBe(false);
  });

  it('when a forum carries no owner department, then only city admins and its managers run it', () => {
    const legacy = { managerSubjects: ['manager-rw'] };

    expect(mayManageForum(admin, legacy)).toBe(true);
    expect(mayManageForum(manager, legacy)).toBe(true);
    expect(mayManageForum(propaganda, legacy)).toBe(false);
  });
});

describe('what a forum manager may change', () => {
  it('when a manager changes the descriptive fields of their forum, then it is allowed', () => {
    expect(() => {
      assertMayChangeForum(manager, humanities, ['description', 'targetTiers', 'categories']);
    }).not.toThrow();
  });

  it.each([['name'], ['managerSubjects'], ['leadDepartment'], ['status']])(
    'when a manager changes %s of their forum, then it is FORUM_FIELD_OFFICE_ONLY naming it',
    (field) => {
      const error = refusalOf(() => {
        assertMayChangeForum(manager, humanities, ['description', field]);
      });

      expect(error.code).toBe('FORUM_FIELD_OFFICE_ONLY');
      expect(error.kind).toBe('permission_denied');
      expect(error.message).toContain(field);
    },
  );

  it('when a manager changes another forum, even its description, then it is FORUM_MANAGE_FORBIDDEN', () => {
    expect(
      refusalOf(() => {
        assertMayChangeForum(manager, youth, ['description']);
      }).code,
    ).toBe('FORUM_MANAGE_FORBIDDEN');
    expect(
      refusalOf(() => {
        assertMayChangeForum(stranger, youth, ['description']);
      }).code,
    ).toBe('FORUM_MANAGE_FORBIDDEN');
  });

  it('when the office changes any field, then it is allowed', () => {
    expect(() => {
      assertMayChangeForum(propaganda, youth, ['name', 'managerSubjects', 'status']);
    }).not.toThrow();
  });
});

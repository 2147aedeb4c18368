import { AppError } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  assertMayManageForum,
  isForumOffice,
  managesForum,
  mayManageForum,
} from '../../../src/application/catalogue/forum-access.js';
import { principal } from './fakes.js';

const forum = { managerSubjects: ['manager-rw'], ownerDepartment: 'xuanchuan-bu' };

describe('the forum access helper other slices use', () => {
  it('when asked of the office, a manager and a stranger, then each answer tells them apart', () => {
    const officer = principal('officer', ['department_officer'], 'xuanchuan-bu');
    const manager = principal('manager-rw', ['participant']);
    const stranger = principal('someone', ['participant', 'expert']);

    expect([officer, manager, stranger].map((who) => mayManageForum(who, forum))).toEqual([
      true,
      true,
      false,
    ]);
    expect([officer, manager, stranger].map((who) => isForumOffice(who, forum))).toEqual([
      true,
      false,
      false,
    ]);
    expect([officer, manager, stranger].map((who) => managesForum(who, forum))).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('when someone who does not run the forum is asserted, then it is a 403 FORUM_MANAGE_FORBIDDEN AppError', () => {
    let thrown: unknown;
    try {
      assertMayManageForum(principal('someone', ['participant']), forum);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'FORUM_MANAGE_FORBIDDEN', httpStatus: 403 });
    expect(() => {
      assertMayManageForum(principal('manager-rw', ['participant']), forum);
    }).not.toThrow();
  });
});

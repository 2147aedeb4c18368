import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  catalogueErrors,
  changeEmpty,
  departmentUnknown,
  forumNotFound,
  seriesNotFound,
} from '../../src/application/catalogue/errors.js';
import * as forums from '../../src/domain/forums.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

const manager = { subject: 'manager', roles: ['participant'] };
const forum = { managerSubjects: ['manager'], ownerDepartment: 'xuanchuan-bu' };

describe('the catalogue error codes', () => {
  it('when the README is read, then its catalogue error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(catalogueErrors.tableProblems(readme, 'catalogue-errors')).toEqual([]);
  });

  it('when the domain names a forum or catalogue code, then the catalogue has it', () => {
    const domainCodes = Object.entries(forums).flatMap(([name, value]: [string, unknown]) =>
      /^(FORUM|CATALOGUE)_/.test(name) && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes).toHaveLength(3);
    expect(domainCodes.filter((code) => !catalogueErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      seriesNotFound(),
      forumNotFound(),
      changeEmpty(),
      departmentUnknown('nope', '/leadDepartment'),
      asAppError(
        refusalOf(() => {
          forums.assertSeriesOffice(manager, 'xuanchuan-bu');
        }),
      ),
      asAppError(
        refusalOf(() => {
          forums.assertMayManageForum(manager, { ...forum, managerSubjects: [] });
        }),
      ),
      asAppError(
        refusalOf(() => {
          forums.assertMayChangeForum(manager, forum, ['name']);
        }),
      ),
    ];

    expect(refusals.map((error) => error.httpStatus)).toEqual([404, 404, 400, 400, 403, 403, 403]);
    expect(catalogueErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => catalogueErrors.with(platformErrors)).not.toThrow();
  });
});

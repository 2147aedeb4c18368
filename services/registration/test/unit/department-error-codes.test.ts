import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { departmentErrors, versionConflict } from '../../src/application/departments/errors.js';
import {
  DEFAULT_RESPONSIBILITY_TABLE,
  DEPARTMENTS,
  parseResponsibilityTable,
  rowsOf,
  type ResponsibilityRow,
} from '../../src/domain/departments.js';
import { appRefusalOf } from './error-code-checks.js';

const rows = rowsOf(DEFAULT_RESPONSIBILITY_TABLE);
const [first, ...rest] = rows;
if (first === undefined) throw new Error('the default table has no rows');
const otherDepartment = DEPARTMENTS.find((department) => department.code !== first.lead)?.code;
if (otherDepartment === undefined) throw new Error('only one department is known');

const refusedTables: readonly (readonly ResponsibilityRow[])[] = [
  [...rows, { kind: 'public_institution', lead: first.lead, coResponsible: [] }],
  [...rows, first],
  rest,
  [{ ...first, lead: 'no-such-department' }, ...rest],
  [{ ...first, coResponsible: [first.lead] }, ...rest],
  [{ ...first, coResponsible: [otherDepartment, otherDepartment] }, ...rest],
];
const refusedByDomain = () =>
  refusedTables.map((table) => appRefusalOf(() => parseResponsibilityTable(table, DEPARTMENTS)));

describe('the department table error codes', () => {
  it('when the README is read, then its department error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(departmentErrors.tableProblems(readme, 'department-errors')).toEqual([]);
  });

  it('when a replaced table breaks a rule, then each error has the status its catalogue entry gives', () => {
    expect(departmentErrors.problemsOf(refusedByDomain())).toEqual([]);
  });

  it('when the table rules refuse, then every code of the catalogue is one of them', () => {
    const codes = new Set(refusedByDomain().map((error) => error.code));

    expect(departmentErrors.codes.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('when the table changed meanwhile, then the conflict is the platform’s VERSION_CONFLICT', () => {
    expect(platformErrors.problemsOf([versionConflict()])).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => departmentErrors.with(platformErrors)).not.toThrow();
  });
});

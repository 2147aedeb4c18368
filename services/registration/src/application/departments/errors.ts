/**
 * The stable codes of the department table, each with its kind and meaning
 * (`departmentErrors`): the rules a replaced table must keep. The README's
 * department error table is this catalogue's table; a unit test keeps the two
 * the same.
 */
import { defineErrorCodes, platformErrors, type AppError } from '@learning/errors';
import {
  DEPARTMENT_TABLE_DUPLICATE_CO_RESPONSIBLE,
  DEPARTMENT_TABLE_DUPLICATE_KIND,
  DEPARTMENT_TABLE_LEAD_ALSO_CO_RESPONSIBLE,
  DEPARTMENT_TABLE_MISSING_KIND,
  DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT,
  DEPARTMENT_TABLE_UNKNOWN_KIND,
} from '../../domain/departments.js';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, ROLE_REQUIRED, … */
export const departmentErrors = defineErrorCodes({
  [DEPARTMENT_TABLE_UNKNOWN_KIND]: {
    kind: 'invalid_argument',
    when: 'a row for a kind that has none of its own (public institutions follow agency)',
  },
  [DEPARTMENT_TABLE_DUPLICATE_KIND]: {
    kind: 'invalid_argument',
    when: 'two rows for one kind',
  },
  [DEPARTMENT_TABLE_MISSING_KIND]: {
    kind: 'invalid_argument',
    when: 'no row for a kind that needs one',
  },
  [DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT]: {
    kind: 'invalid_argument',
    when: 'a lead or co-responsible department that is not one of the 22',
  },
  [DEPARTMENT_TABLE_LEAD_ALSO_CO_RESPONSIBLE]: {
    kind: 'invalid_argument',
    when: 'a row whose lead is also listed as co-responsible',
  },
  [DEPARTMENT_TABLE_DUPLICATE_CO_RESPONSIBLE]: {
    kind: 'invalid_argument',
    when: 'a row listing a co-responsible department twice',
  },
});

export const versionConflict = (): AppError =>
  platformErrors.error(
    'VERSION_CONFLICT',
    'The department table was changed by someone else; reload it and try again.',
  );

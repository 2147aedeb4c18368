import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  officerCriteriaInvalid,
  officerDirectoryForbidden,
  officerErrors,
  officerNotFound,
  officerRoleRequired,
} from '../../src/application/officers/errors.js';
import { appRefusalOf } from './error-code-checks.js';
import { parseEmail, parseMobilePhone } from '@learning/domain';

const thrown = () => [
  officerCriteriaInvalid('bad'),
  officerDirectoryForbidden(),
  officerNotFound(),
  officerRoleRequired(),
  appRefusalOf(() => parseMobilePhone('12')),
  appRefusalOf(() => parseEmail('nobody')),
];

describe('the officer directory error codes', () => {
  it('when the README is read, then its officer error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(officerErrors.tableProblems(readme, 'officer-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives and every code is used', () => {
    const errors = thrown();
    expect(officerErrors.problemsOf(errors)).toEqual([]);
    const codes = new Set(errors.map((error) => error.code));
    expect(officerErrors.codes.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('when merged with the platform, then no code means two things', () => {
    expect(() => officerErrors.with(platformErrors)).not.toThrow();
  });
});

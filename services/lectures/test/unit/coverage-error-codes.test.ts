import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  coverageErrors,
  coverageJurisdictionNotFound,
  coverageLevelInvalid,
  coverageReadForbidden,
} from '../../src/application/coverage/errors.js';
import * as coverage from '../../src/domain/coverage.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

describe('the coverage error codes', () => {
  it('when the README is read, then its coverage error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(coverageErrors.tableProblems(readme, 'coverage-errors')).toEqual([]);
  });

  it('when the coverage rules name a code, then the catalogue has it', () => {
    const domainCodes = Object.entries(coverage).flatMap(([name, value]: [string, unknown]) =>
      /^COVERAGE_/.test(name) && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes).toHaveLength(3);
    expect(domainCodes.filter((code) => !coverageErrors.has(code))).toEqual([]);
  });

  it('when the slice or its rules refuse, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      coverageJurisdictionNotFound(),
      coverageLevelInvalid(),
      coverageReadForbidden(),
      asAppError(refusalOf(() => coverage.quarterBoundaries(1900))),
      asAppError(refusalOf(() => coverage.monthsBefore(new Date(), 0))),
      asAppError(refusalOf(() => coverage.suggestPairings([], [], 0))),
    ];
    expect(refusals.map((error) => error.code).sort()).toEqual([...coverageErrors.codes].sort());
    expect(coverageErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => coverageErrors.with(platformErrors)).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  programmeErrors,
  programmeJurisdictionUnknown,
  programmeManageForbidden,
  programmeNotFound,
} from '../../src/application/training/programmes/errors.js';
import * as programmes from '../../src/domain/training-programmes.js';
import * as quotas from '../../src/domain/training-quotas.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

describe('the training programme error codes', () => {
  it('when the README is read, then its training programme error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(programmeErrors.tableProblems(readme, 'training-programme-errors')).toEqual([]);
  });

  it('when the domain names a code, then the catalogue has it', () => {
    const domainCodes = Object.entries({ ...programmes, ...quotas }).flatMap(
      ([name, value]: [string, unknown]) =>
        name.startsWith('PROGRAMME_') && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes.length).toBeGreaterThan(8);
    expect(domainCodes.filter((code) => !programmeErrors.has(code))).toEqual([]);
  });

  it('when the part or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      programmeNotFound(),
      programmeManageForbidden(),
      asAppError(
        refusalOf(() => {
          programmes.assertChangeable('closed');
        }),
      ),
      asAppError(
        refusalOf(() => {
          quotas.assertQuotasCoverTrained(2026, [], new Map([['330281001000', 1]]));
        }),
      ),
      asAppError(
        refusalOf(() => {
          quotas.validateYearQuotas([{ jurisdictionCode: 'x', people: -1 }]);
        }),
      ),
    ];
    expect(programmeErrors.problemsOf(refusals)).toEqual([]);
    expect(platformErrors.problemsOf([programmeJurisdictionUnknown('/jurisdictionCode')])).toEqual(
      [],
    );
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => programmeErrors.with(platformErrors)).not.toThrow();
  });
});

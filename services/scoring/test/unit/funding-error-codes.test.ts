import { readFileSync } from 'node:fs';
import { DomainError, domainCall } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  fundingErrors,
  jurisdictionUnknown,
  lineBelowCommitted,
  lineExhausted,
  lineExists,
  lineNotFound,
  outOfScope,
  reportsNotPermitted,
  revisionInvalid,
} from '../../src/application/funding/errors.js';
import { checkLineCode, parseAmount, receiptYearOf } from '../../src/domain/funding.js';

/** The domain's refusal as the HTTP layer answers it. */
const refusalOf = (run: () => unknown): AppError => {
  try {
    domainCall(run);
  } catch (error) {
    if (error instanceof AppError) return error;
    if (error instanceof DomainError) throw new Error(`untranslated ${error.code}`);
  }
  throw new Error('no refusal');
};

describe('the funding error codes', () => {
  it('when the README is read, then its funding error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(fundingErrors.tableProblems(readme, 'funding-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      refusalOf(() => parseAmount('0')),
      refusalOf(() => {
        checkLineCode('Awards');
      }),
      refusalOf(() => receiptYearOf('2026-13-01')),
      revisionInvalid(),
      outOfScope(),
      reportsNotPermitted(),
      lineNotFound(),
      lineExists(),
      lineBelowCommitted('1.00'),
      lineExhausted(),
    ];

    expect(refusals.map((error) => error.code).sort()).toEqual([...fundingErrors.codes].sort());
    expect(fundingErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when a place is unknown, then the platform’s JURISDICTION_UNKNOWN answers, a 400', () => {
    expect(platformErrors.problemsOf([jurisdictionUnknown()])).toEqual([]);
    expect(jurisdictionUnknown()).toMatchObject({ code: 'JURISDICTION_UNKNOWN', httpStatus: 400 });
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => fundingErrors.with(platformErrors)).not.toThrow();
  });
});

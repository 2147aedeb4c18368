import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  idInvalid,
  notRegistered,
  organizationForbidden,
  organizationNotFound,
  recordNotFound,
  recordsErrors,
} from '../../src/application/records/errors.js';
import {
  codeInvalid,
  codeUnknown,
  sharingWithdrawn,
  verificationErrors,
} from '../../src/application/verification/errors.js';
import { checkRecordYear } from '../../src/domain/records.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

describe('the records and verification error codes', () => {
  it('when the README is read, then its records and verification tables are the catalogues', () => {
    expect(recordsErrors.tableProblems(readme, 'records-errors')).toEqual([]);
    expect(verificationErrors.tableProblems(readme, 'verification-errors')).toEqual([]);
  });

  it('when the slices refuse, then each error has the status its catalogue entry gives', () => {
    const records = [
      asAppError(refusalOf(() => checkRecordYear(1999, 2026))),
      idInvalid('participant'),
      recordNotFound(),
      notRegistered(),
      organizationNotFound(),
      organizationForbidden(),
    ];

    expect(records.map((error) => error.httpStatus)).toEqual([400, 400, 404, 404, 404, 403]);
    expect(recordsErrors.problemsOf(records)).toEqual([]);
    const verification = [codeInvalid(), codeUnknown(), sharingWithdrawn()];
    expect(verification.map((error) => error.httpStatus)).toEqual([400, 404, 404]);
    expect(verificationErrors.problemsOf(verification)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => recordsErrors.with(verificationErrors).with(platformErrors)).not.toThrow();
  });
});

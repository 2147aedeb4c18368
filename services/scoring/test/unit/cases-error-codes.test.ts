import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  caseAwardNotFound,
  caseAwardNotPublished,
  caseExists,
  caseNotFound,
  caseNotPublishable,
  caseNotPublished,
  casesErrors,
} from '../../src/application/cases/errors.js';
import { checkConsent } from '../../src/domain/awards.js';

describe('the cases error codes', () => {
  it('when the README is read, then its cases error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(casesErrors.tableProblems(readme, 'cases-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    let consentMissing: unknown;
    try {
      checkConsent(null, { kind: 'person', id: 'p-1' }, []);
    } catch (error) {
      consentMissing = appErrorOf(error);
    }
    const refusals = [
      caseNotFound(),
      caseAwardNotFound(),
      caseExists(),
      caseAwardNotPublished(),
      caseNotPublishable(),
      caseNotPublished(),
      consentMissing,
    ];

    expect(refusals.every((error) => error instanceof AppError)).toBe(true);
    expect(casesErrors.problemsOf(refusals as AppError[])).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => casesErrors.with(platformErrors)).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  enterpriseReportErrors,
  reportNotFound,
} from '../../src/application/training/enterprise/errors.js';
import * as rules from '../../src/domain/enterprise-training.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

describe("the enterprise training reports' error codes", () => {
  it('when the README is read, then its enterprise training error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(enterpriseReportErrors.tableProblems(readme, 'enterprise-training-errors')).toEqual([]);
  });

  it('when the domain names a code, then the catalogue has it', () => {
    const domainCodes = Object.entries(rules).flatMap(([name, value]: [string, unknown]) =>
      name.startsWith('ENTERPRISE_REPORT_') && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes).toHaveLength(3);
    expect(domainCodes.filter((code) => !enterpriseReportErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      reportNotFound(),
      asAppError(refusalOf(() => rules.parseYuan('1e3'))),
      asAppError(
        refusalOf(() => {
          rules.checkReportYear(1999, 2026);
        }),
      ),
      asAppError(
        refusalOf(() => {
          rules.checkFigures({ trainees: 1, trainingMinutes: 0 });
        }),
      ),
    ];
    expect(enterpriseReportErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => enterpriseReportErrors.with(platformErrors)).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { ruleNotFound, rulesErrors } from '../../src/application/rules/errors.js';
import { parseCredits } from '../../src/domain/credits.js';
import * as ruleBook from '../../src/domain/rule-book.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

const TODAY = '2027-03-10';
const version = {
  version: 1,
  effectiveFrom: TODAY,
  effectiveTo: null,
  basis: { kind: 'per_hour', credits: 100 },
  dailyCap: null,
  yearlyCap: null,
  bonusPercent: null,
  createdBy: 'office',
  createdAt: new Date(),
} as const;
const rule = {
  id: 'a',
  kind: 'base',
  name: 'A',
  source: 'lecture_attended',
  categories: [],
  tiers: [],
  campaignId: null,
  versions: [version],
} as const;

describe('the rules error codes', () => {
  it('when the README is read, then its rules error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(rulesErrors.tableProblems(readme, 'rules-errors')).toEqual([]);
  });

  it('when the domain names a rule code, then the catalogue has it', () => {
    const domainCodes = Object.entries(ruleBook)
      .filter(([name, value]) => name.startsWith('RULE_') && typeof value === 'string')
      .map(([, code]) => code as string);

    expect(domainCodes.length).toBeGreaterThan(20);
    expect(domainCodes.filter((code) => !rulesErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      ruleNotFound(),
      asAppError(refusalOf(() => parseCredits('1.234'))),
      asAppError(
        refusalOf(() => {
          ruleBook.assertRange({ effectiveFrom: '2027-02-30', effectiveTo: null }, TODAY);
        }),
      ),
      asAppError(
        refusalOf(() => {
          ruleBook.assertTerms('base', 'lecture_attended', {
            basis: { kind: 'per_hour', credits: -100 },
            dailyCap: null,
            yearlyCap: null,
            bonusPercent: null,
          });
        }),
      ),
      asAppError(refusalOf(() => ruleBook.withNewVersion(rule, version, version, TODAY, version))),
      asAppError(
        refusalOf(() =>
          ruleBook.retiredVersions([{ ...version, effectiveTo: TODAY }], TODAY, TODAY),
        ),
      ),
      asAppError(
        refusalOf(() => {
          ruleBook.assertNoOverlap(rule, [{ ...rule, id: 'b' }]);
        }),
      ),
    ];

    expect(refusals.map((error) => error.code)).toEqual([
      'RULE_NOT_FOUND',
      'CREDITS_INVALID',
      'CALENDAR_DATE_INVALID',
      'RULE_CREDITS_INVALID',
      'RULE_EFFECTIVE_FROM_TOO_SOON',
      'RULE_ALREADY_ENDS',
      'RULE_OVERLAP',
    ]);
    expect(rulesErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => rulesErrors.with(platformErrors)).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  expertAlreadyExists,
  expertChangeEmpty,
  expertErrors,
  expertNotFound,
} from '../../src/application/experts/errors.js';
import * as profile from '../../src/domain/expert-profile.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

const day = (d: number, hours: [number, number]) => ({
  startsAt: new Date(Date.UTC(2026, 4, d, hours[0])),
  endsAt: new Date(Date.UTC(2026, 4, d, hours[1])),
});

describe('the expert error codes', () => {
  it('when the README is read, then its experts error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(expertErrors.tableProblems(readme, 'experts-errors')).toEqual([]);
  });

  it('when the domain names an expert code, then the catalogue has it', () => {
    const domainCodes = Object.entries(profile).flatMap(([name, value]: [string, unknown]) =>
      name.startsWith('EXPERT_') && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes).toHaveLength(5);
    expect(domainCodes.filter((code) => !expertErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      expertNotFound(),
      expertAlreadyExists(),
      expertChangeEmpty(),
      asAppError(refusalOf(() => profile.normalizeAvailability([day(1, [9, 8])]))),
      asAppError(refusalOf(() => profile.normalizeAvailability([day(1, [1, 9]), day(1, [8, 10])]))),
      asAppError(
        refusalOf(() =>
          profile.normalizeAvailability(
            Array.from({ length: profile.MAX_AVAILABILITY_WINDOWS + 1 }, (_, i) =>
              day(1 + (i % 28), [0, 1]),
            ),
          ),
        ),
      ),
      asAppError(refusalOf(() => profile.normalizeLanguages(['zh_CN']))),
      asAppError(refusalOf(() => profile.normalizeLanguages(['en', 'EN']))),
      asAppError(refusalOf(() => profile.normalizePhone('123'))),
      asAppError(refusalOf(() => profile.normalizeEmail('nobody'))),
    ];

    expect(refusals.map((error) => error.code)).toContain('EXPERT_AVAILABILITY_TOO_MANY');
    expect(expertErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => expertErrors.with(platformErrors)).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  donationNotFound,
  jurisdictionNotFound,
  networkErrors,
  pairingNotFound,
  placeNotFound,
} from '../../src/application/network/errors.js';
import * as standard from '../../src/domain/library-standard.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

describe('the network error codes', () => {
  it('when the README is read, then its network error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(networkErrors.tableProblems(readme, 'network-errors')).toEqual([]);
  });

  it('when the library standard names a code, then the catalogue has it', () => {
    const domainCodes = Object.entries(standard).flatMap(([name, value]: [string, unknown]) =>
      /^(LIBRARY|NETWORK)_/.test(name) && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes.length).toBeGreaterThan(5);
    expect(domainCodes.filter((code) => !networkErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      jurisdictionNotFound(),
      placeNotFound(),
      pairingNotFound(),
      donationNotFound(),
      asAppError(refusalOf(() => standard.validateHoldings({ novels: -1 }))),
      asAppError(
        refusalOf(() => {
          standard.assertPlaceLevel('farmhouse_library', 'township');
        }),
      ),
    ];
    expect(networkErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => networkErrors.with(platformErrors)).not.toThrow();
  });
});

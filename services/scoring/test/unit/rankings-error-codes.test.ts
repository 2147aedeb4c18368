import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { rankingErrors, rankingNotPermitted } from '../../src/application/rankings/errors.js';

describe('the rankings error codes', () => {
  it('when the README is read, then its rankings error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(rankingErrors.tableProblems(readme, 'rankings-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [rankingNotPermitted()];

    expect(refusals.map((error) => error.code).sort()).toEqual([...rankingErrors.codes].sort());
    expect(rankingErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => rankingErrors.with(platformErrors)).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  leaderboardErrors,
  leaderboardNotFound,
  notForPersons,
  pageTokenInvalid,
  participantNotRegistered,
  rebuildNotFound,
} from '../../src/application/leaderboards/errors.js';

describe('the leaderboards error codes', () => {
  it('when the README is read, then its leaderboards error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(leaderboardErrors.tableProblems(readme, 'leaderboards-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      leaderboardNotFound(),
      pageTokenInvalid(),
      notForPersons(),
      participantNotRegistered(),
      rebuildNotFound(),
    ];

    expect(refusals.map((error) => error.code).sort()).toEqual([...leaderboardErrors.codes].sort());
    expect(leaderboardErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => leaderboardErrors.with(platformErrors)).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  contestErrors,
  contestNotFound,
  entryNotFound,
} from '../../src/application/contests/errors.js';
import * as domain from '../../src/domain/contests.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

const contest: domain.Contest = {
  id: 'c-1',
  status: 'open',
  entryWindow: {
    opensAt: new Date('2026-05-01T00:00:00Z'),
    closesAt: new Date('2026-06-01T00:00:00Z'),
  },
  ageBand: { min: 6, max: 12 },
  ageReferenceDate: '2026-06-01',
  rubric: [{ id: 'content', name: 'Content', weight: 1, maxPoints: 10 }],
};
const during = new Date('2026-05-10T00:00:00Z');
const after = new Date('2026-06-10T00:00:00Z');
const judge: domain.Judge = { id: 'j-1', organizations: ['school-1'] };
const ownEntry: domain.Entry = { id: 'e-1', organizationId: 'school-1' };
const card: domain.Scorecard = {
  entryId: 'e-1',
  judgeId: 'j-2',
  points: { content: 1 },
  weightedTotal: 1,
};

describe('the contest error codes', () => {
  it('when the README is read, then its contest error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(contestErrors.tableProblems(readme, 'contest-errors')).toEqual([]);
  });

  it('when the domain names a contest code, then the catalogue has it', () => {
    const domainCodes = Object.entries(domain)
      .filter(([name, value]) => name.startsWith('CONTEST_') && typeof value === 'string')
      .map(([, code]) => code as string);

    expect(domainCodes.filter((code) => !contestErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      contestNotFound(),
      entryNotFound(),
      asAppError(
        refusalOf(() => {
          domain.assertEntriesOpen(contest, after);
        }),
      ),
      asAppError(refusalOf(() => domain.validateAgeBand({ min: 9, max: 3 }))),
      asAppError(refusalOf(() => domain.assignJudge(judge, ownEntry))),
      asAppError(
        refusalOf(() => domain.scoreEntry(contest, [], judge, ownEntry, { content: 1 }, after)),
      ),
      asAppError(
        refusalOf(() =>
          domain.scoreEntry(contest, [], { id: 'j-2', organizations: [] }, ownEntry, {}, after),
        ),
      ),
      asAppError(
        refusalOf(() =>
          domain.rankEntries(
            contest.rubric,
            [ownEntry],
            [{ entryId: 'e-1', judgeId: 'j-2' }],
            [card, card],
          ),
        ),
      ),
      asAppError(refusalOf(() => domain.publishResults(contest, [], [], [], during))),
    ];
    expect(contestErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => contestErrors.with(platformErrors)).not.toThrow();
  });
});

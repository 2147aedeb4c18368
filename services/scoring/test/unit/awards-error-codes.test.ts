import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { awardsErrors } from '../../src/application/awards/errors.js';
import {
  checkMayReview,
  checkNomination,
  checkReviewing,
  checkRoundTerms,
  checkStanding,
  newlyApproved,
  parseYuan,
  type RoundTerms,
} from '../../src/domain/awards.js';

const terms: RoundTerms = {
  year: 2026,
  category: 'exemplary_individual',
  organizationKind: null,
  nominationsClose: '2026-12-20',
  materialAwardFen: 100,
  fundingLineId: 'line-1',
};
const person = { kind: 'person' as const, organizationKind: null };
const standing = {
  assessmentId: 'a',
  locked: true,
  passed: true,
  score: 1,
  rank: 1,
  rankedOutOf: 1,
};
const nomination = { nomineeKind: 'person' as const, nomineeId: 'p-1', recusedExpertIds: [] };

describe('the awards error codes', () => {
  it('when the README is read, then its awards error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(awardsErrors.tableProblems(readme, 'awards-errors')).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => awardsErrors.with(platformErrors)).not.toThrow();
  });
});

describe('the awards domain’s refusals', () => {
  it('when the rules refuse, then each refusal has the status its catalogue entry gives', () => {
    const refusals = [
      () => parseYuan('x'),
      () => {
        checkRoundTerms({ ...terms, nominationsClose: '2026-02-30' }, '2026-01-01');
      },
      () => {
        checkRoundTerms({ ...terms, category: 'exemplary_organization' }, '2026-01-01');
      },
      () => {
        checkRoundTerms({ ...terms, organizationKind: 'family' }, '2026-01-01');
      },
      () => {
        checkRoundTerms(terms, '2026-12-31');
      },
      () => {
        checkRoundTerms({ ...terms, nominationsClose: '2028-01-01' }, '2026-01-01');
      },
      () => {
        checkRoundTerms({ ...terms, fundingLineId: null }, '2026-01-01');
      },
      () => {
        checkNomination({ ...terms, status: 'open' }, person, '2026-12-31');
      },
      () => {
        checkNomination(
          { ...terms, status: 'open' },
          { kind: 'organization', organizationKind: 'family' },
          '2026-01-01',
        );
      },
      () => {
        checkStanding(undefined);
      },
      () => {
        checkStanding({ ...standing, passed: false });
      },
      () => {
        checkReviewing('nominating');
      },
      () => {
        checkMayReview(nomination, 'e-1', { organizationIds: [], participantId: 'p-1' });
      },
      () => {
        checkMayReview({ ...nomination, recusedExpertIds: ['e-1'] }, 'e-1', {
          organizationIds: [],
          participantId: null,
        });
      },
      () => newlyApproved(['n-1'], [], 1, 'published'),
      () => newlyApproved(['n-1', 'n-2'], [], 1, 'reviewing'),
    ].map((refuse) => {
      try {
        refuse();
      } catch (error) {
        return appErrorOf(error);
      }
      throw new Error('the rule did not refuse');
    });

    expect(refusals.every((error) => error instanceof AppError)).toBe(true);
    expect(awardsErrors.problemsOf(refusals as AppError[])).toEqual([]);
  });
});

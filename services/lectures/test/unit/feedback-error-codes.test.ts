import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  expertNotFound,
  feedbackAlreadyGiven,
  feedbackErrors,
  feedbackNotFound,
  forumForbidden,
  forumNotFound,
  sessionNotFound,
} from '../../src/application/feedback/errors.js';
import * as domain from '../../src/domain/feedback.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

describe('the feedback error codes', () => {
  it('when the README is read, then its feedback error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(feedbackErrors.tableProblems(readme, 'feedback-errors')).toEqual([]);
  });

  it('when the domain names a feedback code, then the catalogue has it', () => {
    const domainCodes = Object.entries(domain)
      .filter(([name, value]) => name.startsWith('FEEDBACK_') && typeof value === 'string')
      .map(([, code]) => code as string);

    expect(domainCodes).not.toHaveLength(0);
    expect(domainCodes.filter((code) => !feedbackErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const starts = new Date('2026-04-10T09:00:00Z');
    const refusals = [
      feedbackNotFound(),
      sessionNotFound(),
      forumNotFound(),
      expertNotFound(),
      forumForbidden(),
      feedbackAlreadyGiven(),
      asAppError(refusalOf(() => domain.validateRating(0))),
      asAppError(refusalOf(() => domain.normalizeComment('长'.repeat(501)))),
      asAppError(
        refusalOf(() => {
          domain.attendingParticipant(null);
        }),
      ),
      asAppError(
        refusalOf(() => {
          domain.assertRateable({ status: 'scheduled', startsAt: starts }, new Date(0));
        }),
      ),
      asAppError(
        refusalOf(() => {
          domain.assertRateable({ status: 'cancelled', startsAt: starts }, starts);
        }),
      ),
      asAppError(refusalOf(() => domain.reviewedStatus(false, 'hide'))),
    ];

    expect(refusals.map((refusal) => refusal.code).sort()).toEqual(
      [...feedbackErrors.codes].sort(),
    );
    expect(feedbackErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => feedbackErrors.with(platformErrors)).not.toThrow();
  });
});

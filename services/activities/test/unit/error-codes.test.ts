import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  campaignEditionExists,
  campaignErrors,
  campaignNotFound,
} from '../../src/application/campaigns/errors.js';

describe('the campaign error codes', () => {
  it('when the README is read, then its campaign error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(campaignErrors.tableProblems(readme, 'campaign-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    expect(
      campaignErrors.problemsOf([campaignNotFound(), campaignEditionExists(2027, 'c-1')]),
    ).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => campaignErrors.with(platformErrors)).not.toThrow();
  });
});

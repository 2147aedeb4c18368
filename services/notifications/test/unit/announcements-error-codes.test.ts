import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  announcementFinished,
  announcementNotFound,
  announcementsErrors,
  outsideScope,
} from '../../src/application/announcements/errors.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the announcements error codes', () => {
  it('when the README is read, then its announcements table is the catalogue', () => {
    expect(announcementsErrors.tableProblems(readme, 'announcements-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    const errors = [
      outsideScope(['330281001']),
      outsideScope([]),
      announcementNotFound(),
      announcementFinished(),
    ];

    expect(errors.map((error) => error.httpStatus)).toEqual([403, 403, 404, 409]);
    expect(announcementsErrors.problemsOf(errors)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => announcementsErrors.with(platformErrors)).not.toThrow();
  });
});

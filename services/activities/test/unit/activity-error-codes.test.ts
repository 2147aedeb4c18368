import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { activityIdOf } from '../../src/adapters/grpc/seated-event-source.js';
import { activityErrors, activityNotFound } from '../../src/application/activities/errors.js';
import * as lifecycle from '../../src/domain/activity-lifecycle.js';
import * as schedules from '../../src/domain/schedule.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

const thrownBy = (action: () => unknown): AppError => {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

const evening: schedules.Schedule = {
  kind: 'single',
  session: { start: new Date('2026-05-10T11:00:00Z'), end: new Date('2026-05-10T13:00:00Z') },
};

describe('the activity error codes', () => {
  it('when the README is read, then its activity error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(activityErrors.tableProblems(readme, 'activity-errors')).toEqual([]);
  });

  it('when the domain names an activity or schedule code, then the catalogue has it', () => {
    const domainCodes = [...Object.entries(lifecycle), ...Object.entries(schedules)].flatMap(
      ([name, value]: [string, unknown]) =>
        /^(ACTIVITY|SCHEDULE)_/.test(name) && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes.length).toBeGreaterThan(10);
    expect(domainCodes.filter((code) => !activityErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      activityNotFound(),
      thrownBy(() => activityIdOf('not-a-uuid')),
      asAppError(refusalOf(() => lifecycle.validateCapacity(0))),
      asAppError(
        refusalOf(() => {
          lifecycle.assertCapacityHoldsEnrollment(5, 6);
        }),
      ),
      asAppError(refusalOf(() => lifecycle.validatePupilAgeBand({ min: 9, max: 3 }))),
      asAppError(
        refusalOf(() => {
          schedules.assertNotInPast(evening, new Date('2026-06-01'));
        }),
      ),
      asAppError(refusalOf(() => schedules.validateSchedule({ kind: 'series', sessions: [] }))),
    ];
    expect(activityErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => activityErrors.with(platformErrors)).not.toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { sessionErrors, sessionNotFound } from '../../src/application/sessions/errors.js';
import * as scheduling from '../../src/domain/scheduling.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

const at = (iso: string) => new Date(`2027-04-${iso}Z`);

describe('the session error codes', () => {
  it('when the README is read, then its session error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(sessionErrors.tableProblems(readme, 'session-errors')).toEqual([]);
  });

  it('when the scheduling rules name a code, then the catalogue has it', () => {
    const domainCodes = Object.entries(scheduling).flatMap(([name, value]: [string, unknown]) =>
      name.startsWith('SESSION_') && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes.length).toBeGreaterThan(15);
    expect(domainCodes.filter((code) => !sessionErrors.has(code))).toEqual([]);
  });

  it('when the slice or its rules refuse, then each error has the status its catalogue entry gives', () => {
    const span = { startsAt: at('12T08:00:00'), endsAt: at('12T10:00:00') };
    const venue = { id: 'hall', setting: 'countryside' as const, townshipCode: '330281001000' };
    const speaker = {
      id: 'wang',
      displayName: '王教授',
      status: 'active' as const,
      travelRadius: 'city' as const,
      availability: [],
    };
    const refusals = [
      sessionNotFound(),
      asAppError(
        refusalOf(() => {
          scheduling.validateCapacity(0);
        }),
      ),
      asAppError(
        refusalOf(() => {
          scheduling.validateTimes(span, at('13T00:00:00'), scheduling.DEFAULT_SCHEDULING_RULES);
        }),
      ),
      asAppError(
        refusalOf(() => {
          scheduling.assertTravelRadius(venue, [speaker]);
        }),
      ),
      asAppError(
        refusalOf(() => {
          scheduling.assertNoVenueClash(span, venue, [
            { ...span, id: 'other', title: '讲座', speakerIds: [], venue },
          ]);
        }),
      ),
      asAppError(refusalOf(() => scheduling.assertSpeakersInPool(['x'], new Map()))),
    ];
    expect(sessionErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => sessionErrors.with(platformErrors)).not.toThrow();
  });
});

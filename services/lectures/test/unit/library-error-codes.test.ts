import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { lessonNotFound, libraryErrors } from '../../src/application/library/errors.js';
import * as lessons from '../../src/domain/lessons.js';
import * as progress from '../../src/domain/progress.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

const T0 = new Date('2026-04-01T08:00:00Z');
const terms = { lengthSeconds: 600, requiredShare: 0.9 };
const started = progress.firstHeartbeat(
  terms,
  { sequence: 2, positionSeconds: 0, seek: false },
  T0,
);

describe('the library error codes', () => {
  it('when the README is read, then its library error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(libraryErrors.tableProblems(readme, 'library-errors')).toEqual([]);
  });

  it('when the domain names a lesson or progress code, then the catalogue has it', () => {
    const domainCodes = [...Object.entries(lessons), ...Object.entries(progress)]
      .filter(
        ([name, value]) =>
          (name.startsWith('LESSON_') || name.startsWith('PROGRESS_')) && typeof value === 'string',
      )
      .map(([, code]) => code as string);

    expect(domainCodes.length).toBeGreaterThan(6);
    expect(domainCodes.filter((code) => !libraryErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      lessonNotFound(),
      asAppError(
        refusalOf(() => {
          lessons.assertLength(0);
        }),
      ),
      asAppError(
        refusalOf(() => {
          lessons.assertRequiredShare(2);
        }),
      ),
      asAppError(
        refusalOf(() => {
          lessons.assertContentUrl('http://x');
        }),
      ),
      asAppError(refusalOf(() => lessons.nextStatus('draft', 'withdraw'))),
      asAppError(
        refusalOf(() =>
          progress.firstHeartbeat(terms, { sequence: 0, positionSeconds: 0, seek: false }, T0),
        ),
      ),
      asAppError(
        refusalOf(() =>
          progress.firstHeartbeat(terms, { sequence: 1, positionSeconds: 601, seek: false }, T0),
        ),
      ),
      asAppError(
        refusalOf(() =>
          progress.nextHeartbeat(
            terms,
            started,
            { sequence: 2, positionSeconds: 1, seek: false },
            T0,
          ),
        ),
      ),
      asAppError(
        refusalOf(() =>
          progress.nextHeartbeat(
            terms,
            started,
            { sequence: 3, positionSeconds: 100, seek: false },
            new Date(T0.getTime() + 15_000),
          ),
        ),
      ),
    ];
    expect(refusals.map((error) => error.code)).toEqual([
      'LESSON_NOT_FOUND',
      'LESSON_LENGTH_INVALID',
      'LESSON_REQUIRED_SHARE_INVALID',
      'LESSON_CONTENT_URL_INVALID',
      'LESSON_TRANSITION_NOT_ALLOWED',
      'PROGRESS_SEQUENCE_INVALID',
      'PROGRESS_POSITION_INVALID',
      'PROGRESS_HEARTBEAT_REPLAYED',
      'PROGRESS_CLAIM_EXCEEDS_WALL_TIME',
    ]);
    expect(libraryErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => libraryErrors.with(platformErrors)).not.toThrow();
  });
});

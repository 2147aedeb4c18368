import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  materialNotFound,
  programmeErrors,
  sessionNotFound,
} from '../../src/application/programme/errors.js';
import * as programme from '../../src/domain/programme.js';

const asAppError = (error: unknown): AppError => {
  const translated = appErrorOf(error);
  if (!(translated instanceof AppError)) throw new Error('not a refusal');
  return translated;
};

describe('the programme error codes', () => {
  it('when the README is read, then its programme error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(programmeErrors.tableProblems(readme, 'programme-errors')).toEqual([]);
  });

  it('when the domain names a material or recording code, then the catalogue has it', () => {
    const domainCodes = Object.entries(programme).flatMap(([name, value]: [string, unknown]) =>
      /^(MATERIAL|RECORDING)_/.test(name) && typeof value === 'string' ? [value] : [],
    );

    expect(domainCodes.length).toBe(5);
    expect(domainCodes.filter((code) => !programmeErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      sessionNotFound(),
      materialNotFound(),
      asAppError(
        refusalOf(() => {
          programme.assertMayPublish({ office: false, forumManager: false, speaker: false });
        }),
      ),
      asAppError(
        refusalOf(() => {
          programme.assertNotCancelled('cancelled');
        }),
      ),
      asAppError(
        refusalOf(() => {
          programme.assertRoomForMaterial(programme.MAX_MATERIALS_PER_SESSION);
        }),
      ),
      asAppError(refusalOf(() => programme.validateRecordingUrl('http://video.example/1'))),
      asAppError(
        refusalOf(() => {
          programme.assertStarted(
            new Date('2026-05-01T02:00:00Z'),
            new Date('2026-04-30T02:00:00Z'),
          );
        }),
      ),
    ];
    expect(programmeErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => programmeErrors.with(platformErrors)).not.toThrow();
  });
});

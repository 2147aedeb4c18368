import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  certificateCodeInvalid,
  certificateNotFound,
  classNotFound,
  completionsParticipantInvalid,
  completionsYearInvalid,
  noAttendance,
  noSkillsTest,
  participantUnknown,
  testDateInvalid,
  trainingRecordErrors,
} from '../../src/application/training/records/errors.js';

describe('the training records error codes', () => {
  it('when the README is read, then its training-records error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(trainingRecordErrors.tableProblems(readme, 'training-records-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      certificateCodeInvalid(),
      certificateNotFound(),
      classNotFound(),
      completionsParticipantInvalid(),
      completionsYearInvalid(),
      noAttendance(),
      noSkillsTest(),
      participantUnknown(),
      testDateInvalid(),
    ];
    expect(trainingRecordErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => trainingRecordErrors.with(platformErrors)).not.toThrow();
  });
});

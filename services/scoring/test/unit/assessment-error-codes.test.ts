import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  alreadyCorrected,
  appealAlreadyOpen,
  appealIndicatorUnknown,
  appealNotAllowed,
  appealNotOpen,
  assessmentErrors,
  assessmentLocked,
  assessmentNotFound,
  assessmentNotLocked,
  assessmentUnderAppeal,
  inspectionDateInvalid,
  inspectionOutOfScope,
  inspectionSubjectNotFound,
  revisionConflict,
  revisionInvalid,
  runNotFound,
  subjectInvalid,
  systemMissing,
} from '../../src/application/assessments/errors.js';

describe('the assessments error codes', () => {
  it('when the README is read, then its assessments error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(assessmentErrors.tableProblems(readme, 'assessments-errors')).toEqual([]);
  });

  it('when the slice refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      assessmentNotFound(),
      systemMissing(2026, 'enterprise'),
      assessmentLocked(),
      assessmentUnderAppeal(),
      assessmentNotLocked(),
      alreadyCorrected(),
      revisionConflict(),
      revisionInvalid(),
      runNotFound(),
      appealAlreadyOpen(),
      appealNotOpen(),
      appealNotAllowed(),
      appealIndicatorUnknown('x'),
      inspectionSubjectNotFound(),
      inspectionOutOfScope(),
      inspectionDateInvalid(),
      subjectInvalid(),
    ];

    expect(refusals.map((error) => error.code).sort()).toEqual([...assessmentErrors.codes].sort());
    expect(assessmentErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => assessmentErrors.with(platformErrors)).not.toThrow();
  });
});

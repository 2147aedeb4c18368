import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { trainingClassErrors } from '../../src/application/training/classes/errors.js';
import * as rules from '../../src/domain/training-classes.js';

describe('the training class error codes', () => {
  it('when the README is read, then its training class error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(trainingClassErrors.tableProblems(readme, 'training-class-errors')).toEqual([]);
  });

  it('when the class rules name a code, then the catalogue has it', () => {
    const codes = Object.entries(rules).flatMap(([name, value]: [string, unknown]) =>
      name.startsWith('TRAINING_CLASS_') && typeof value === 'string' ? [value] : [],
    );
    expect(codes.length).toBeGreaterThan(5);
    expect(codes.filter((code) => !trainingClassErrors.has(code))).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => trainingClassErrors.with(platformErrors)).not.toThrow();
  });
});

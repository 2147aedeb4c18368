import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, defineErrorCodes, GrpcStatus, platformErrors } from '../../src/index.js';

describe('error catalogue', () => {
  const catalogue = defineErrorCodes({
    THING_NOT_FOUND: { kind: 'not_found', when: 'no such thing' },
    THING_UNPROCESSABLE: { kind: 'invalid_argument', httpStatus: 422, when: 'cannot process' },
  });

  it('when a code is looked up, then its statuses follow its kind or its own HTTP status', () => {
    expect(catalogue.httpStatusOf('THING_NOT_FOUND')).toBe(404);
    expect(catalogue.grpcStatusOf('THING_NOT_FOUND')).toBe(GrpcStatus.NOT_FOUND);
    expect(catalogue.httpStatusOf('THING_UNPROCESSABLE')).toBe(422);
    expect(catalogue.grpcStatusOf('THING_UNPROCESSABLE')).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(catalogue.error('THING_NOT_FOUND', 'Gone.')).toMatchObject({
      kind: 'not_found',
      code: 'THING_NOT_FOUND',
      httpStatus: 404,
    });
  });

  it('when thrown errors are compared with their entries, then a stranger and a wrong kind are named', () => {
    expect(catalogue.problemsOf([catalogue.error('THING_NOT_FOUND', 'Gone.')])).toEqual([]);
    expect(
      catalogue.problemsOf([
        new AppError('not_found', 'OTHER_THING', 'Gone.'),
        new AppError('conflict', 'THING_NOT_FOUND', 'Gone.'),
      ]),
    ).toEqual([
      'OTHER_THING is not in the catalogue',
      'THING_NOT_FOUND is {"kind":"conflict","http":409,"grpc":6}, its entry says {"kind":"not_found","http":404,"grpc":5}',
    ]);
  });

  it('when two catalogues define one code with two kinds, then merging them is refused', () => {
    const clash = defineErrorCodes({ THING_NOT_FOUND: { kind: 'conflict', when: 'other' } });
    expect(() => catalogue.with(clash)).toThrow(/THING_NOT_FOUND is defined twice/);
    expect(catalogue.with(platformErrors).has('THING_NOT_FOUND')).toBe(true);
    expect(catalogue.with(platformErrors).has('VALIDATION_FAILED')).toBe(true);
  });

  it('when the platform catalogue is read, then one code means "unknown jurisdiction"', () => {
    const jurisdictionCodes = platformErrors.codes.filter((code) => code.includes('JURISDICTION'));
    expect(jurisdictionCodes).toEqual(['JURISDICTION_UNKNOWN']);
  });

  it('when the README is read, then its table is the platform catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(platformErrors.tableProblems(readme, 'platform-errors')).toEqual([]);
  });

  it('when a documented table lacks a row or has one too many, then each is named', () => {
    const table = catalogue.markdownTable();
    const edited = table
      .replace(/\n.*THING_UNPROCESSABLE.*/, '')
      .concat('\n| 410 | NOT_FOUND | `THING_GONE` | gone |');
    const readme = `<!-- things:start -->\n${edited}\n<!-- things:end -->`;

    expect(catalogue.tableProblems(readme, 'things')).toEqual([
      'missing: 422 | INVALID_ARGUMENT | `THING_UNPROCESSABLE` | cannot process',
      'not in the catalogue: 410 | NOT_FOUND | `THING_GONE` | gone',
    ]);
    expect(catalogue.tableProblems('no table', 'things')).toHaveLength(1);
  });
});

import { readFileSync } from 'node:fs';
import { platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  CSV_MALFORMED,
  headerMalformed,
  importFileEmpty,
  importFileNotText,
  importFileTooLarge,
  importHeaderInvalid,
  importNotFound,
  importRequestErrors,
} from '../../src/application/imports/errors.js';
import { CsvReadError } from '../../src/application/imports/import-job.js';

const thrown = [
  importFileTooLarge(1024),
  importFileNotText(),
  importFileEmpty(),
  importNotFound(),
  importHeaderInvalid('participants', [
    { column: 'id_number', message: 'is required and missing' },
  ]),
  headerMalformed(new CsvReadError(CSV_MALFORMED, 'The file cannot be read on at line 1.', 1)),
];

describe('the import error codes', () => {
  it('when the README is read, then its import error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(importRequestErrors.tableProblems(readme, 'import-errors')).toEqual([]);
  });

  it('when an upload or a read is refused, then each error has the status its catalogue entry gives', () => {
    expect(importRequestErrors.problemsOf(thrown)).toEqual([]);
  });

  it('when the slice refuses, then every code of the catalogue is one of its refusals', () => {
    const codes = new Set(thrown.map((error) => error.code));

    expect(importRequestErrors.codes.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => importRequestErrors.with(platformErrors)).not.toThrow();
  });
});

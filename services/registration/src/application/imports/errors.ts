/**
 * The stable codes an upload or a read of imports is refused with, each with
 * its kind and meaning (`importRequestErrors`, named apart from the
 * `importErrors` use case, which reads a job's row errors), and the errors
 * behind them. The README's import error table is this catalogue's table; a
 * unit test keeps the two the same. A job's failure and its row errors are not
 * refusals: their codes are in the job's report (`IMPORT_HEADER_CHANGED`,
 * `ROW_CODES`, and the domain's codes of a field).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import type { CsvReadError } from './import-job.js';

export const IMPORT_HEADER_INVALID = 'IMPORT_HEADER_INVALID';
export const IMPORT_FILE_TOO_LARGE = 'IMPORT_FILE_TOO_LARGE';
export const IMPORT_FILE_NOT_TEXT = 'IMPORT_FILE_NOT_TEXT';
export const IMPORT_FILE_EMPTY = 'IMPORT_FILE_EMPTY';
/** Also the failure of a job whose file cannot be read on past some line. */
export const CSV_MALFORMED = 'CSV_MALFORMED';
export const IMPORT_NOT_FOUND = 'IMPORT_NOT_FOUND';

/** Besides these, the platform's codes (libs/errors): VALIDATION_FAILED, UNSUPPORTED_MEDIA_TYPE, … */
export const importRequestErrors = defineErrorCodes({
  [IMPORT_HEADER_INVALID]: {
    kind: 'invalid_argument',
    when: 'a header row that does not fit the kind; details name each missing, unknown or repeated column',
  },
  [IMPORT_FILE_NOT_TEXT]: { kind: 'invalid_argument', when: 'a file that is not UTF-8, or binary' },
  [IMPORT_FILE_EMPTY]: { kind: 'invalid_argument', when: 'an empty file' },
  [CSV_MALFORMED]: {
    kind: 'invalid_argument',
    when: 'a header row that cannot be read (an unclosed quote, over 64 KiB); also a job’s failure at a later row; the message names the line',
  },
  [IMPORT_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such import, or one outside the reader’s areas',
  },
  [IMPORT_FILE_TOO_LARGE]: {
    kind: 'payload_too_large',
    when: 'a file over `IMPORT_MAX_BYTES`, checked on Content-Length before the body is read, and while streaming',
  },
});

export const importFileTooLarge = (maxBytes: number): AppError =>
  importRequestErrors.error(
    IMPORT_FILE_TOO_LARGE,
    `An import file may have at most ${maxBytes} bytes; split it and import the parts.`,
  );

export const importFileNotText = (): AppError =>
  importRequestErrors.error(
    IMPORT_FILE_NOT_TEXT,
    'The file is not UTF-8 text; save it as "CSV UTF-8" and upload it again.',
  );

export const importFileEmpty = (): AppError =>
  importRequestErrors.error(IMPORT_FILE_EMPTY, 'The file is empty.');

export const importNotFound = (): AppError =>
  importRequestErrors.error(IMPORT_NOT_FOUND, 'There is no import with that id.');

export const importHeaderInvalid = (
  kind: string,
  problems: readonly { column: string; message: string }[],
): AppError =>
  importRequestErrors.error(
    IMPORT_HEADER_INVALID,
    `The header row does not fit a ${kind} import; see details.`,
    {
      details: problems.map((problem) => ({
        field: `header/${problem.column}`,
        message: problem.message,
      })),
    },
  );

/** A header the reader could not get through: the upload's fault, said as the reader said it. */
export const headerMalformed = (error: CsvReadError): AppError =>
  importRequestErrors.error(CSV_MALFORMED, error.message, { cause: error });

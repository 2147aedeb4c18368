/**
 * Uploaded CSV files on disk: an upload is streamed into the import directory
 * (hashed, counted and checked as UTF-8 on the way, never held whole in
 * memory), and read back as a stream of records with csv-parse.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse, type Info, type Options } from 'csv-parse';
import {
  CsvReadError,
  type CsvRecord,
  type ImportFiles,
} from '../../application/imports/import-job.js';
import {
  CSV_MALFORMED,
  importFileEmpty,
  importFileNotText,
  importFileTooLarge,
} from '../../application/imports/errors.js';

/** A record larger than this stops the import: no documented column needs anywhere near it. */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** A header longer than this is not a header of ours. */
const MAX_HEADER_BYTES = 64 * 1024;

const PARSE_OPTIONS: Options = {
  bom: true,
  // A row with a wrong number of fields is that row's error, not the file's.
  relax_column_count: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  max_record_size: MAX_RECORD_BYTES,
  info: true,
};

/** What csv-parse gives with `info: true`. */
interface ParsedRecord {
  record: string[];
  info: Info;
}

/** Why csv-parse stopped, said without quoting the file (it may hold personal data). */
const CSV_REASONS: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by something other than a comma',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by text',
  INVALID_OPENING_QUOTE: 'a quote opens in the middle of a field',
  CSV_MAX_RECORD_SIZE: `a row is larger than ${MAX_RECORD_BYTES} bytes`,
};

function csvReadError(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = typeof error['lines'] === 'number' ? error['lines'] : null;
  const reason = CSV_REASONS[error.code] ?? 'it is not well-formed CSV';
  return new CsvReadError(
    CSV_MALFORMED,
    `The file cannot be read on${line === null ? '' : ` at line ${line}`}: ${reason}.`,
    line,
  );
}

/**
 * An upload saved to disk. Its JSON form is what the request's Idempotency-Key
 * fingerprint sees: the content's hash and size, never the random file name,
 * so a retried upload of the same file matches its first attempt.
 */
export class SavedUpload {
  /** Set once a job owns the file; an upload nobody adopted is removed after the response. */
  adopted = false;

  constructor(
    readonly fileName: string,
    readonly sha256: string,
    readonly bytes: number,
  ) {}

  toJSON(): { sha256: string; bytes: number } {
    return { sha256: this.sha256, bytes: this.bytes };
  }
}

/** Hashes, counts and checks the bytes as they pass: UTF-8 text without NUL, within the cap. */
class UploadCheck extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null, data?: Buffer) => void,
  ) {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(importFileTooLarge(this.maxBytes));
      return;
    }
    if (chunk.includes(0)) {
      callback(importFileNotText());
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      callback(importFileNotText());
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: (error?: Error | null) => void) {
    try {
      this.decoder.decode();
    } catch {
      callback(importFileNotText());
      return;
    }
    callback();
  }
}

export class DiskImportFiles implements ImportFiles {
  constructor(
    private readonly directory: string,
    private readonly maxBytes: number,
  ) {}

  private pathOf(fileName: string): string {
    // Names are made here (UUIDs); anything else would be a bug reaching the disk.
    if (!/^[0-9a-f-]{36}\.csv$/.test(fileName)) throw new Error('not an import file name');
    return join(this.directory, fileName);
  }

  /** Streams `body` to a new file; on any failure nothing is left behind. */
  async save(body: Readable): Promise<SavedUpload> {
    await mkdir(this.directory, { recursive: true });
    const fileName = `${randomUUID()}.csv`;
    const path = this.pathOf(fileName);
    const check = new UploadCheck(this.maxBytes);
    try {
      await pipeline(body, check, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    if (check.bytes === 0) {
      await rm(path, { force: true });
      throw importFileEmpty();
    }
    return new SavedUpload(fileName, check.hash.digest('hex'), check.bytes);
  }

  async readHeader(fileName: string): Promise<string[]> {
    const parser = createReadStream(this.pathOf(fileName)).pipe(
      parse({ ...PARSE_OPTIONS, max_record_size: MAX_HEADER_BYTES, to: 1 }),
    );
    try {
      for await (const parsed of parser as AsyncIterable<ParsedRecord>) return parsed.record;
      return [];
    } catch (error) {
      throw csvReadError(error);
    } finally {
      parser.destroy();
    }
  }

  async *records(fileName: string, skipRows: number): AsyncGenerator<CsvRecord> {
    const source = createReadStream(this.pathOf(fileName));
    const parser = parse(PARSE_OPTIONS);
    // pipeline, not pipe: a read error of the file reaches the parser's iterator.
    const piping = pipeline(source, parser).catch(() => undefined);
    let row = 0;
    try {
      for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
        // The header is the first record; data rows count from 1 after it.
        if (parsed.info.records === 1) continue;
        row += 1;
        if (row <= skipRows) continue;
        yield {
          row,
          line: parsed.info.lines,
          bytes: parsed.info.bytes_records,
          fields: parsed.record,
        };
      }
    } catch (error) {
      throw csvReadError(error);
    } finally {
      parser.destroy();
      source.destroy();
      await piping;
    }
  }

  async remove(fileName: string): Promise<void> {
    await rm(this.pathOf(fileName), { force: true });
  }
}

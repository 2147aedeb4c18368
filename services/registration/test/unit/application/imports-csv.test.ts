import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { rejectionOf } from '@learning/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CsvReadError, type CsvRecord } from '../../../src/application/imports/import-job.js';
import { DiskImportFiles, MAX_RECORD_BYTES } from '../../../src/adapters/csv/files.js';

let directory: string;
let files: DiskImportFiles;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'imports-'));
  files = new DiskImportFiles(directory, 1024 * 1024 * 4);
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function stored(content: string | Buffer): Promise<string> {
  return (await files.save(Readable.from([Buffer.from(content)]))).fileName;
}

async function recordsOf(fileName: string, skip = 0): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of files.records(fileName, skip)) records.push(record);
  return records;
}

describe('reading CSV files', () => {
  it('when the file has a BOM, quoted commas and line breaks, Chinese text and blank lines, then each row comes out whole', async () => {
    const name = await stored(
      '\uFEFFname,note\n\n"王, 五","第一行\n第二行"\n张三,""""\n,\n李四,x\n',
    );

    expect(await files.readHeader(name)).toEqual(['name', 'note']);
    expect(await recordsOf(name)).toEqual([
      {
        row: 1,
        line: 4,
        bytes: expect.any(Number) as unknown,
        fields: ['王, 五', '第一行\n第二行'],
      },
      { row: 2, line: 5, bytes: expect.any(Number) as unknown, fields: ['张三', '"'] },
      { row: 3, line: 7, bytes: expect.any(Number) as unknown, fields: ['李四', 'x'] },
    ]);
  });

  it('when a row has too many fields, then it is read as it is (the row check refuses it, not the reader)', async () => {
    const name = await stored('a,b\n1,2,3\n4\n');

    expect((await recordsOf(name)).map((record) => record.fields)).toEqual([
      ['1', '2', '3'],
      ['4'],
    ]);
  });

  it('when a field has 100,000 characters, then it is read whole', async () => {
    const long = '长'.repeat(100_000);
    const name = await stored(`a,b\n1,${long}\n`);

    expect((await recordsOf(name))[0]?.fields[1]).toHaveLength(100_000);
  });

  it('when rows are skipped after a checkpoint, then reading starts after them with the same row numbers and the last byte offset is the file size', async () => {
    const content = 'a\n1\n2\n3\n';
    const name = await stored(content);

    const records = await recordsOf(name, 2);
    expect(records.map((record) => [record.row, record.fields[0]])).toEqual([[3, '3']]);
    expect(records.at(-1)?.bytes).toBe(Buffer.byteLength(content));
  });

  it('when a quote is never closed, then CSV_MALFORMED names the line and not the content', async () => {
    const name = await stored('a,b\n1,2\n3,"secret 110101\n');

    const error = await rejectionOf(recordsOf(name));
    expect(error).toBeInstanceOf(CsvReadError);
    expect(error).toMatchObject({ code: 'CSV_MALFORMED', line: 3 });
    expect((error as Error).message).not.toContain('secret');
  });

  it('when a row is larger than the record cap, then the reader stops with CSV_MALFORMED', async () => {
    const name = await stored(`a\n"${'x'.repeat(MAX_RECORD_BYTES + 10)}"\n`);

    expect(await rejectionOf(recordsOf(name))).toMatchObject({ code: 'CSV_MALFORMED' });
  });
});

describe('saving uploads', () => {
  it('when a body is saved, then its SHA-256 and size are those of the bytes, and its JSON form has no file name', async () => {
    const content = 'name\n张三\n';
    const upload = await files.save(Readable.from([Buffer.from(content)]));

    expect(upload.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(upload.bytes).toBe(Buffer.byteLength(content));
    expect(JSON.parse(JSON.stringify(upload))).toEqual({
      sha256: upload.sha256,
      bytes: upload.bytes,
    });
  });

  it('when a streamed body passes the cap, then IMPORT_FILE_TOO_LARGE and nothing is left on disk', async () => {
    const small = new DiskImportFiles(directory, 1000);
    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(300, 'a'));

    expect(await rejectionOf(small.save(Readable.from(chunks)))).toMatchObject({
      code: 'IMPORT_FILE_TOO_LARGE',
    });
    expect(await readdir(directory)).toEqual([]);
  });

  it('when the body is not UTF-8 (GBK-encoded Chinese), then IMPORT_FILE_NOT_TEXT', async () => {
    // 张三 in GBK.
    const gbk = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd, 0x0a]);

    expect(await rejectionOf(files.save(Readable.from([gbk])))).toMatchObject({
      code: 'IMPORT_FILE_NOT_TEXT',
    });
    expect(await readdir(directory)).toEqual([]);
  });

  it('when a UTF-8 character is split across chunks, then it is still accepted', async () => {
    const bytes = Buffer.from('name\n张三\n');
    const upload = await files.save(Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]));

    expect(upload.bytes).toBe(bytes.length);
  });

  it('when the body is empty, then IMPORT_FILE_EMPTY', async () => {
    expect(await rejectionOf(files.save(Readable.from([])))).toMatchObject({
      code: 'IMPORT_FILE_EMPTY',
    });
  });

  it('when a name was not made by the store, then it is refused before the disk is touched', async () => {
    await writeFile(join(directory, 'x.csv'), 'a\n');

    await expect(files.remove('../x.csv')).rejects.toThrow('not an import file name');
  });
});

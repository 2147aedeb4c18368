import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from '../../src/private-file.js';

describe('writePrivateFile', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it('when the file is new, then only its owner may read it', () => {
    directory = mkdtempSync(join(tmpdir(), 'private-file-'));
    const file = join(directory, 'stack.env');
    writePrivateFile(file, 'PII_KEYS=secret\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('PII_KEYS=secret\n');
  });

  it('when an earlier run left the file world-readable, then it is narrowed to its owner', () => {
    directory = mkdtempSync(join(tmpdir(), 'private-file-'));
    const file = join(directory, 'stack.env');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    writePrivateFile(file, 'PII_KEYS=secret\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('PII_KEYS=secret\n');
  });
});

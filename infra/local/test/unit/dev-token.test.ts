import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_USAGE } from '../../src/dev-token.js';
import { writePrivateFile } from '../../src/private-file.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** The CLI exactly as `pnpm --silent token` runs it (the root package.json's script). */
async function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@learning/source', '--import', 'tsx', 'infra/local/src/dev-token.ts', ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    // execFile's failure carries the exit code and both outputs.
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** Each case starts node with tsx, which alone takes seconds on a busy machine. */
const CLI_TIMEOUT_MS = 30_000;

describe('pnpm --silent token', () => {
  it(
    'when asked for --help, then it prints its usage and succeeds',
    async () => {
      const { code, stdout, stderr } = await token('--help');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toBe(`${TOKEN_USAGE}\n`);
      expect(stdout).toContain('--role ROLE');
      expect(stdout).toContain('city_admin');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'when given an option it does not know, then it names it and prints the usage',
    async () => {
      const { code, stdout, stderr } = await token('--colour', 'red');
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain("'--colour'");
      expect(stderr).toContain(TOKEN_USAGE);
    },
    CLI_TIMEOUT_MS,
  );
});

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

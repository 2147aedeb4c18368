/**
 * The operator CLI's import (`learning import`, tools/ops) as a person runs
 * it: a child process that streams a CSV file to a running registration app,
 * follows the job and prints the outcome, with exit codes a script can rely on.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeWithServers, jurisdictionTree } from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { participantLine, PARTICIPANT_HEADER } from '../fixtures/imports/rows.js';
import { useRegistrationApp } from '../support/app.js';
import { seedJurisdictions } from '../support/http.js';
import { idNumberFor, phoneOf } from '../support/people.js';

const packageDirectory = fileURLToPath(new URL('../../', import.meta.url));
/** The `learning` bin's source, through this package's dependency on @learning/ops. */
const learningCli = fileURLToPath(
  new URL('../../node_modules/@learning/ops/src/main.ts', import.meta.url),
);
const VILLAGE = '330281001001';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `pnpm --silent learning import …`, without pnpm in between. */
async function importCsv(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@learning/source', '--import', 'tsx', learningCli, 'import', ...args],
      { cwd: packageDirectory, env: { ...process.env, ...env }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    // execFile's failure carries the exit code and both outputs.
    const { code, stdout, stderr } = error as Outcome;
    return { code, stdout, stderr };
  }
}

describeWithServers(['mongo', 'kafka', 'redis'], 'the import CLI', (servers) => {
  const running = useRegistrationApp(servers);
  let admin: string;
  let directory: string;
  let file: string;
  const refusedId = idNumberFor(910_001);

  beforeAll(async () => {
    admin = await running.issuer.sign({ subject: 'admin-cli', roles: ['city_admin'] });
    await seedJurisdictions(
      running.base,
      admin,
      jurisdictionTree({ townships: 1, villagesPerTownship: 1 }),
    );
    directory = mkdtempSync(join(tmpdir(), 'import-cli-'));
    file = join(directory, 'people.csv');
    // Two good rows and one in a village the city does not have.
    writeFileSync(
      file,
      `${PARTICIPANT_HEADER}\n${participantLine(910_000, VILLAGE)}\n` +
        `某人,${refusedId},ordinary_citizen,999999999999,${phoneOf(910_001)},,,\n` +
        `${participantLine(910_002, VILLAGE)}\n`,
    );
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  const cli = (...extra: string[]) =>
    importCsv([
      file,
      '--kind',
      'participants',
      '--url',
      running.base,
      '--interval',
      '100',
      ...extra,
    ]);

  it('when a file is imported, then it says what was imported and refused, where the report is, and exits 0', async () => {
    const { code, stdout, stderr } = await cli('--token', admin);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Import [0-9a-f-]{36} queued\.$/m);
    expect(stdout).toContain('completed: 3 rows read, 2 imported, 0 already there, 1 refused.');
    const report = /Error report \(CSV\): (\S+)/.exec(stdout)?.[1];
    expect(report).toMatch(new RegExp(`^${running.base}/v1/imports/[0-9a-f-]{36}/errors`));
    const download = await fetch(report ?? '', { headers: { authorization: `Bearer ${admin}` } });
    expect(download.status).toBe(200);
    // Personal data stays out of what the CLI prints.
    expect(stdout).not.toContain(refusedId);
    expect(stdout).not.toContain(phoneOf(910_001));
  });

  it('when the same file is imported again, then it shows the earlier job rather than importing twice', async () => {
    const { code, stdout } = await cli('--token', admin);

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^This file was imported before \(job [0-9a-f-]{36}\); showing that job\.$/m,
    );
    expect(stdout).toContain('2 imported');
  });

  it('when the token comes from REGISTRATION_TOKEN and is refused, then it prints the HTTP refusal and exits 1', async () => {
    const { code, stdout, stderr } = await importCsv(
      [file, '--kind', 'participants', '--url', running.base],
      { REGISTRATION_TOKEN: 'not-a-token' },
    );

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^learning: HTTP 401 /);
  });

  it('when the kind is missing, then it prints the usage and exits 2', async () => {
    const { code, stdout, stderr } = await importCsv([file, '--token', admin]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("required option '--kind <kind>' not specified");
    expect(stderr).toContain('Usage: learning import [options] <file>');
  });
});

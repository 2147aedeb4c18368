import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BENCH_USAGE,
  benchesOf,
  formatBenchTable,
  overallSummary,
  parseBenchRunnerArgs,
  parseBenchSummary,
  resultOf,
  runBench,
  selectBenches,
  type Bench,
  type WorkspacePackage,
} from '../../src/bench-runner.js';

const node = 'node --import tsx';
const packages: WorkspacePackage[] = [
  {
    name: '@learning/scoring',
    directory: '/w/services/scoring',
    scripts: { start: 'node dist/src/main.js', 'bench:ledger': node, 'bench:exports': node },
  },
  { name: '@learning/auth', directory: '/w/libs/auth', scripts: { bench: node } },
  { name: '@learning/errors', directory: '/w/libs/errors', scripts: {} },
  {
    name: '@learning/registration',
    directory: '/w/services/registration',
    scripts: { 'bench:sign-ups': node, benchmark: node, 'pre-bench': node, 'bench:': node },
  },
];

const summaryLine = (met: boolean | null, unmet: string[] = []): string =>
  JSON.stringify({ bench: 'x', figures: { a: 1 }, targets: {}, met, unmet });

const benchOf = (id: string): Bench => ({
  id,
  packageName: `@learning/${id}`,
  directory: `/w/${id}`,
  script: 'bench',
});

describe('parseBenchRunnerArgs', () => {
  it('when given no arguments, then it runs everything at full size', () => {
    expect(parseBenchRunnerArgs([])).toEqual({ quick: false, only: [], list: false, help: false });
  });

  it('when given --quick and --only twice, then it keeps both globs in order', () => {
    expect(parseBenchRunnerArgs(['--quick', '--only', 'scoring:*', '--only=auth'])).toEqual({
      quick: true,
      only: ['scoring:*', 'auth'],
      list: false,
      help: false,
    });
  });

  it('when given an unknown option, then it throws naming it, with the usage', () => {
    expect(() => parseBenchRunnerArgs(['--fast'])).toThrow(/--fast[\s\S]*usage: pnpm bench/);
  });

  it('when --only lacks its glob, then it throws rather than running everything', () => {
    expect(() => parseBenchRunnerArgs(['--only'])).toThrow(BENCH_USAGE);
  });
});

describe('benchesOf', () => {
  it('when packages have bench and bench:* scripts, then each is one benchmark, ordered by id', () => {
    expect(benchesOf(packages)).toEqual([
      { id: 'auth', packageName: '@learning/auth', directory: '/w/libs/auth', script: 'bench' },
      {
        id: 'registration:sign-ups',
        packageName: '@learning/registration',
        directory: '/w/services/registration',
        script: 'bench:sign-ups',
      },
      {
        id: 'scoring:exports',
        packageName: '@learning/scoring',
        directory: '/w/services/scoring',
        script: 'bench:exports',
      },
      {
        id: 'scoring:ledger',
        packageName: '@learning/scoring',
        directory: '/w/services/scoring',
        script: 'bench:ledger',
      },
    ]);
  });
});

describe('selectBenches', () => {
  const benches = benchesOf(packages);
  const ids = (selected: readonly Bench[]): string[] => selected.map((bench) => bench.id);

  it('when no glob is given, then every benchmark is selected', () => {
    expect(ids(selectBenches(benches, []))).toEqual(ids(benches));
  });

  it('when globs are given, then those matching any of them are selected, in id order', () => {
    expect(ids(selectBenches(benches, ['scoring:*', 'auth']))).toEqual([
      'auth',
      'scoring:exports',
      'scoring:ledger',
    ]);
  });

  it('when a glob names a package without its part, then it does not match its benchmarks', () => {
    expect(ids(selectBenches(benches, ['scoring']))).toEqual([]);
  });
});

describe('parseBenchSummary', () => {
  it('when the line is printBenchSummary output, then it is returned as parsed', () => {
    expect(parseBenchSummary(summaryLine(false, ['a']))).toEqual({
      bench: 'x',
      figures: { a: 1 },
      targets: {},
      met: false,
      unmet: ['a'],
    });
  });

  it.each([
    ['no line at all', undefined],
    ['plain text', 'done in 3 s'],
    ['JSON of another shape', '{"bench":"x","figures":{}}'],
    ['a JSON array', '[1,2]'],
    [
      'met that is not a boolean or null',
      '{"bench":"x","figures":{},"targets":{},"met":"yes","unmet":[]}',
    ],
  ])('when the line is %s, then there is no summary', (_, line) => {
    expect(parseBenchSummary(line)).toBeUndefined();
  });
});

describe('resultOf', () => {
  const bench = benchOf('auth');

  it('when the run succeeds with a summary last, then the result carries it', () => {
    expect(resultOf(bench, 2, { code: 0, signal: null }, summaryLine(true))).toMatchObject({
      summary: { met: true },
    });
  });

  it('when the run exits with an error, then it failed even though it printed a summary', () => {
    expect(resultOf(bench, 2, { code: 1, signal: null }, summaryLine(true))).toEqual({
      bench,
      seconds: 2,
      failure: 'exit code 1',
    });
  });

  it('when the run is killed, then the failure names the signal', () => {
    expect(resultOf(bench, 2, { code: null, signal: 'SIGKILL' }, undefined)).toMatchObject({
      failure: 'killed by SIGKILL',
    });
  });

  it('when the run succeeds without a summary last, then it failed', () => {
    expect(resultOf(bench, 2, { code: 0, signal: null }, 'bye')).toMatchObject({
      failure: 'last line is not its summary JSON',
    });
  });
});

describe('the whole run', () => {
  const ok = resultOf(benchOf('auth'), 1.24, { code: 0, signal: null }, summaryLine(true));
  const unmet = resultOf(
    benchOf('scoring:ledger'),
    30,
    { code: 0, signal: null },
    summaryLine(false, ['cpuMsPerAward', 'p99Ms']),
  );
  const untargeted = resultOf(
    benchOf('lectures:coverage'),
    5,
    { code: 0, signal: null },
    summaryLine(null),
  );
  const failed = resultOf(benchOf('events'), 0.5, { code: 2, signal: null }, undefined);

  it('when benchmarks met, missed, set no target or failed, then the table says which, with the unmet figures', () => {
    expect(formatBenchTable([ok, unmet, untargeted, failed]).split('\n')).toEqual([
      'bench              met         unmet                 seconds',
      'auth               yes                                   1.2',
      'scoring:ledger     no          cpuMsPerAward, p99Ms     30.0',
      'lectures:coverage  no targets                            5.0',
      'events             FAILED      exit code 2               0.5',
      '',
    ]);
  });

  it('when one benchmark failed, then the summary holds every one to meeting its targets', () => {
    expect(overallSummary([ok, failed, untargeted])).toEqual({
      figures: {
        'auth.met': true,
        'auth.seconds': 1.2,
        'events.met': false,
        'events.seconds': 0.5,
        'lectures:coverage.met': null,
        'lectures:coverage.seconds': 5,
        totalSeconds: 6.7,
      },
      targets: {
        'auth.met': { equals: true },
        'events.met': { equals: true },
        'lectures:coverage.met': { equals: true },
      },
    });
  });
});

describe('runBench', () => {
  // A package outside the workspace whose scripts stand in for benchmarks, run through pnpm as the real ones are.
  const directory = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  const summaryScript =
    'console.log("figures for people"); console.log(JSON.stringify({bench: "fake", figures: ' +
    '{args: process.argv.slice(1).join(" ")}, targets: {}, met: null, unmet: []})); console.log("")';
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({
      name: 'fake',
      private: true,
      scripts: {
        bench: `node -e '${summaryScript}' --`,
        'bench:crash': `node -e 'console.log("half"); process.exit(3)'`,
      },
    }),
  );
  const fake = (script: string): Bench => ({
    id: script,
    packageName: 'fake',
    directory,
    script,
  });
  const output = (): { write: (chunk: string) => boolean; text: () => string } => {
    let written = '';
    return {
      write: (chunk: string) => {
        written += chunk;
        return true;
      },
      text: () => written,
    };
  };
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });
  /** pnpm and node start in each case, which alone takes seconds on a busy machine. */
  const PROCESS_TIMEOUT_MS = 60_000;

  it(
    'when asked for quick, then the script gets --quick and its last line that is not blank is its summary',
    async () => {
      const out = output();
      const result = await runBench(fake('bench'), true, out);
      expect(result).toMatchObject({ summary: { bench: 'fake', figures: { args: '--quick' } } });
      expect(out.text()).toContain('figures for people\n');
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'when the script exits with an error, then the result is a failure naming its exit code',
    async () => {
      const out = output();
      const result = await runBench(fake('bench:crash'), false, out);
      expect(result).toMatchObject({ failure: 'exit code 3' });
      expect(out.text()).toContain('half\n');
    },
    PROCESS_TIMEOUT_MS,
  );
});

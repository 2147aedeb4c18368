/**
 * What `pnpm bench` does (its command line is scripts/bench.ts): finds the
 * `bench` and `bench:<what>` scripts of every workspace package, runs them one
 * after another (with `--quick` when asked), reads each one's last line of
 * output as its summary JSON, and sums the runs up as a table and as the
 * figures and targets of one summary line of its own. The list of benchmarks
 * is read from the packages' manifests, so a new benchmark joins by being a
 * script.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { parseArgs, promisify } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import picomatch from 'picomatch';

export const BENCH_USAGE = `usage: pnpm bench [--quick] [--only GLOB ...] [--list]
Runs every benchmark of the workspace (each package's "bench" and "bench:*" scripts) in turn,
prints a table of the runs and, last, one JSON line {"bench":"all","figures","targets","met","unmet"}.
  --quick        each benchmark at its reduced size (the whole run takes minutes, not hours)
  --only GLOB    only the benchmarks whose id matches, e.g. 'scoring:*' or auth; repeat for several
  --list         print the benchmarks' ids and scripts, run nothing
  -h, --help     this text
A benchmark's id is its package's name without the scope, then ':' and what follows "bench:".`;

export interface BenchRunnerOptions {
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly list: boolean;
  readonly help: boolean;
}

/** The command line's options; throws with the usage appended when one is unknown or malformed. */
export function parseBenchRunnerArgs(args: readonly string[]): BenchRunnerOptions {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true, default: [] },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    return values;
  } catch (error) {
    // parseArgs names the bad option; the usage says what would have worked.
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}`);
  }
}

export interface WorkspacePackage {
  readonly name: string;
  readonly directory: string;
  readonly scripts: Readonly<Record<string, string>>;
}

export interface Bench {
  /** `<package>` for a `bench` script, `<package>:<what>` for `bench:<what>`; the package without its scope. */
  readonly id: string;
  readonly packageName: string;
  readonly directory: string;
  readonly script: string;
}

const BENCH_SCRIPT = /^bench(?::(?<what>.+))?$/;

/** Every benchmark script of the packages, ordered by id so runs line up from one to the next. */
export function benchesOf(packages: readonly WorkspacePackage[]): Bench[] {
  const benches: Bench[] = [];
  for (const { name, directory, scripts } of packages) {
    const unscoped = name.replace(/^@[^/]+\//, '');
    for (const script of Object.keys(scripts)) {
      const what = BENCH_SCRIPT.exec(script)?.groups?.['what'];
      if (script !== 'bench' && what === undefined) continue;
      benches.push({
        id: what === undefined ? unscoped : `${unscoped}:${what}`,
        packageName: name,
        directory,
        script,
      });
    }
  }
  return benches.sort((a, b) => a.id.localeCompare(b.id));
}

/** The benchmarks whose id matches any of the globs; all of them when there is none. */
export function selectBenches(benches: readonly Bench[], globs: readonly string[]): Bench[] {
  if (globs.length === 0) return [...benches];
  const matches = picomatch([...globs]);
  return benches.filter((bench) => matches(bench.id));
}

const PnpmPackageList = Type.Array(Type.Object({ name: Type.String(), path: Type.String() }));
const Manifest = Type.Object({ scripts: Type.Optional(Type.Record(Type.String(), Type.String())) });

/**
 * The workspace's packages as pnpm itself lists them (pnpm-workspace.yaml's
 * globs), without the root: its scripts are the runner's own entry points.
 */
export async function listWorkspacePackages(root: string): Promise<WorkspacePackage[]> {
  const { stdout } = await promisify(execFile)(
    'pnpm',
    ['ls', '--recursive', '--depth', '-1', '--json'],
    {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const listed = Value.Parse(PnpmPackageList, JSON.parse(stdout));
  const packages: WorkspacePackage[] = [];
  for (const { name, path } of listed) {
    if (resolve(path) === resolve(root)) continue;
    const manifest = Value.Parse(
      Manifest,
      JSON.parse(await readFile(join(path, 'package.json'), 'utf8')),
    );
    packages.push({ name, directory: path, scripts: manifest.scripts ?? {} });
  }
  return packages;
}

/** The line libs/testing's printBenchSummary writes last. */
const BenchSummary = Type.Object({
  bench: Type.String(),
  figures: Type.Record(Type.String(), Type.Unknown()),
  targets: Type.Record(Type.String(), Type.Unknown()),
  met: Type.Union([Type.Boolean(), Type.Null()]),
  unmet: Type.Array(Type.String()),
});
export type BenchSummary = Static<typeof BenchSummary>;

/** The summary a benchmark's last line holds, or undefined when that line is not one. */
export function parseBenchSummary(line: string | undefined): BenchSummary | undefined {
  if (line === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  return Value.Check(BenchSummary, parsed) ? parsed : undefined;
}

export type BenchResult =
  | { readonly bench: Bench; readonly seconds: number; readonly summary: BenchSummary }
  | { readonly bench: Bench; readonly seconds: number; readonly failure: string };

/**
 * How one run ended: a benchmark that exits with an error, or whose last line
 * is not its summary, failed to run, whatever it printed before.
 */
export function resultOf(
  bench: Bench,
  seconds: number,
  exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null },
  lastLine: string | undefined,
): BenchResult {
  if (exit.code !== 0) {
    const failure =
      exit.signal === null ? `exit code ${String(exit.code)}` : `killed by ${exit.signal}`;
    return { bench, seconds, failure };
  }
  const summary = parseBenchSummary(lastLine);
  if (summary === undefined)
    return { bench, seconds, failure: 'last line is not its summary JSON' };
  return { bench, seconds, summary };
}

/**
 * Runs one benchmark through pnpm (so its script runs as `pnpm --filter` would
 * run it), passing its output through to `out` line by line and keeping the
 * last line that is not blank.
 */
export async function runBench(
  bench: Bench,
  quick: boolean,
  out: Pick<Writable, 'write'> = process.stdout,
): Promise<BenchResult> {
  const started = performance.now();
  const child = spawn(
    'pnpm',
    ['--dir', bench.directory, 'run', bench.script, ...(quick ? ['--quick'] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolveExit, rejectExit) => {
      child.once('error', rejectExit);
      child.once('close', (code, signal) => {
        resolveExit({ code, signal });
      });
    },
  );
  // Awaited once the output has drained; a spawn failure must not go unhandled meanwhile.
  exited.catch(() => undefined);
  let lastLine: string | undefined;
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    out.write(`${line}\n`);
    if (line.trim() !== '') lastLine = line;
  }
  const exit = await exited;
  return resultOf(bench, (performance.now() - started) / 1000, exit, lastLine);
}

const metCell = (result: BenchResult): string => {
  if ('failure' in result) return 'FAILED';
  if (result.summary.met === null) return 'no targets';
  return result.summary.met ? 'yes' : 'no';
};

/** The runs as a plain-text table: bench, met, the unmet figures (or why it failed), seconds. */
export function formatBenchTable(results: readonly BenchResult[]): string {
  const rows = results.map((result) => [
    result.bench.id,
    metCell(result),
    'failure' in result ? result.failure : result.summary.unmet.join(', '),
    result.seconds.toFixed(1),
  ]);
  const header = ['bench', 'met', 'unmet', 'seconds'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column === cells.length - 1
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), ...rows.map(line), ''].join('\n');
}

/**
 * The figures and targets of the whole run: per benchmark whether it met its
 * targets (false when it failed to run, null when it sets none) and its
 * seconds. Every benchmark is held to meeting its targets, so one that sets
 * none, or fails, leaves the run unmet.
 */
export function overallSummary(results: readonly BenchResult[]): {
  figures: Record<string, boolean | number | null>;
  targets: Record<string, { equals: true }>;
} {
  const figures: Record<string, boolean | number | null> = {};
  const targets: Record<string, { equals: true }> = {};
  let totalSeconds = 0;
  for (const result of results) {
    figures[`${result.bench.id}.met`] = 'failure' in result ? false : result.summary.met;
    figures[`${result.bench.id}.seconds`] = Number(result.seconds.toFixed(1));
    targets[`${result.bench.id}.met`] = { equals: true };
    totalSeconds += result.seconds;
  }
  figures['totalSeconds'] = Number(totalSeconds.toFixed(1));
  return { figures, targets };
}

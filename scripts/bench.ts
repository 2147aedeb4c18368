/**
 * `pnpm bench [--quick] [--only GLOB ...] [--list]`: every benchmark of the
 * workspace in turn, then a table and one JSON line for the whole run. The
 * logic lives in @learning/local-infra's bench-runner (unit-tested there);
 * this file is its command line, here because the summary line comes from
 * @learning/testing, which itself depends on @learning/local-infra.
 */
import { fileURLToPath } from 'node:url';
import {
  BENCH_USAGE,
  benchesOf,
  formatBenchTable,
  listWorkspacePackages,
  overallSummary,
  parseBenchRunnerArgs,
  runBench,
  selectBenches,
  type BenchResult,
} from '@learning/local-infra/bench-runner';
import { printBenchSummary } from '@learning/testing';

const root = fileURLToPath(new URL('../', import.meta.url));

async function main(): Promise<number> {
  const options = parseBenchRunnerArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const benches = selectBenches(benchesOf(await listWorkspacePackages(root)), options.only);
  if (benches.length === 0) throw new Error(`no benchmark matches ${options.only.join(', ')}`);
  if (options.list) {
    for (const bench of benches)
      process.stdout.write(`${bench.id.padEnd(32)} ${bench.packageName} ${bench.script}\n`);
    return 0;
  }
  const results: BenchResult[] = [];
  for (const [index, bench] of benches.entries()) {
    process.stdout.write(
      `\n=== ${String(index + 1)}/${String(benches.length)} ${bench.id}${options.quick ? ' --quick' : ''}\n`,
    );
    results.push(await runBench(bench, options.quick));
  }
  process.stdout.write(`\n${formatBenchTable(results)}`);
  const { figures, targets } = overallSummary(results);
  printBenchSummary('all', figures, targets);
  return results.some((result) => 'failure' in result) ? 1 : 0;
}

await main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);

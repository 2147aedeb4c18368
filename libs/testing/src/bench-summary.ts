/**
 * The project's benchmarks print their figures for people, then one line of
 * JSON holding the same figures, the targets they are held to and whether
 * every target was met, for tools: the last line of their output, so runs can
 * be compared from one to the next.
 */
import type { Writable } from 'node:stream';

export type BenchFigure =
  | number
  | string
  | boolean
  | null
  | readonly BenchFigure[]
  | { readonly [name: string]: BenchFigure };

/** What one figure, named by its key among the figures, is held to. */
export type BenchTarget =
  | { readonly atMost: number }
  | { readonly atLeast: number }
  | { readonly equals: number | string | boolean };

export type BenchTargets = Readonly<Record<string, BenchTarget>>;

function meets(figure: BenchFigure, target: BenchTarget): boolean {
  if ('equals' in target) return figure === target.equals;
  if (typeof figure !== 'number') return false;
  return 'atMost' in target ? figure <= target.atMost : figure >= target.atLeast;
}

/**
 * Writes `{"bench", "figures", "targets", "met", "unmet"}` as one line; `met`
 * is null when the benchmark sets no target. Call it last, once the servers
 * are stopped, so nothing prints after it. A target naming no figure is a
 * mistake in the benchmark and throws.
 */
export function printBenchSummary(
  name: string,
  figures: Readonly<Record<string, BenchFigure>>,
  targets: BenchTargets = {},
  out: Pick<Writable, 'write'> = process.stdout,
): void {
  const unmet: string[] = [];
  for (const [figure, target] of Object.entries(targets)) {
    if (!(figure in figures)) throw new Error(`bench ${name}: a target names no figure: ${figure}`);
    if (!meets(figures[figure] as BenchFigure, target)) unmet.push(figure);
  }
  const met = Object.keys(targets).length === 0 ? null : unmet.length === 0;
  out.write(`${JSON.stringify({ bench: name, figures, targets, met, unmet })}\n`);
}

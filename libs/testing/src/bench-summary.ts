/**
 * The project's benchmarks print their figures for people, then one line of
 * JSON holding the same figures for tools: the last line of their output.
 */
import type { Writable } from 'node:stream';

export type BenchFigure =
  | number
  | string
  | boolean
  | null
  | readonly BenchFigure[]
  | { readonly [name: string]: BenchFigure };

/**
 * Writes `{"bench": name, ...figures}` as one line. Call it last, once the
 * servers are stopped, so nothing prints after it.
 */
export function printBenchSummary(
  name: string,
  figures: Readonly<Record<string, BenchFigure>> & { readonly bench?: never },
  out: Pick<Writable, 'write'> = process.stdout,
): void {
  out.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
}

/**
 * How a document store holds and queries the grams (see grams.ts): one array
 * field, left out of reads, with a multikey index the query's `$all` starts
 * from. Plain objects, so the caller's mongoose schema takes them as they are.
 */

/** The schema definition of the grams field: strings, none by default, never read back. */
export const gramsField = () => ({ type: [String], default: (): string[] => [], select: false });

/** The filter on the grams field that a document holding every query gram passes. */
export const holdsAllGrams = (grams: readonly string[]): { $all: string[] } => ({
  $all: [...grams],
});

/**
 * Full-text search over Chinese titles and descriptions without a Chinese
 * text index: a document is stored with the character n-grams of its text,
 * and a query matches when every gram of the query is among them.
 *
 * Chinese is written without spaces, so words are not split out; runs of Han
 * characters give every single character and every pair of neighbours, and a
 * query run gives its pairs (a one-character query, its character). A query
 * then finds any text that holds each of its pairs, which for the short
 * queries people type (读书, 书香传递, 夜学) is the text holding the phrase, or
 * very nearly. Latin letters and digits form whole lower-case words, matched
 * as words.
 */

/** The most grams one query may have, so a pasted paragraph cannot make an unbounded query. */
export const MAX_QUERY_GRAMS = 32;

/** Han ideographs (with the common extension A) and the 〇 numeral. */
const HAN = /[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const WORD = /[\p{L}\p{N}]/u;

type Run = { readonly han: boolean; readonly text: string };

/** Runs of Han characters and of other letters or digits; everything else separates runs. */
function runsOf(text: string): Run[] {
  const runs: Run[] = [];
  let current = '';
  let han = false;
  const flush = () => {
    if (current !== '') runs.push({ han, text: current });
    current = '';
  };
  // NFKC folds full-width letters and digits (ＡＢＣ１２３) into their usual forms.
  for (const char of text.normalize('NFKC').toLowerCase()) {
    const isHan = HAN.test(char);
    if (!isHan && !WORD.test(char)) {
      flush();
      continue;
    }
    if (current !== '' && isHan !== han) flush();
    han = isHan;
    current += char;
  }
  flush();
  return runs;
}

function bigramsOf(run: string): string[] {
  const chars = Array.from(run);
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  return grams;
}

/** What a document is stored with: each Han character and pair, each other word; no repeats. */
export function documentGrams(...texts: readonly string[]): string[] {
  const grams = new Set<string>();
  for (const text of texts)
    for (const run of runsOf(text)) {
      if (!run.han) {
        grams.add(run.text);
        continue;
      }
      for (const char of run.text) grams.add(char);
      for (const gram of bigramsOf(run.text)) grams.add(gram);
    }
  return [...grams];
}

/**
 * What a document must hold to match `query`: the pairs of each Han run (its
 * character when the run is one character long) and each other word. Empty
 * when the query has nothing to search for; at most MAX_QUERY_GRAMS.
 */
export function queryGrams(query: string): string[] {
  const grams = new Set<string>();
  for (const run of runsOf(query)) {
    if (!run.han || Array.from(run.text).length === 1) grams.add(run.text);
    else for (const gram of bigramsOf(run.text)) grams.add(gram);
  }
  return [...grams].slice(0, MAX_QUERY_GRAMS);
}

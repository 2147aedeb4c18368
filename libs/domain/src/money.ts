/**
 * Money as the city's records keep it: integer fen (分, 1/100 yuan) so every
 * sum is exact; people read and type it as a decimal string of yuan
 * ("150000.50").
 */

/** Fen (1/100 yuan); a whole number. */
export type Fen = number;

/** 10^10 yuan: more than any city's yearly budget, and still exact as fen in a double. */
export const MAX_FEN: Fen = 10_000_000_000 * 100;

/**
 * Plain decimals only: no sign, exponent, leading zeros or more than two
 * fraction digits. Eleven whole digits reach past MAX_FEN and stay exact.
 */
const YUAN = /^(0|[1-9]\d{0,10})(?:\.(\d{1,2}))?$/;

/**
 * "150000.5" → 15000050; undefined when the text is not plain yuan or is
 * more than `maxFen` (each caller refuses with its own code and ceiling).
 */
export function fenOfYuan(text: string, maxFen: Fen = MAX_FEN): Fen | undefined {
  const match = YUAN.exec(text);
  if (match === null) return undefined;
  const [, whole = '0', fraction = ''] = match;
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return fen > maxFen ? undefined : fen;
}

/** 15000050 → "150000.50": always two fraction digits; a negative sum keeps its sign. */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  return `${sign}${String(Math.trunc(absolute / 100))}.${String(absolute % 100).padStart(2, '0')}`;
}

import { describe, expect, it } from 'vitest';
import {
  documentGrams,
  gramsField,
  holdsAllGrams,
  MAX_QUERY_GRAMS,
  queryGrams,
} from '../../src/index.js';

/** Whether a document with this text matches the query, as the store's $all does. */
const matches = (text: string, query: string): boolean => {
  const grams = new Set(documentGrams(text));
  const wanted = queryGrams(query);
  return wanted.length > 0 && wanted.every((gram) => grams.has(gram));
};

describe('Chinese search grams', () => {
  it('when a text is Chinese, then it is stored with every character and every neighbouring pair', () => {
    expect(documentGrams('读书会').sort()).toEqual(['书', '书会', '会', '读', '读书'].sort());
  });

  it('when a query is a Chinese phrase, then it asks for its pairs; a single character asks for itself', () => {
    expect(queryGrams('书香传递')).toEqual(['书香', '香传', '传递']);
    expect(queryGrams('书')).toEqual(['书']);
  });

  it('when the text holds the phrase, then 读书, 书香传递 and 夜学 find it', () => {
    const text = '干部夜学：每周三晚上的读书会，书香传递到村';
    expect(matches(text, '读书')).toBe(true);
    expect(matches(text, '书香传递')).toBe(true);
    expect(matches(text, '夜学')).toBe(true);
    expect(matches(text, '书')).toBe(true);
  });

  it('when the text lacks the phrase, then it is not found, even if it shares a character', () => {
    const text = '便民书市在广场举行';
    expect(matches(text, '读书')).toBe(false);
    expect(matches(text, '夜学')).toBe(false);
    expect(matches(text, '书市')).toBe(true);
  });

  it('when punctuation, spaces or full-width letters are in the way, then they neither match nor split words wrongly', () => {
    expect(documentGrams('Ｆａｉｒ 2026！')).toEqual(['fair', '2026']);
    expect(matches('Book Fair 书市', 'fair')).toBe(true);
    expect(matches('Book Fair 书市', 'FAIR 书市')).toBe(true);
    expect(matches('Book Fair', 'fairs')).toBe(false);
    // Punctuation between two characters breaks the pair: "读，书" does not hold 读书.
    expect(matches('读，书', '读书')).toBe(false);
  });

  it('when a query has nothing to look for, then it has no grams', () => {
    expect(queryGrams('  ，。!? ')).toEqual([]);
  });

  it('when a query is very long, then it is cut to a bounded number of grams', () => {
    expect(queryGrams('学'.repeat(10) + '习'.repeat(200)).length).toBeLessThanOrEqual(
      MAX_QUERY_GRAMS,
    );
    const distinct = Array.from({ length: 100 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join(
      '',
    );
    expect(queryGrams(distinct)).toHaveLength(MAX_QUERY_GRAMS);
  });

  it('when a text repeats itself, then each gram is stored once', () => {
    const grams = documentGrams('读书读书', '读书');
    expect(grams.length).toBe(new Set(grams).size);
  });
});

describe('the grams field of a stored document', () => {
  it('when two schemas take the field, then each document starts with its own empty list, never read back', () => {
    const field = gramsField();
    expect(field.select).toBe(false);
    const first = field.default();
    first.push('读书');
    expect(field.default()).toEqual([]);
  });

  it('when a query has grams, then the filter asks for all of them, on a copy of the list', () => {
    const grams = queryGrams('书香传递');
    const filter = holdsAllGrams(grams);
    expect(filter).toEqual({ $all: ['书香', '香传', '传递'] });
    expect(filter.$all).not.toBe(grams);
  });
});

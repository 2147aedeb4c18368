import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEND_FAILURE_CODES } from '../../../src/adapters/gateways/outcomes.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The rows between the channels' markers: code and whether it is retried. */
function tableRows(): [string, boolean][] {
  const start = readme.indexOf('<!-- channels-send-codes:start -->');
  const end = readme.indexOf('<!-- channels-send-codes:end -->');
  if (start < 0 || end < start) throw new Error('the README has no channels send-codes table');
  return [...readme.slice(start, end).matchAll(/^\| `([A-Z_]+)` +\| (yes|no) +\|/gm)].map((row) => [
    row[1] ?? '',
    row[2] === 'yes',
  ]);
}

describe('the channels’ send failure codes', () => {
  it('when the README is read, then its table lists exactly the codes, each with whether it is retried', () => {
    expect(Object.fromEntries(tableRows())).toEqual(SEND_FAILURE_CODES);
    expect(tableRows()).toHaveLength(Object.keys(SEND_FAILURE_CODES).length);
  });
});

/**
 * The demo's funding reaches scoring for the year the demo runs in, with
 * an awards line, receipts never dated after today and only in places of
 * the demo city, and a second load sends nothing (scoring stands in as a
 * fake answering /v1/funding/lines and /v1/funding/receipts).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoFundingBodies, loadFunding, type DemoFunding } from '../../src/demo.js';

const demoFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../demo/${name}`, import.meta.url), 'utf8'));

const funding = demoFile('funding.json') as DemoFunding;
const codes = new Set(
  (demoFile('jurisdictions.json') as { items: { code: string }[] }).items.map(({ code }) => code),
);

/** A scoring that stores what is POSTed and lists the lines one a page. */
function fakeScoring(): { lines: Record<string, unknown>[]; receipts: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const receipts: Record<string, unknown>[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const { pathname, searchParams } = new URL(url);
    const store =
      pathname === '/v1/funding/lines'
        ? lines
        : pathname === '/v1/funding/receipts'
          ? receipts
          : undefined;
    if (store === undefined) return new Response('{}', { status: 404 });
    if (init?.method === 'POST') {
      store.push(JSON.parse(init.body as string) as Record<string, unknown>);
      return Response.json({ id: String(store.length) }, { status: 201 });
    }
    const at = Number(searchParams.get('pageToken') ?? '0');
    return Response.json({
      items: store.slice(at, at + 1),
      nextPageToken: at + 1 < store.length ? String(at + 1) : null,
    });
  });
  return { lines, receipts };
}

describe('the demo funding', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('when the bodies are made in March, then lines are that city year’s, an awards line among them, and later receipts are dated today', () => {
    // 23:30 UTC on 14 March is 15 March in the city.
    const bodies = demoFundingBodies(funding, new Date('2027-03-14T23:30:00Z'));

    expect(bodies.year).toBe(2027);
    expect(bodies.lines.every((line) => line.year === 2027)).toBe(true);
    expect(bodies.lines.find((line) => line.code === 'awards')).toMatchObject({
      purpose: 'awards',
    });
    expect(bodies.receipts.map((receipt) => receipt.receivedOn)).toEqual([
      '2027-02-18',
      '2027-03-15',
      '2027-03-15',
      '2027-03-15',
    ]);
    for (const receipt of bodies.receipts) expect(codes).toContain(receipt.jurisdictionCode);
    expect(new Set(bodies.receipts.map((receipt) => receipt.source))).toEqual(
      new Set(['sponsorship', 'donation']),
    );
  });

  it('when the demo is loaded twice, then the second load sends nothing', async () => {
    const scoring = fakeScoring();
    const now = new Date('2026-12-01T02:00:00Z');

    const first = await loadFunding('http://scoring.test', 'token', now);
    const second = await loadFunding('http://scoring.test', 'token', now);

    expect(first).toEqual({
      fundingLines: funding.lines.length,
      receipts: funding.receipts.length,
    });
    expect(second).toEqual(first);
    expect(scoring.lines.map((line) => line['code'])).toEqual(
      funding.lines.map(({ code }) => code),
    );
    expect(scoring.receipts).toHaveLength(funding.receipts.length);
    expect(scoring.receipts[3]).toMatchObject({ receivedOn: '2026-10-08', amountYuan: '3500.50' });
  });
});

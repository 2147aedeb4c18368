/**
 * The demo's credit rules reach scoring with the campaign keys of
 * credit-rules.json replaced by the ids activities gave the campaigns of
 * those titles, and a second load sends nothing (scoring stands in as a fake
 * answering GET and POST /v1/credit-rules).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoCreditRuleBodies, loadCreditRules, type DemoCreditRules } from '../../src/demo.js';
import { generateDemoCity } from '../../src/demo-city.js';
import { HISTORY_LENGTH_MS } from '../../src/demo-city-loader.js';

const demoFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../demo/${name}`, import.meta.url), 'utf8'));

const rules = demoFile('credit-rules.json') as DemoCreditRules;
const campaignTitles = (
  demoFile('activities.json') as { campaigns: { title: string }[] }
).campaigns.map((campaign) => campaign.title);
const CAMPAIGN_ID = '0b5e1c9a-8a43-4f0e-9d3b-6f1f1d0f2a11';
const campaignIdByTitle = new Map(campaignTitles.map((title) => [title, CAMPAIGN_ID]));

/** A scoring that stores what is POSTed and lists it one rule a page. */
function fakeScoring(): { posted: Record<string, unknown>[] } {
  const posted: Record<string, unknown>[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const { pathname, searchParams } = new URL(url);
    if (pathname !== '/v1/credit-rules') return new Response('{}', { status: 404 });
    if (init?.method === 'POST') {
      posted.push(JSON.parse(init.body as string) as Record<string, unknown>);
      return Response.json({ id: String(posted.length) }, { status: 201 });
    }
    const at = Number(searchParams.get('pageToken') ?? '0');
    return Response.json({
      items: posted.slice(at, at + 1),
      nextPageToken: at + 1 < posted.length ? String(at + 1) : null,
    });
  });
  return { posted };
}

describe('the demo credit rules', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('when a rule names a campaign key, then its body names the id of the demo campaign of that title', () => {
    const bodies = demoCreditRuleBodies(rules, campaignIdByTitle);

    const keyed = rules.rules.filter((rule) => rule.campaignId !== undefined);
    expect(keyed.length).toBeGreaterThan(0);
    for (const rule of keyed)
      expect(campaignTitles).toContain(rules.campaigns[rule.campaignId ?? '']);
    expect(bodies).toHaveLength(rules.rules.length);
    expect(
      bodies.filter((body) => body.campaignId !== undefined).map((body) => body.campaignId),
    ).toEqual(keyed.map(() => CAMPAIGN_ID));
  });

  it('when the demo created no campaign of the title a rule names, then loading stops naming the rule', () => {
    expect(() => demoCreditRuleBodies(rules, new Map())).toThrow(/names campaign "learning-month"/);
  });

  it('when the rules are loaded twice, then the second load sends none', async () => {
    const scoring = fakeScoring();

    const first = await loadCreditRules('http://scoring.test', 'token', campaignIdByTitle);
    const second = await loadCreditRules('http://scoring.test', 'token', campaignIdByTitle);

    expect(first).toEqual({ rules: rules.rules.length });
    expect(second).toEqual(first);
    expect(scoring.posted).toEqual(demoCreditRuleBodies(rules, campaignIdByTitle));
  });

  it('when the generated history is attended, then a demo base rule credits every attendance, at least a hundredth each', () => {
    const city = generateDemoCity({ size: 'small', seed: 1 });
    expect(city.recentActivities.length).toBeGreaterThan(0);
    const base = rules.rules.filter(
      (rule) => rule['kind'] !== 'bonus' && rule.source === 'activity_attended',
    ) as unknown as {
      categories?: string[];
      tiers?: string[];
      basis: { kind: string; credits: string };
    }[];
    for (const activity of city.recentActivities) {
      const tiers = activity.attended.map((position) => city.participants[position]?.tier ?? '');
      const covering = base.filter(
        (rule) =>
          (rule.categories ?? []).length === 0 ||
          activity.categories.some((category) => rule.categories?.includes(category)),
      );
      expect(covering, activity.title).toHaveLength(1);
      const [rule] = covering;
      for (const tier of tiers)
        expect((rule?.tiers ?? []).length === 0 || rule?.tiers?.includes(tier), tier).toBe(true);
      // Per hour, pro rata by minute and rounded half up to a hundredth (decision 0016).
      expect(rule?.basis.kind).toBe('per_hour');
      const minutes = Math.floor(HISTORY_LENGTH_MS / 60_000);
      const hundredths = Math.round((Number(rule?.basis.credits) * 100 * minutes) / 60);
      expect(hundredths).toBeGreaterThanOrEqual(1);
    }
  });
});

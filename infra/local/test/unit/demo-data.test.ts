/**
 * lectures.json holds together before the stack sends it: every key and
 * speaker position it uses exists, and the sessions pass the scheduling rules
 * lectures checks (a speaker is available then, travels that far, is never in
 * two places at once; a venue hosts one session a day), so `up.sh` does not
 * stop on a refusal.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import {
  AVAILABLE_FOR_DAYS,
  loadIndicatorSystems,
  type DemoIndicatorSystems,
} from '../../src/demo.js';

const demoFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../demo/${name}`, import.meta.url), 'utf8'));

interface Lectures {
  forums: { key: string }[];
  experts: {
    accountSubject: string;
    idNumber: string;
    phone: string;
    homeJurisdiction: string;
    travelRadius: string;
  }[];
  venues: { key: string; jurisdictionCode: string }[];
  sessions: {
    forum: string;
    venue: string;
    speakers: number[];
    startsInDays: number;
    hours: number;
  }[];
  lessons: unknown[];
}

const lectures = demoFile('lectures.json') as Lectures;
const levelOf = new Map(
  (demoFile('jurisdictions.json') as { items: { code: string; level: string }[] }).items.map(
    (item) => [item.code, item.level],
  ),
);

/** GB 11643's check character of a resident ID number's first 17 digits. */
const idCheck = (digits: string): string => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, i) => total + Number(digits.charAt(i)) * weight, 0);
  return '10X98765432'[sum % 11] ?? '';
};

describe('the lectures demo data', () => {
  it('when the file is read, then it has a forum of each kind, a dozen experts, sessions and lessons', () => {
    expect(lectures.forums).toHaveLength(3);
    expect(lectures.experts).toHaveLength(12);
    expect(lectures.sessions.length).toBeGreaterThan(0);
    expect(lectures.lessons.length).toBeGreaterThan(0);
  });

  it('when an expert is registered, then their account, ID number, phone and home are valid and their own', () => {
    const subjects = lectures.experts.map((expert) => expert.accountSubject);
    const idNumbers = lectures.experts.map((expert) => expert.idNumber);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(new Set(idNumbers).size).toBe(idNumbers.length);
    for (const expert of lectures.experts) {
      expect(expert.idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(expert.idNumber.at(-1)).toBe(idCheck(expert.idNumber.slice(0, 17)));
      expect(expert.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(levelOf.has(expert.homeJurisdiction)).toBe(true);
    }
  });

  it('when a venue is catalogued, then it is in a street or a township of the demo tree, both kinds present', () => {
    const levels = lectures.venues.map((venue) => levelOf.get(venue.jurisdictionCode));
    expect(levels.every((level) => level === 'street' || level === 'township')).toBe(true);
    expect(new Set(levels)).toEqual(new Set(['street', 'township']));
  });

  it('when a session is scheduled, then its forum, venue and speakers exist and every rule admits it', () => {
    const forums = new Set(lectures.forums.map((forum) => forum.key));
    const venues = new Map(lectures.venues.map((venue) => [venue.key, venue.jurisdictionCode]));
    const busy = new Set<string>();
    for (const session of lectures.sessions) {
      expect(forums.has(session.forum)).toBe(true);
      const venueCode = venues.get(session.venue);
      expect(venueCode).toBeDefined();
      // Inside the speakers' availability (from load time), with the afternoon start.
      expect(session.startsInDays).toBeGreaterThan(0);
      expect(session.startsInDays + 1).toBeLessThan(AVAILABLE_FOR_DAYS);
      expect(session.hours).toBeGreaterThan(0);
      expect(session.hours).toBeLessThanOrEqual(8);
      // One session a day per venue and per speaker: no clash, whatever the travel time.
      for (const key of [
        `venue ${session.venue}`,
        ...session.speakers.map((s) => `speaker ${s}`),
      ]) {
        const slot = `${key} day ${session.startsInDays}`;
        expect(busy.has(slot), slot).toBe(false);
        busy.add(slot);
      }
      for (const position of session.speakers) {
        const speaker = lectures.experts[position - 1];
        expect(speaker, `expert ${position}`).toBeDefined();
        if (levelOf.get(venueCode ?? '') === 'township')
          expect(speaker?.travelRadius, `expert ${position} at ${session.venue}`).toBe(
            'countryside',
          );
      }
    }
  });
});

interface Training {
  programmes: {
    jurisdictionCode: string;
    targetGroups: string[];
    quotas: { jurisdictionCode: string; people: number }[];
    classes: {
      organizerKind?: string;
      organizerDepartment?: string;
      jurisdictionCode: string;
      sessions: number;
      topics: string[];
      targetGroups: string[];
    }[];
  }[];
}

describe('the training demo data', () => {
  const training = demoFile('training.json') as Training;
  const organizationKinds = new Set(
    (demoFile('organizations.json') as { kind: string }[]).map((organization) => organization.kind),
  );
  const parentOf = new Map(
    (
      demoFile('jurisdictions.json') as { items: { code: string; parentCode: string | null }[] }
    ).items.map((item) => [item.code, item.parentCode]),
  );
  const within = (code: string, root: string): boolean => {
    for (let at: string | null | undefined = code; at != null; at = parentOf.get(at))
      if (at === root) return true;
    return false;
  };

  it('when a programme sets quotas, then each is for a township or street inside its area', () => {
    expect(training.programmes.length).toBeGreaterThan(0);
    for (const programme of training.programmes)
      for (const quota of programme.quotas) {
        expect(['township', 'street']).toContain(levelOf.get(quota.jurisdictionCode));
        expect(within(quota.jurisdictionCode, programme.jurisdictionCode)).toBe(true);
      }
  });

  it('when a class is described, then its place, groups, organizer and topics fit its programme', () => {
    for (const programme of training.programmes) {
      const places = new Set(programme.classes.map((item) => item.jurisdictionCode));
      expect(places.size).toBeGreaterThan(1);
      for (const item of programme.classes) {
        expect(within(item.jurisdictionCode, programme.jurisdictionCode)).toBe(true);
        expect(item.targetGroups.every((group) => programme.targetGroups.includes(group))).toBe(
          true,
        );
        expect(item.topics).toHaveLength(item.sessions);
        if (item.organizerKind !== undefined)
          expect(organizationKinds.has(item.organizerKind)).toBe(true);
        else expect(item.organizerDepartment).toMatch(/^[a-z-]+$/);
      }
    }
  });
});

/**
 * indicator-systems.json holds together before scoring checks it: one system
 * per organization kind and one for the areas, 4–7 indicators with distinct
 * keys, weights summing to exactly 100 % (in hundredths, as scoring adds
 * them), and the loader sends each once for the city's year.
 */
describe('the demo indicator systems', () => {
  const demo = demoFile('indicator-systems.json') as DemoIndicatorSystems;
  const TWO_DECIMALS = /^\d{1,3}(?:\.\d{1,2})?$/;
  const hundredths = (percent: string): number => {
    const [whole = '', fraction = ''] = percent.split('.');
    return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  };

  it('when read, then there is one system for each of the five organization kinds and the areas', () => {
    expect(demo.systems.map((system) => system.target).sort()).toEqual(
      ['agency', 'area', 'community', 'enterprise', 'family', 'village_town'].sort(),
    );
  });

  it('when each system is read, then it has 4–7 indicators with distinct keys whose weights sum to exactly 100', () => {
    for (const system of demo.systems) {
      const weights = system.indicators.map((indicator) => indicator.weight);
      const keys = system.indicators.map((indicator) => indicator.key);
      expect(system.indicators.length, system.name).toBeGreaterThanOrEqual(4);
      expect(system.indicators.length, system.name).toBeLessThanOrEqual(7);
      expect(new Set(keys).size, system.name).toBe(keys.length);
      for (const weight of [...weights, system.passMark])
        expect(weight, system.name).toMatch(TWO_DECIMALS);
      expect(
        weights.reduce((sum, weight) => sum + hundredths(weight), 0),
        system.name,
      ).toBe(10_000);
      expect(hundredths(system.passMark), system.name).toBeLessThanOrEqual(10_000);
    }
  });

  it('when loaded twice, then each system is sent once, for the city’s year', async () => {
    const posted: Record<string, unknown>[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      if (new URL(url).pathname !== '/v1/indicator-systems')
        return new Response('{}', { status: 404 });
      if (init?.method === 'POST') {
        posted.push(JSON.parse(init.body as string) as Record<string, unknown>);
        return Response.json({ id: String(posted.length) }, { status: 201 });
      }
      return Response.json({ items: posted, nextPageToken: null });
    });
    try {
      // 2026-12-31 17:00 UTC is already 2027 in the city.
      const now = new Date('2026-12-31T17:00:00Z');

      const first = await loadIndicatorSystems('http://scoring.test', 'token', now);
      const second = await loadIndicatorSystems('http://scoring.test', 'token', now);

      expect(first).toEqual({ indicatorSystems: 6 });
      expect(second).toEqual(first);
      expect(posted).toEqual(demo.systems.map((system) => ({ ...system, year: 2027 })));
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

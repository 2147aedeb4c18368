/**
 * lectures.json holds together before the stack sends it: every key and
 * speaker position it uses exists, and the sessions pass the scheduling rules
 * lectures checks (a speaker is available then, travels that far, is never in
 * two places at once; a venue hosts one session a day), so `up.sh` does not
 * stop on a refusal.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AVAILABLE_FOR_DAYS } from '../../src/demo.js';

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

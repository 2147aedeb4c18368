/**
 * The generated demo city holds together before any service sees it: the
 * same seed gives the same city, every ID number passes GB 11643, the sizes
 * are what the issue asks, and everything it names (homes, members, places,
 * pairings) exists in it.
 */
import { describe, expect, it } from 'vitest';
import {
  CITY_CODE,
  DEMO_CITY_SIZES,
  generateDemoCity,
  idNumberCheckCharacter,
  SIZE_SPECS,
  type DemoCity,
} from '../../src/demo-city.js';
import { comingOctoberYear, historyPeopleOf, requestsFor } from '../../src/demo-city-loader.js';

/** GB 11643-1999 written out independently of the generator: Σ digit·2^(17-i) mod 11. */
const validIdNumber = (id: string): boolean => {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(id.charAt(i)) * (2 ** (17 - i) % 11);
  return '10X98765432'.charAt(sum % 11) === id.charAt(17);
};

const small = generateDemoCity({ size: 'small', seed: 7 });
const city = generateDemoCity({ size: 'city' });

const codesOf = (demo: DemoCity) => new Set(demo.jurisdictions.map((node) => node.code));

describe('the generated demo city', () => {
  it('when generated twice from the same seed and size, then it is the same city', () => {
    expect(generateDemoCity({ size: 'small', seed: 7 })).toEqual(small);
  });

  it('when generated from another seed, then its people differ', () => {
    const other = generateDemoCity({ size: 'small', seed: 8 });
    expect(other.participants.map((person) => person.idNumber)).not.toEqual(
      small.participants.map((person) => person.idNumber),
    );
  });

  it('when the check character is computed, then it matches known GB 11643 examples', () => {
    // The standard's own example and the check digit 'X' case.
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('44052418800101001')).toBe('4');
    expect(() => idNumberCheckCharacter('1234')).toThrow();
  });

  it.each(DEMO_CITY_SIZES)(
    'when the size is %s, then every ID number is valid, fictitious and unique',
    (size) => {
      const ids = generateDemoCity({ size, seed: 3 }).participants.map((person) => person.idNumber);
      expect(ids.filter((id) => !validIdNumber(id))).toEqual([]);
      // The fictitious region and the 9xx sequence mark them as nobody's.
      expect(ids.filter((id) => !id.startsWith('330999') || id.charAt(14) !== '9')).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
    },
    // large makes 120,000 people: seconds on a busy machine.
    30_000,
  );

  it('when the size is city, then it has the issue sizes: ~20 townships, ~300 villages, thousands of organizations, tens of thousands of people', () => {
    const townships = city.jurisdictions.filter(
      (node) => node.level === 'township' || node.level === 'street',
    );
    const villages = city.jurisdictions.filter(
      (node) => node.level === 'village' || node.level === 'community',
    );
    expect(townships).toHaveLength(SIZE_SPECS.city.townships);
    expect(villages.length).toBeGreaterThanOrEqual(250);
    expect(villages.length).toBeLessThanOrEqual(350);
    expect(city.organizations.length).toBeGreaterThanOrEqual(2_000);
    expect(city.participants.length).toBeGreaterThanOrEqual(20_000);
    expect(city.pairings).toHaveLength(100);
  });

  it('when a tree is generated, then codes are unique and every parent exists at the level above', () => {
    for (const demo of [small, city]) {
      const byCode = new Map(demo.jurisdictions.map((node) => [node.code, node]));
      expect(byCode.size).toBe(demo.jurisdictions.length);
      for (const node of demo.jurisdictions) {
        if (node.code === CITY_CODE) continue;
        const parent = byCode.get(node.parentCode ?? '');
        const expected =
          node.level === 'street' || node.level === 'township'
            ? ['city']
            : node.level === 'community'
              ? ['street', 'township']
              : ['township'];
        expect(expected, `${node.code}'s parent`).toContain(parent?.level);
      }
    }
  });

  it('when people are generated, then every tier is present and each lives in a village or community that exists', () => {
    for (const demo of [small, city]) {
      const levelOf = new Map(demo.jurisdictions.map((node) => [node.code, node.level]));
      expect(new Set(demo.participants.map((person) => person.tier))).toEqual(
        new Set([
          'leading_cadre',
          'ordinary_cadre',
          'private_enterprise_staff',
          'ordinary_citizen',
          'pupil',
        ]),
      );
      const homeless = demo.participants.filter(
        (person) => !['village', 'community'].includes(levelOf.get(person.homeJurisdiction) ?? ''),
      );
      expect(homeless).toEqual([]);
    }
  });

  it('when organizations are generated, then all kinds are there, each in a place that exists, with distinct existing members', () => {
    for (const demo of [small, city]) {
      const codes = codesOf(demo);
      expect(new Set(demo.organizations.map((organization) => organization.body.kind)).size).toBe(
        6,
      );
      for (const { body, members } of demo.organizations) {
        expect(codes.has(body.jurisdictionCode), body.name).toBe(true);
        expect(members.length).toBeGreaterThan(0);
        expect(new Set(members).size).toBe(members.length);
        expect(members.every((position) => demo.participants[position] !== undefined)).toBe(true);
      }
      expect(new Set(demo.organizations.map(({ body }) => body.name)).size).toBe(
        demo.organizations.length,
      );
    }
  });

  it('when the network is generated, then each generated township has a supermarket, each generated village a library, and pairings join an enterprise to a library', () => {
    const codes = codesOf(city);
    expect(city.places.every((place) => codes.has(place.jurisdictionCode))).toBe(true);
    for (const { enterprise, library } of city.pairings) {
      expect(city.organizations[enterprise]?.body.kind).toBe('enterprise');
      expect(city.places[library]?.kind).toBe('farmhouse_library');
    }
    expect(new Set(city.pairings.map((pairing) => pairing.library)).size).toBe(
      city.pairings.length,
    );
  });

  it('when the October festival is generated, then every township and street has one activity on an October day', () => {
    const townships = city.jurisdictions.filter(
      (node) => node.level === 'township' || node.level === 'street',
    );
    expect(city.festivalActivities.map((activity) => activity.jurisdictionCode).sort()).toEqual(
      townships.map((node) => node.code).sort(),
    );
    for (const activity of city.festivalActivities) {
      expect(activity.octoberDay).toBeGreaterThanOrEqual(1);
      expect(activity.octoberDay).toBeLessThanOrEqual(31);
    }
  });
});

describe("the generated demo city's history", () => {
  it('when generated twice from the same seed, then the same people sign up for the same activities and the same come', () => {
    expect(generateDemoCity({ size: 'small', seed: 7 }).recentActivities).toEqual(
      small.recentActivities,
    );
    expect(generateDemoCity({ size: 'small', seed: 8 }).recentActivities).not.toEqual(
      small.recentActivities,
    );
  });

  it('when history is generated, then each activity is in a township of the city and signed up for only by generated people living there', () => {
    for (const demo of [small, city]) {
      const byCode = new Map(demo.jurisdictions.map((node) => [node.code, node]));
      expect(demo.recentActivities.length).toBeGreaterThan(0);
      for (const activity of demo.recentActivities) {
        expect(['township', 'street']).toContain(byCode.get(activity.jurisdictionCode)?.level);
        expect(activity.signUps.length).toBeGreaterThan(0);
        expect(new Set(activity.signUps).size).toBe(activity.signUps.length);
        expect(activity.capacity).toBe(activity.signUps.length);
        for (const position of activity.signUps) {
          const person = demo.participants[position];
          expect(person, `participant ${position}`).toBeDefined();
          expect(byCode.get(person?.homeJurisdiction ?? '')?.parentCode).toBe(
            activity.jurisdictionCode,
          );
          expect(activity.targetTiers).toContain(person?.tier);
        }
        expect(activity.attended.every((position) => activity.signUps.includes(position))).toBe(
          true,
        );
      }
    }
  });

  it('when history is generated, then some came and some did not, and nobody signs up twice', () => {
    const signUps = city.recentActivities.flatMap((activity) => activity.signUps);
    const attended = city.recentActivities.flatMap((activity) => activity.attended);
    expect(historyPeopleOf(city).size).toBe(signUps.length);
    expect(attended.length).toBeGreaterThan(0);
    expect(attended.length).toBeLessThan(signUps.length);
  });

  it('when the requests are counted, then history adds its activities, sign-ups and attendance calls only when activities runs', () => {
    const history = small.recentActivities.reduce(
      (total, { signUps, attended }) => total + 2 + signUps.length + (attended.length > 0 ? 1 : 0),
      0,
    );
    const withoutHistory = { ...small, recentActivities: [] };
    expect(requestsFor(small, true) - requestsFor(withoutHistory, true)).toBe(history);
    expect(requestsFor(small, false)).toBe(requestsFor(withoutHistory, false));
    // Published beforehand by scheduleDemoCityHistory: not the load's to count.
    expect(requestsFor(small, true) - requestsFor(small, true, true)).toBe(
      2 * small.recentActivities.length,
    );
  });
});

describe('comingOctoberYear', () => {
  it.each([
    ['2026-09-30T15:00:00Z', 2026],
    // 16:00 UTC on 30 September is already 1 October in the city.
    ['2026-09-30T16:00:00Z', 2027],
    ['2026-12-07T12:00:00Z', 2027],
    ['2027-01-01T00:00:00Z', 2027],
  ])('when it is %s, then the festival is in %i', (now, year) => {
    expect(comingOctoberYear(new Date(now))).toBe(year);
  });
});

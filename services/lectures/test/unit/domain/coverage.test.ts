import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  coverageGaps,
  coverageGrid,
  gapIdentity,
  isGap,
  leastCoveredCategories,
  mayTravelTo,
  monthBoundaries,
  monthsBefore,
  quarterBoundaries,
  quarterOf,
  ruralShare,
  ruralSharesByForum,
  settingOfLevel,
  suggestPairings,
  townshipYear,
  type ExpertLoad,
  type UncoveredTownship,
} from '../../../src/domain/coverage.js';

const at = (iso: string): Date => new Date(iso);

describe('the city’s quarters', () => {
  it('when a year’s quarters are asked, then each begins at 00:00 China time on its first day', () => {
    expect(quarterBoundaries(2026).map((instant) => instant.toISOString())).toEqual([
      '2025-12-31T16:00:00.000Z',
      '2026-03-31T16:00:00.000Z',
      '2026-06-30T16:00:00.000Z',
      '2026-09-30T16:00:00.000Z',
      '2026-12-31T16:00:00.000Z',
    ]);
  });

  it('when an instant is just either side of a boundary in UTC, then its quarter is China’s', () => {
    expect(quarterOf(at('2026-03-31T15:59:59.999Z'))).toEqual({ year: 2026, quarter: 1 });
    expect(quarterOf(at('2026-03-31T16:00:00.000Z'))).toEqual({ year: 2026, quarter: 2 });
    expect(quarterOf(at('2025-12-31T16:00:00.000Z'))).toEqual({ year: 2026, quarter: 1 });
    expect(quarterOf(at('2025-12-31T15:59:59.999Z'))).toEqual({ year: 2025, quarter: 4 });
    expect(quarterOf(at('2026-08-15T04:00:00.000Z'))).toEqual({ year: 2026, quarter: 3 });
  });

  it('when a year is out of range, then it is refused with its code', () => {
    expect(refusalOf(() => quarterBoundaries(1999)).code).toBe('COVERAGE_YEAR_INVALID');
    expect(refusalOf(() => quarterBoundaries(2101)).code).toBe('COVERAGE_YEAR_INVALID');
    expect(refusalOf(() => quarterBoundaries(2026.5)).code).toBe('COVERAGE_YEAR_INVALID');
  });
});

describe('a township’s year', () => {
  it('when a year’s months are asked, then each of the thirteen edges is 00:00 China time on a first day', () => {
    const edges = monthBoundaries(2026).map((instant) => instant.toISOString());
    expect(edges).toHaveLength(13);
    expect(edges[0]).toBe('2025-12-31T16:00:00.000Z');
    expect(edges[1]).toBe('2026-01-31T16:00:00.000Z');
    expect(edges[2]).toBe('2026-02-28T16:00:00.000Z');
    expect(edges[12]).toBe('2026-12-31T16:00:00.000Z');
    expect(refusalOf(() => monthBoundaries(1999)).code).toBe('COVERAGE_YEAR_INVALID');
  });

  it('when grouped rows are summed, then held and scheduled add up and each month with a session is listed once, in order', () => {
    expect(
      townshipYear([
        { month: 8, status: 'held', sessions: 2 },
        { month: 1, status: 'scheduled', sessions: 1 },
        { month: 8, status: 'scheduled', sessions: 1 },
        { month: 3, status: 'held', sessions: 0 },
      ]),
    ).toEqual({ sessions: 4, heldSessions: 2, monthsCovered: [1, 8] });
    expect(townshipYear([])).toEqual({ sessions: 0, heldSessions: 0, monthsCovered: [] });
  });
});

describe('months back', () => {
  it('when six months are taken from a mid-month time, then the day and China time of day stay', () => {
    expect(monthsBefore(at('2026-09-15T02:30:00.000Z'), 6).toISOString()).toBe(
      '2026-03-15T02:30:00.000Z',
    );
  });

  it('when the earlier month is shorter, then the day becomes its last', () => {
    // 31 August 10:00 China time, six months back: 28 February (2026 is not a leap year).
    expect(monthsBefore(at('2026-08-31T02:00:00.000Z'), 6).toISOString()).toBe(
      '2026-02-28T02:00:00.000Z',
    );
    expect(monthsBefore(at('2028-08-31T02:00:00.000Z'), 6).toISOString()).toBe(
      '2028-02-29T02:00:00.000Z',
    );
  });

  it('when the months cross a year and the UTC date is still yesterday, then China’s calendar decides', () => {
    // 1 February 07:00 China time is 31 January 23:00 UTC; three months back is 1 November in China.
    expect(monthsBefore(at('2026-01-31T23:00:00.000Z'), 3).toISOString()).toBe(
      '2025-10-31T23:00:00.000Z',
    );
    expect(monthsBefore(at('2026-03-10T00:00:00.000Z'), 15).toISOString()).toBe(
      '2024-12-10T00:00:00.000Z',
    );
  });

  it('when the look-back is not 1 to 120 whole months, then it is refused with its code', () => {
    for (const months of [0, -1, 121, 1.5])
      expect(refusalOf(() => monthsBefore(new Date(), months)).code).toBe(
        'COVERAGE_MONTHS_INVALID',
      );
  });
});

describe('the coverage grid', () => {
  const T1 = 'T1';
  const T2 = 'T2';
  const T3 = 'T3';

  it('when sessions and attendance are counted, then each township has four quarters and the totals add up', () => {
    const grid = coverageGrid(
      [T1, T2, T3],
      [
        { townshipCode: T1, quarter: 1, status: 'held', setting: 'countryside', sessions: 2 },
        { townshipCode: T1, quarter: 3, status: 'scheduled', setting: 'countryside', sessions: 1 },
        { townshipCode: T2, quarter: 1, status: 'held', setting: 'city', sessions: 4 },
        { townshipCode: T2, quarter: 4, status: 'scheduled', setting: 'city', sessions: 1 },
        // A township outside what was asked is left out.
        { townshipCode: 'elsewhere', quarter: 1, status: 'held', setting: 'city', sessions: 9 },
      ],
      [
        { townshipCode: T1, quarter: 1, attendance: 70 },
        { townshipCode: T2, quarter: 1, attendance: 120 },
        { townshipCode: 'elsewhere', quarter: 1, attendance: 500 },
      ],
    );

    expect(grid.townships.map((t) => t.townshipCode)).toEqual([T1, T2, T3]);
    expect(grid.townships[0]).toEqual({
      townshipCode: T1,
      sessions: 3,
      held: 2,
      scheduled: 1,
      attendance: 70,
      quarters: [
        { quarter: 1, sessions: 2, held: 2, scheduled: 0, attendance: 70 },
        { quarter: 2, sessions: 0, held: 0, scheduled: 0, attendance: 0 },
        { quarter: 3, sessions: 1, held: 0, scheduled: 1, attendance: 0 },
        { quarter: 4, sessions: 0, held: 0, scheduled: 0, attendance: 0 },
      ],
    });
    expect(grid.townships[2]?.sessions).toBe(0);
    expect(grid.totals).toMatchObject({ sessions: 8, held: 6, scheduled: 2, attendance: 190 });
    expect(grid.totals.quarters.map((q) => q.sessions)).toEqual([6, 0, 1, 1]);
    expect(grid.townshipsWithoutSessions).toEqual([T3]);
    expect(grid.ruralShare).toEqual({ sessions: 8, countrysideSessions: 3, share: 0.375 });
  });

  it('when one township’s rows come in pieces, then they are summed into its cell', () => {
    const grid = coverageGrid(
      [T1],
      [
        { townshipCode: T1, quarter: 2, status: 'held', setting: 'city', sessions: 1 },
        { townshipCode: T1, quarter: 2, status: 'held', setting: 'countryside', sessions: 2 },
      ],
      [
        { townshipCode: T1, quarter: 2, attendance: 5 },
        { townshipCode: T1, quarter: 2, attendance: 6 },
      ],
    );
    expect(grid.townships[0]?.quarters[1]).toEqual({
      quarter: 2,
      sessions: 3,
      held: 3,
      scheduled: 0,
      attendance: 11,
    });
  });

  it('when nothing happened, then every figure is zero and the share is null', () => {
    const grid = coverageGrid([T1], [], []);
    expect(grid.totals).toMatchObject({ sessions: 0, attendance: 0 });
    expect(grid.ruralShare).toEqual({ sessions: 0, countrysideSessions: 0, share: null });
    expect(grid.townshipsWithoutSessions).toEqual([T1]);
  });
});

describe('the rural share', () => {
  it('when a share is not a round number, then it has four decimals', () => {
    expect(ruralShare(1, 3).share).toBe(0.3333);
    expect(ruralShare(2, 3).share).toBe(0.6667);
    expect(ruralShare(0, 5).share).toBe(0);
    expect(ruralShare(5, 5).share).toBe(1);
  });

  it('when forums are shared, then each listed forum comes in order, quiet ones with a null share, others left out', () => {
    const shares = ruralSharesByForum(
      ['youth', 'humanities', 'quiet'],
      [
        { forumId: 'humanities', setting: 'countryside', sessions: 3 },
        { forumId: 'humanities', setting: 'city', sessions: 1 },
        { forumId: 'youth', setting: 'city', sessions: 2 },
        { forumId: 'unlisted', setting: 'countryside', sessions: 1 },
      ],
    );
    expect(shares).toEqual([
      { forumId: 'youth', sessions: 2, countrysideSessions: 0, share: 0 },
      { forumId: 'humanities', sessions: 4, countrysideSessions: 3, share: 0.75 },
      { forumId: 'quiet', sessions: 0, countrysideSessions: 0, share: null },
    ]);
  });
});

describe('gaps', () => {
  const cutoff = at('2026-06-01T00:00:00.000Z');

  it('when the last session started after the cutoff, then there is no gap; at or before it, a gap', () => {
    expect(isGap(at('2026-06-01T00:00:00.001Z'), cutoff)).toBe(false);
    expect(isGap(at('2026-06-01T00:00:00.000Z'), cutoff)).toBe(true);
    expect(isGap(at('2025-01-01T00:00:00.000Z'), cutoff)).toBe(true);
    expect(isGap(null, cutoff)).toBe(true);
  });

  it('when gaps are listed, then never-covered townships come first, then the longest uncovered, then by code', () => {
    const gaps = coverageGaps(
      [
        { townshipCode: 'B', lastSessionAt: at('2026-01-01T00:00:00Z') },
        { townshipCode: 'C', lastSessionAt: null },
        { townshipCode: 'D', lastSessionAt: at('2026-07-01T00:00:00Z') },
        { townshipCode: 'A', lastSessionAt: null },
        { townshipCode: 'E', lastSessionAt: at('2025-11-01T00:00:00Z') },
      ],
      cutoff,
    );
    expect(gaps.map((gap) => gap.townshipCode)).toEqual(['A', 'C', 'E', 'B']);
  });

  it('when a gap is named, then the same township after the same session is the same gap, and after another session another', () => {
    const last = at('2026-01-01T00:00:00Z');
    expect(gapIdentity('T1', last)).toBe(gapIdentity('T1', new Date(last)));
    expect(gapIdentity('T1', last)).not.toBe(gapIdentity('T1', at('2026-02-01T00:00:00Z')));
    expect(gapIdentity('T1', null)).toBe('T1@never');
    expect(gapIdentity('T1', null)).not.toBe(gapIdentity('T2', null));
  });
});

describe('what a township lacks', () => {
  it('when a township never had a session, then it wants all four categories', () => {
    expect(leastCoveredCategories({})).toEqual([
      'political_theory',
      'science_culture_skills',
      'market_economy_law',
      'ethics_etiquette',
    ]);
  });

  it('when some categories were never given, then those are wanted', () => {
    expect(leastCoveredCategories({ political_theory: 3, ethics_etiquette: 1 })).toEqual([
      'science_culture_skills',
      'market_economy_law',
    ]);
  });

  it('when every category was given, then the ones at the lowest count are wanted', () => {
    expect(
      leastCoveredCategories({
        political_theory: 3,
        science_culture_skills: 1,
        market_economy_law: 1,
        ethics_etiquette: 2,
      }),
    ).toEqual(['science_culture_skills', 'market_economy_law']);
  });
});

describe('pairing experts with uncovered townships', () => {
  const expert = (id: string, overrides: Partial<ExpertLoad> = {}): ExpertLoad => ({
    expertId: id,
    fields: ['political_theory'],
    travelRadius: 'countryside',
    recentSessions: 0,
    upcomingSessions: 0,
    ...overrides,
  });
  const township = (
    code: string,
    overrides: Partial<UncoveredTownship> = {},
  ): UncoveredTownship => ({
    townshipCode: code,
    setting: 'countryside',
    lastSessionAt: null,
    wantedCategories: ['political_theory'],
    ...overrides,
  });

  it('when the radius is city, then the expert goes to streets but never to a countryside township', () => {
    expect(mayTravelTo('city', 'city')).toBe(true);
    expect(mayTravelTo('city', 'countryside')).toBe(false);
    expect(mayTravelTo('countryside', 'countryside')).toBe(true);
    expect(mayTravelTo('countryside', 'city')).toBe(true);

    const { pairings, unmatched } = suggestPairings(
      [township('rural')],
      [expert('city-only', { travelRadius: 'city' })],
      10,
    );
    expect(pairings).toEqual([]);
    expect(unmatched.map((t) => t.townshipCode)).toEqual(['rural']);
  });

  it('when an expert lectures in none of the wanted categories, then they are not suggested there', () => {
    const { pairings } = suggestPairings(
      [township('T', { wantedCategories: ['market_economy_law'] })],
      [
        expert('theory'),
        expert('law', { fields: ['ethics_etiquette', 'market_economy_law'], recentSessions: 3 }),
      ],
      10,
    );
    expect(pairings.map((p) => [p.expert.expertId, p.matchedFields])).toEqual([
      ['law', ['market_economy_law']],
    ]);
  });

  it('when several experts fit, then the idle one is chosen before the least busy, and the least busy before the busy', () => {
    const { pairings } = suggestPairings(
      [township('T1'), township('T2'), township('T3')],
      [
        expert('busy', { recentSessions: 5 }),
        expert('upcoming', { upcomingSessions: 1 }),
        expert('idle'),
      ],
      10,
    );
    expect(
      pairings.map((p) => [p.rank, p.township.townshipCode, p.expert.expertId, p.idle]),
    ).toEqual([
      [1, 'T1', 'idle', true],
      [2, 'T2', 'upcoming', false],
      [3, 'T3', 'busy', false],
    ]);
  });

  it('when a street is paired, then a city-radius expert is preferred, keeping the countryside one for a township', () => {
    const { pairings, unmatched } = suggestPairings(
      [township('street', { setting: 'city' }), township('rural')],
      [expert('a-goes-anywhere'), expert('b-city-only', { travelRadius: 'city' })],
      10,
    );
    expect(pairings.map((p) => [p.township.townshipCode, p.expert.expertId])).toEqual([
      ['street', 'b-city-only'],
      ['rural', 'a-goes-anywhere'],
    ]);
    expect(unmatched).toEqual([]);
  });

  it('when two experts are alike but one matches more wanted categories, then that one is chosen; otherwise the lower id', () => {
    const wanting = township('T', { wantedCategories: ['political_theory', 'ethics_etiquette'] });
    const first = suggestPairings(
      [wanting],
      [expert('a'), expert('b', { fields: ['political_theory', 'ethics_etiquette'] })],
      1,
    );
    expect(first.pairings[0]?.expert.expertId).toBe('b');
    expect(first.pairings[0]?.matchedFields).toEqual(['political_theory', 'ethics_etiquette']);
    const tie = suggestPairings([wanting], [expert('z'), expert('m')], 1);
    expect(tie.pairings[0]?.expert.expertId).toBe('m');
  });

  it('when there are more townships than the limit, then the list stops at the limit and each expert appears once', () => {
    const townships = ['T1', 'T2', 'T3', 'T4'].map((code) => township(code));
    const experts = ['e1', 'e2', 'e3'].map((id) => expert(id));
    const { pairings, unmatched } = suggestPairings(townships, experts, 2);
    expect(pairings.map((p) => p.township.townshipCode)).toEqual(['T1', 'T2']);
    expect(new Set(pairings.map((p) => p.expert.expertId)).size).toBe(2);
    expect(unmatched).toEqual([]);

    const all = suggestPairings(townships, experts, 10);
    expect(all.pairings).toHaveLength(3);
    expect(all.unmatched.map((t) => t.townshipCode)).toEqual(['T4']);
  });

  it('when the limit is not 1 to 100, then it is refused with its code', () => {
    for (const limit of [0, 101, 2.5])
      expect(refusalOf(() => suggestPairings([], [], limit)).code).toBe('COVERAGE_LIMIT_INVALID');
  });
});

describe('settings of the tree’s levels', () => {
  it('when a node is a township it is countryside, a street city, anything else neither', () => {
    expect(settingOfLevel('township')).toBe('countryside');
    expect(settingOfLevel('street')).toBe('city');
    expect(settingOfLevel('village')).toBeNull();
    expect(settingOfLevel('city')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import {
  boardName,
  boardNamed,
  boardsOfEntry,
  isRanked,
  placementsOf,
  ranksWithTies,
  type EntryFootprint,
  type HolderStanding,
} from '../../../src/domain/boards.js';

const CITY = '330281000000';
const TOWNSHIP = '330281001000';
const VILLAGE = '330281001001';
const OTHER_VILLAGE = '330281002003';

const footprint = (overrides: Partial<EntryFootprint> = {}): EntryFootprint => ({
  jurisdictionPath: [CITY, TOWNSHIP, VILLAGE],
  organizationIds: ['org-1'],
  tier: 'ordinary_citizen',
  campaignId: null,
  ...overrides,
});

const standing = (overrides: Partial<HolderStanding> = {}): HolderStanding => ({
  holder: { kind: 'person', id: 'p-1' },
  year: 2026,
  footprints: [footprint()],
  organizationKind: null,
  yearBalance: 500,
  campaignBalances: new Map(),
  ...overrides,
});

const names = (placements: ReturnType<typeof placementsOf>) =>
  placements
    .map(
      (placement) =>
        `${placement.scope.campaignId ?? 'year'} ${boardName(placement.board)} ${placement.member}=${placement.score}`,
    )
    .sort();

describe('the boards an entry touches', () => {
  it('when a person earns credits, then each area of their path, each organization and their tier gets a board', () => {
    expect(
      boardsOfEntry(
        { kind: 'person', id: 'p-1' },
        footprint({ organizationIds: ['org-1', 'org-2'] }),
        null,
      ).map(boardName),
    ).toEqual([
      `persons-by-area/${CITY}`,
      `persons-by-area/${TOWNSHIP}`,
      `persons-by-area/${VILLAGE}`,
      'persons-by-organization/org-1',
      'persons-by-organization/org-2',
      'persons-by-tier/ordinary_citizen',
    ]);
  });

  it('when an organization earns credits, then the areas of its path and its kind get a board', () => {
    const entry = footprint({ organizationIds: ['org-9'], tier: null });

    expect(
      boardsOfEntry({ kind: 'organization', id: 'org-9' }, entry, 'enterprise').map(boardName),
    ).toEqual([
      `organizations-by-area/${CITY}`,
      `organizations-by-area/${TOWNSHIP}`,
      `organizations-by-area/${VILLAGE}`,
      'organizations-by-kind/enterprise',
    ]);
  });

  it('when registration does not know an organization’s kind, then only its area boards are touched', () => {
    expect(
      boardsOfEntry({ kind: 'organization', id: 'org-9' }, footprint({ tier: null }), null).map(
        boardName,
      ),
    ).toEqual([
      `organizations-by-area/${CITY}`,
      `organizations-by-area/${TOWNSHIP}`,
      `organizations-by-area/${VILLAGE}`,
    ]);
  });

  it('when a person without a tier earns credits, then no tier board is touched', () => {
    expect(
      boardsOfEntry(
        { kind: 'person', id: 'p-1' },
        footprint({ tier: null, organizationIds: [] }),
        null,
      ).map(boardName),
    ).toEqual([
      `persons-by-area/${CITY}`,
      `persons-by-area/${TOWNSHIP}`,
      `persons-by-area/${VILLAGE}`,
    ]);
  });
});

describe('a holder’s placements', () => {
  it('when entries repeat a board, then the holder stands on it once with the year balance', () => {
    expect(names(placementsOf(standing({ footprints: [footprint(), footprint()] })))).toEqual([
      `year persons-by-area/${CITY} p-1=500`,
      `year persons-by-area/${TOWNSHIP} p-1=500`,
      `year persons-by-area/${VILLAGE} p-1=500`,
      'year persons-by-organization/org-1 p-1=500',
      'year persons-by-tier/ordinary_citizen p-1=500',
    ]);
  });

  it('when the person moved, then they stand on both villages’ boards with the whole year balance', () => {
    const moved = footprint({ jurisdictionPath: [CITY, '330281002000', OTHER_VILLAGE] });

    const placements = names(placementsOf(standing({ footprints: [footprint(), moved] })));

    expect(placements).toContain(`year persons-by-area/${VILLAGE} p-1=500`);
    expect(placements).toContain(`year persons-by-area/${OTHER_VILLAGE} p-1=500`);
    expect(placements.filter((name) => name.includes(CITY))).toHaveLength(1);
  });

  it('when an entry counts toward a campaign, then the campaign boards score the campaign balance only', () => {
    const placements = placementsOf(
      standing({
        footprints: [footprint(), footprint({ campaignId: 'april', organizationIds: [] })],
        campaignBalances: new Map([['april', 120]]),
      }),
    );

    expect(names(placements).filter((name) => name.startsWith('april'))).toEqual([
      `april persons-by-area/${CITY} p-1=120`,
      `april persons-by-area/${TOWNSHIP} p-1=120`,
      `april persons-by-area/${VILLAGE} p-1=120`,
      'april persons-by-tier/ordinary_citizen p-1=120',
    ]);
    expect(placements.every((placement) => placement.scope.year === 2026)).toBe(true);
  });

  it('when every credit was reversed, then the holder is not ranked', () => {
    expect(isRanked(0)).toBe(false);
    expect(isRanked(-100)).toBe(false);
    expect(isRanked(1)).toBe(true);
  });
});

describe('board names', () => {
  it.each([
    ['persons-by-area', CITY],
    ['persons-by-organization', '7b0c1e52-2d0f-4c8e-9d7a-0a1b2c3d4e5f'],
    ['persons-by-tier', 'leading_cadre'],
    ['organizations-by-kind', 'family'],
    ['organizations-by-area', VILLAGE],
  ])('when %s/%s is asked, then it names a board', (family, subject) => {
    expect(boardNamed(family, subject)).toEqual({ family, subject });
  });

  it.each([
    ['persons-by-height', CITY],
    ['persons-by-area', '3302 01'],
    ['persons-by-tier', 'emperor'],
    ['organizations-by-kind', 'ordinary_citizen'],
    ['persons-by-organization', '../etc'],
  ])('when %s/%s is asked, then no board has that name', (family, subject) => {
    expect(boardNamed(family, subject)).toBeNull();
  });
});

describe('ranks with ties', () => {
  it('when two holders tie for second, then the ranks are 1, 2, 2, 4', () => {
    expect(ranksWithTies([900, 500, 500, 100], 0, 0)).toEqual([1, 2, 2, 4]);
  });

  it('when a page starts inside a tie, then its first rank is the tie’s', () => {
    // Scores 900, 500, 500, 500, 100: the second page of two starts at the third holder.
    expect(ranksWithTies([500, 500], 2, 1)).toEqual([2, 2]);
    expect(ranksWithTies([100], 4, 4)).toEqual([5]);
  });

  it('when the page is empty, then there are no ranks', () => {
    expect(ranksWithTies([], 0, 0)).toEqual([]);
  });
});

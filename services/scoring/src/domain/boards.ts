/**
 * Leaderboards: which boards a holder stands on and with what score, and how
 * ranks are counted. Boards are a cache of the ledger (decision 0016, point
 * 5): a holder's score on a board is their balance, set, never incremented,
 * so replays, reordering and rebuilds all converge on the same boards.
 *
 * A board is a family and a subject (`persons-by-area/330281000000`) within
 * a scope: the year, or one campaign of the year. A holder stands on every
 * board any of their entries of the scope touched (a person who moved stands
 * on both areas' boards) with the balance of the scope.
 */
import { ORGANIZATION_KINDS, TIERS, type OrganizationKind, type Tier } from '@learning/domain';
import type { Hundredths } from './credits.js';
import type { HolderKind, HolderRef } from './facts.js';

export const BOARD_FAMILIES = [
  'persons-by-area',
  'persons-by-organization',
  'persons-by-tier',
  'organizations-by-kind',
  'organizations-by-area',
] as const;
export type BoardFamily = (typeof BOARD_FAMILIES)[number];

/** Whose board a family is. */
export const HOLDERS_OF: Readonly<Record<BoardFamily, HolderKind>> = {
  'persons-by-area': 'person',
  'persons-by-organization': 'person',
  'persons-by-tier': 'person',
  'organizations-by-kind': 'organization',
  'organizations-by-area': 'organization',
};

export interface Board {
  readonly family: BoardFamily;
  /** A jurisdiction code, an organization id, a tier or an organization kind. */
  readonly subject: string;
}

export interface BoardScope {
  readonly year: number;
  /** Null for the year's board; a campaign's board counts only that campaign's credits. */
  readonly campaignId: string | null;
}

/** What of a ledger entry decides the boards it touches. */
export interface EntryFootprint {
  readonly jurisdictionPath: readonly string[];
  readonly organizationIds: readonly string[];
  readonly tier: Tier | null;
  readonly campaignId: string | null;
}

/** One holder's score on one board of one scope. */
export interface Placement {
  readonly scope: BoardScope;
  readonly board: Board;
  /** The participant or organization id. */
  readonly member: string;
  readonly score: Hundredths;
}

/** What a holder's ledger says: its entries' footprints and its balances. */
export interface HolderStanding {
  readonly holder: HolderRef;
  readonly year: number;
  readonly footprints: readonly EntryFootprint[];
  /** The organization's kind, from registration; null for persons or when registration does not know it. */
  readonly organizationKind: OrganizationKind | null;
  readonly yearBalance: Hundredths;
  /** The balance within each campaign the holder has entries of; absent campaigns count 0. */
  readonly campaignBalances: ReadonlyMap<string, Hundredths>;
}

/** Ids and codes as keys may hold them; a well-formed code of no board simply has no members. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const isFamily = (text: string): text is BoardFamily =>
  (BOARD_FAMILIES as readonly string[]).includes(text);

/** Whether `subject` can name a board of `family` at all (a tier for tiers, a kind for kinds). */
function subjectFits(family: BoardFamily, subject: string): boolean {
  switch (family) {
    case 'persons-by-area':
    case 'organizations-by-area':
    case 'persons-by-organization':
      return ID.test(subject);
    case 'persons-by-tier':
      return (TIERS as readonly string[]).includes(subject);
    case 'organizations-by-kind':
      return (ORGANIZATION_KINDS as readonly string[]).includes(subject);
  }
}

/** The board `family/subject` names, or null when no board could have that name. */
export function boardNamed(family: string, subject: string): Board | null {
  return isFamily(family) && subjectFits(family, subject) ? { family, subject } : null;
}

/** `persons-by-area/330281000000`: how a board is named in paths and queries. */
export const boardName = (board: Board): string => `${board.family}/${board.subject}`;

/** The key parts of a board within a scope, the same for the live board and its rebuild. */
export const boardKeyParts = (scope: BoardScope, board: Board): string[] => [
  scope.campaignId === null ? 'year' : `campaign-${scope.campaignId}`,
  board.family,
  board.subject,
];

/** The boards one entry of `holder` touches. */
export function boardsOfEntry(
  holder: HolderRef,
  footprint: EntryFootprint,
  organizationKind: OrganizationKind | null,
): Board[] {
  const areas = (family: BoardFamily): Board[] =>
    footprint.jurisdictionPath.map((code) => ({ family, subject: code }));
  if (holder.kind === 'organization')
    return [
      ...areas('organizations-by-area'),
      ...(organizationKind === null
        ? []
        : [{ family: 'organizations-by-kind' as const, subject: organizationKind }]),
    ];
  return [
    ...areas('persons-by-area'),
    ...footprint.organizationIds.map((id) => ({
      family: 'persons-by-organization' as const,
      subject: id,
    })),
    ...(footprint.tier === null
      ? []
      : [{ family: 'persons-by-tier' as const, subject: footprint.tier }]),
  ];
}

/**
 * Every board the holder stands on, once each, with the balance of its
 * scope: the year's boards from all entries, a campaign's from its entries.
 */
export function placementsOf(standing: HolderStanding): Placement[] {
  const { holder, footprints, organizationKind } = standing;
  const placements = new Map<string, Placement>();
  const place = (scope: BoardScope, board: Board, score: Hundredths): void => {
    const key = boardKeyParts(scope, board).join('/');
    if (!placements.has(key)) placements.set(key, { scope, board, member: holder.id, score });
  };
  const yearScope: BoardScope = { year: standing.year, campaignId: null };
  for (const footprint of footprints) {
    const boards = boardsOfEntry(holder, footprint, organizationKind);
    for (const board of boards) place(yearScope, board, standing.yearBalance);
    if (footprint.campaignId !== null) {
      const scope = { year: standing.year, campaignId: footprint.campaignId };
      const score = standing.campaignBalances.get(footprint.campaignId) ?? 0;
      for (const board of boards) place(scope, board, score);
    }
  }
  return [...placements.values()];
}

/** A holder whose credits were all reversed leaves the board rather than rank last with 0. */
export const isRanked = (score: Hundredths): boolean => score > 0;

/**
 * Competition ranks ("1, 2, 2, 4") of a page of scores in descending order:
 * `above` is how many holders of the board score more than the page's first.
 */
export function ranksWithTies(
  scores: readonly Hundredths[],
  offset: number,
  above: number,
): number[] {
  const ranks: number[] = [];
  scores.forEach((score, index) => {
    const previous = scores[index - 1];
    ranks.push(
      index === 0 ? above + 1 : score === previous ? (ranks[index - 1] ?? 0) : offset + index + 1,
    );
  });
  return ranks;
}

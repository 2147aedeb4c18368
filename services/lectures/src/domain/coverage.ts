/**
 * Coverage of city and countryside (覆盖全市城乡, §5.2): the figures the office
 * watches per township or street, computed from plain counts.
 *
 * What counts: a session that is scheduled or held, never a cancelled one,
 * by the instant it starts. A scheduled session later in the year counts in
 * the year's report (the programme as planned); a gap closes only when a
 * session has taken place, i.e. started, and was not cancelled. Quarters and
 * months are the city's calendar (China time, UTC+8 without daylight saving).
 */
import {
  CHINA_OFFSET_MS,
  CONTENT_CATEGORIES,
  DAY_MS,
  invalid,
  type ContentCategory,
  type JurisdictionLevel,
} from '@learning/domain';
import type { TravelRadius } from './experts.js';
import type { VenueSetting } from './sessions.js';

export const QUARTERS = [1, 2, 3, 4] as const;
export type Quarter = (typeof QUARTERS)[number];

/** The statuses a coverage figure counts: everything but cancelled. */
export const COUNTED_STATUSES = ['scheduled', 'held'] as const;
export type CountedStatus = (typeof COUNTED_STATUSES)[number];

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
export const MAX_LOOK_BACK_MONTHS = 120;
export const MAX_SUGGESTIONS = 100;

export const COVERAGE_YEAR_INVALID = 'COVERAGE_YEAR_INVALID';
export const COVERAGE_MONTHS_INVALID = 'COVERAGE_MONTHS_INVALID';
export const COVERAGE_LIMIT_INVALID = 'COVERAGE_LIMIT_INVALID';

export function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    throw invalid(COVERAGE_YEAR_INVALID, `The year must be from ${MIN_YEAR} to ${MAX_YEAR}.`);
}

export function assertLookBack(months: number): void {
  if (!Number.isInteger(months) || months < 1 || months > MAX_LOOK_BACK_MONTHS)
    throw invalid(
      COVERAGE_MONTHS_INVALID,
      `The look-back must be whole months, from 1 to ${MAX_LOOK_BACK_MONTHS}.`,
    );
}

export function assertSuggestionLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUGGESTIONS)
    throw invalid(
      COVERAGE_LIMIT_INVALID,
      `The number of suggestions must be from 1 to ${MAX_SUGGESTIONS}.`,
    );
}

const chinaInstant = (year: number, monthIndex: number): Date =>
  new Date(Date.UTC(year, monthIndex, 1) - CHINA_OFFSET_MS);

/**
 * The instants the city's quarters of `year` begin, then the next year's
 * first instant: Q1 is [b[0], b[1]), …, Q4 is [b[3], b[4]).
 */
export function quarterBoundaries(year: number): readonly [Date, Date, Date, Date, Date] {
  assertYear(year);
  return [
    chinaInstant(year, 0),
    chinaInstant(year, 3),
    chinaInstant(year, 6),
    chinaInstant(year, 9),
    chinaInstant(year + 1, 0),
  ];
}

/**
 * The instants the city's months of `year` begin, then the next year's
 * first instant: month m (1–12) is [b[m − 1], b[m]).
 */
export function monthBoundaries(year: number): readonly Date[] {
  assertYear(year);
  return Array.from({ length: 13 }, (_, monthIndex) => chinaInstant(year, monthIndex));
}

/** The year and quarter in China at `instant`. */
export function quarterOf(instant: Date): { year: number; quarter: Quarter } {
  const local = new Date(instant.getTime() + CHINA_OFFSET_MS);
  return {
    year: local.getUTCFullYear(),
    quarter: (Math.floor(local.getUTCMonth() / 3) + 1) as Quarter,
  };
}

const daysIn = (year: number, monthIndex: number): number =>
  new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();

/**
 * The same China wall-clock time `months` calendar months before `instant`;
 * a day the earlier month lacks becomes its last (31 August less six months
 * is 28 or 29 February).
 */
export function monthsBefore(instant: Date, months: number): Date {
  assertLookBack(months);
  const local = new Date(instant.getTime() + CHINA_OFFSET_MS);
  const year = local.getUTCFullYear();
  const monthIndex = local.getUTCMonth() - months;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const day = Math.min(local.getUTCDate(), daysIn(targetYear, targetMonth));
  const timeOfDay = local.getTime() % DAY_MS;
  return new Date(Date.UTC(targetYear, targetMonth, day) + timeOfDay - CHINA_OFFSET_MS);
}

/**
 * A township (乡镇) is countryside, a street (街道) is city: the setting of a
 * venue is the level of its township-rank node. Null below that rank.
 */
export function settingOfLevel(level: JurisdictionLevel): VenueSetting | null {
  if (level === 'township') return 'countryside';
  if (level === 'street') return 'city';
  return null;
}

/** Sessions of one township in one quarter with one status and venue setting (a grouped row). */
export interface SessionCount {
  readonly townshipCode: string;
  readonly quarter: Quarter;
  readonly status: CountedStatus;
  readonly setting: VenueSetting;
  readonly sessions: number;
}

/** Sessions of one township in one month (1–12) with one status (a grouped row). */
export interface MonthSessionCount {
  readonly month: number;
  readonly status: CountedStatus;
  readonly sessions: number;
}

/** A township's lecture year as other services count it (scoring's area assessment). */
export interface TownshipYear {
  /** Scheduled and held together. */
  readonly sessions: number;
  readonly heldSessions: number;
  /** The months with at least one session, ascending. */
  readonly monthsCovered: number[];
}

export function townshipYear(rows: readonly MonthSessionCount[]): TownshipYear {
  let sessions = 0;
  let heldSessions = 0;
  const months = new Set<number>();
  for (const row of rows) {
    if (row.sessions <= 0) continue;
    sessions += row.sessions;
    if (row.status === 'held') heldSessions += row.sessions;
    months.add(row.month);
  }
  return { sessions, heldSessions, monthsCovered: [...months].sort((a, b) => a - b) };
}

/** Attendance recorded in one township in one quarter. */
export interface AttendanceCount {
  readonly townshipCode: string;
  readonly quarter: Quarter;
  readonly attendance: number;
}

export interface Figures {
  /** Held and scheduled together. */
  readonly sessions: number;
  readonly held: number;
  readonly scheduled: number;
  readonly attendance: number;
}

export interface QuarterFigures extends Figures {
  readonly quarter: Quarter;
}

export interface TownshipFigures extends Figures {
  readonly townshipCode: string;
  readonly quarters: readonly QuarterFigures[];
}

export interface RuralShare {
  readonly sessions: number;
  readonly countrysideSessions: number;
  /** countryside / all, to four decimals; null when there is no session to share. */
  readonly share: number | null;
}

export interface CoverageGrid {
  /** In the order of the townships given, each with its four quarters. */
  readonly townships: readonly TownshipFigures[];
  readonly totals: Figures & { readonly quarters: readonly QuarterFigures[] };
  readonly townshipsWithoutSessions: readonly string[];
  readonly ruralShare: RuralShare;
}

export function ruralShare(countrysideSessions: number, sessions: number): RuralShare {
  return {
    sessions,
    countrysideSessions,
    share: sessions === 0 ? null : Math.round((countrysideSessions / sessions) * 10_000) / 10_000,
  };
}

interface MutableFigures {
  held: number;
  scheduled: number;
  attendance: number;
}

const empty = (): MutableFigures => ({ held: 0, scheduled: 0, attendance: 0 });
const frozen = (figures: MutableFigures): Figures => ({
  sessions: figures.held + figures.scheduled,
  held: figures.held,
  scheduled: figures.scheduled,
  attendance: figures.attendance,
});

/**
 * Every township of `townshipCodes` by quarter, zeros where nothing
 * happened; rows for other townships are left out (they are outside what
 * was asked). The rural share is over the same sessions.
 */
export function coverageGrid(
  townshipCodes: readonly string[],
  sessions: readonly SessionCount[],
  attendance: readonly AttendanceCount[],
): CoverageGrid {
  const cells = new Map<string, MutableFigures[]>(
    townshipCodes.map((code) => [code, QUARTERS.map(empty)]),
  );
  let countryside = 0;
  for (const row of sessions) {
    const cell = cells.get(row.townshipCode)?.[row.quarter - 1];
    if (cell === undefined) continue;
    cell[row.status] += row.sessions;
    if (row.setting === 'countryside') countryside += row.sessions;
  }
  for (const row of attendance) {
    const cell = cells.get(row.townshipCode)?.[row.quarter - 1];
    if (cell !== undefined) cell.attendance += row.attendance;
  }
  const totalQuarters = QUARTERS.map(empty);
  const townships = [...cells].map(([townshipCode, quarters]) => {
    const sum = empty();
    quarters.forEach((cell, index) => {
      const total = totalQuarters[index] as MutableFigures;
      for (const key of ['held', 'scheduled', 'attendance'] as const) {
        sum[key] += cell[key];
        total[key] += cell[key];
      }
    });
    return {
      townshipCode,
      ...frozen(sum),
      quarters: quarters.map((cell, index) => ({
        quarter: QUARTERS[index] as Quarter,
        ...frozen(cell),
      })),
    };
  });
  const grand = empty();
  for (const total of totalQuarters)
    for (const key of ['held', 'scheduled', 'attendance'] as const) grand[key] += total[key];
  const totals = frozen(grand);
  return {
    townships,
    totals: {
      ...totals,
      quarters: totalQuarters.map((cell, index) => ({
        quarter: QUARTERS[index] as Quarter,
        ...frozen(cell),
      })),
    },
    townshipsWithoutSessions: townships
      .filter((township) => township.sessions === 0)
      .map((township) => township.townshipCode),
    ruralShare: ruralShare(countryside, totals.sessions),
  };
}

/** Sessions of one forum at venues of one setting (a grouped row). */
export interface ForumSessionCount {
  readonly forumId: string;
  readonly setting: VenueSetting;
  readonly sessions: number;
}

export interface ForumRuralShare extends RuralShare {
  readonly forumId: string;
}

/**
 * The rural share of each forum in `forumIds`, in that order, a forum
 * without sessions with a null share; rows of other forums are left out.
 */
export function ruralSharesByForum(
  forumIds: readonly string[],
  rows: readonly ForumSessionCount[],
): ForumRuralShare[] {
  const counts = new Map<string, { all: number; countryside: number }>(
    forumIds.map((id) => [id, { all: 0, countryside: 0 }]),
  );
  for (const row of rows) {
    const count = counts.get(row.forumId);
    if (count === undefined) continue;
    count.all += row.sessions;
    if (row.setting === 'countryside') count.countryside += row.sessions;
  }
  return [...counts].map(([forumId, count]) => ({
    forumId,
    ...ruralShare(count.countryside, count.all),
  }));
}

/** What is known of a township's sessions around now. */
export interface TownshipSessions {
  readonly townshipCode: string;
  /** The latest session that has started and was not cancelled; null when none ever did. */
  readonly lastSessionAt: Date | null;
}

/** A township had no session in the look-back when its last one started at or before the cutoff. */
export const isGap = (lastSessionAt: Date | null, cutoff: Date): boolean =>
  lastSessionAt === null || lastSessionAt.getTime() <= cutoff.getTime();

/**
 * The townships with no session since `cutoff`, longest uncovered first
 * (never covered before all), then by code.
 */
export function coverageGaps<T extends TownshipSessions>(
  townships: readonly T[],
  cutoff: Date,
): T[] {
  return townships
    .filter((township) => isGap(township.lastSessionAt, cutoff))
    .sort(
      (a, b) =>
        (a.lastSessionAt?.getTime() ?? Number.NEGATIVE_INFINITY) -
          (b.lastSessionAt?.getTime() ?? Number.NEGATIVE_INFINITY) ||
        a.townshipCode.localeCompare(b.townshipCode),
    );
}

/**
 * One gap is one township after one last session: the same gap found again
 * (a rerun, a second replica) has the same identity, and a later gap, after
 * a session there closed the first, has another.
 */
export const gapIdentity = (townshipCode: string, lastSessionAt: Date | null): string =>
  `${townshipCode}@${lastSessionAt === null ? 'never' : lastSessionAt.toISOString()}`;

/** Sessions per content category; a category never had is absent or zero. */
export type CategoryCounts = Partial<Record<ContentCategory, number>>;

/**
 * The categories a township has had least of: those at the lowest count,
 * absent ones counting zero, so a township that never had a session wants
 * all four.
 */
export function leastCoveredCategories(counts: CategoryCounts): ContentCategory[] {
  const fewest = Math.min(...CONTENT_CATEGORIES.map((category) => counts[category] ?? 0));
  return CONTENT_CATEGORIES.filter((category) => (counts[category] ?? 0) === fewest);
}

/** A city-radius expert lectures only in the streets; a countryside one anywhere. */
export const mayTravelTo = (radius: TravelRadius, setting: VenueSetting): boolean =>
  setting === 'city' || radius === 'countryside';

export interface ExpertLoad {
  readonly expertId: string;
  readonly fields: readonly ContentCategory[];
  readonly travelRadius: TravelRadius;
  /** Sessions that started in the idle look-back (not cancelled). */
  readonly recentSessions: number;
  /** Sessions not started yet (not cancelled). */
  readonly upcomingSessions: number;
}

/** Idle: no session in the look-back and none coming. */
export const isIdle = (expert: ExpertLoad): boolean =>
  expert.recentSessions === 0 && expert.upcomingSessions === 0;

export interface UncoveredTownship {
  readonly townshipCode: string;
  readonly setting: VenueSetting;
  readonly lastSessionAt: Date | null;
  readonly wantedCategories: readonly ContentCategory[];
}

export interface Pairing<E extends ExpertLoad, T extends UncoveredTownship> {
  readonly rank: number;
  readonly township: T;
  readonly expert: E;
  readonly idle: boolean;
  /** The expert's fields among the township's wanted categories (at least one). */
  readonly matchedFields: readonly ContentCategory[];
}

export interface PairingSuggestions<E extends ExpertLoad, T extends UncoveredTownship> {
  readonly pairings: readonly Pairing<E, T>[];
  /** Townships considered for which no expert left fits by field and radius. */
  readonly unmatched: readonly T[];
}

const load = (expert: ExpertLoad): number => expert.recentSessions + expert.upcomingSessions;

/**
 * Pairs experts with uncovered townships, each expert and each township at
 * most once, up to `limit` pairs. Townships go longest uncovered first (as
 * `coverageGaps` orders them); each takes, among the experts left who may
 * travel there and lecture in a category it wants, the idle one first, then
 * the least busy, then (for a street) one who travels only in the city, so a
 * countryside expert stays free for a township, then the one matching more
 * wanted categories, then by id.
 */
export function suggestPairings<E extends ExpertLoad, T extends UncoveredTownship>(
  townships: readonly T[],
  experts: readonly E[],
  limit: number,
): PairingSuggestions<E, T> {
  assertSuggestionLimit(limit);
  const free = new Set(experts);
  const pairings: Pairing<E, T>[] = [];
  const unmatched: T[] = [];
  for (const township of townships) {
    if (pairings.length === limit) break;
    let best: { expert: E; matched: ContentCategory[]; key: readonly number[] } | undefined;
    for (const expert of free) {
      if (!mayTravelTo(expert.travelRadius, township.setting)) continue;
      const matched = township.wantedCategories.filter((category) =>
        expert.fields.includes(category),
      );
      if (matched.length === 0) continue;
      const key = [
        isIdle(expert) ? 0 : 1,
        load(expert),
        township.setting === 'city' && expert.travelRadius === 'countryside' ? 1 : 0,
        -matched.length,
      ];
      if (best === undefined || precedes(key, expert.expertId, best.key, best.expert.expertId))
        best = { expert, matched, key };
    }
    if (best === undefined) {
      unmatched.push(township);
      continue;
    }
    free.delete(best.expert);
    pairings.push({
      rank: pairings.length + 1,
      township,
      expert: best.expert,
      idle: isIdle(best.expert),
      matchedFields: best.matched,
    });
  }
  return { pairings, unmatched };
}

function precedes(key: readonly number[], id: string, other: readonly number[], otherId: string) {
  for (let i = 0; i < key.length; i += 1) {
    const difference = (key[i] ?? 0) - (other[i] ?? 0);
    if (difference !== 0) return difference < 0;
  }
  return id < otherId;
}

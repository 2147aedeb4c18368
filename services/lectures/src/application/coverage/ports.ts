/**
 * What coverage reads and keeps. It reads the collections other slices write
 * (sessions, attendance, experts, forums, series) only through these counts,
 * each one grouped by the store, and keeps one thing of its own: the gaps
 * already reported.
 */
import type { ContentCategory } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type {
  AttendanceCount,
  CategoryCounts,
  ForumSessionCount,
  MonthSessionCount,
  SessionCount,
} from '../../domain/coverage.js';
import type { TravelRadius } from '../../domain/experts.js';

/** A township's sessions around an instant: the last that started, the next to start. */
export interface TownshipHistory {
  readonly lastSessionAt: Date | null;
  readonly nextSessionAt: Date | null;
}

export interface CoverageFigures {
  /**
   * Counted sessions (scheduled or held) in `townshipCodes` (null: the whole
   * city) starting in [boundaries[0], boundaries[4]), grouped by township,
   * quarter (by the boundaries), status and venue setting.
   */
  sessionsByQuarter(
    townshipCodes: readonly string[] | null,
    boundaries: readonly Date[],
  ): Promise<SessionCount[]>;
  /** Attendance recorded in `townshipCodes` (null: the whole city) in the same span, by township and quarter. */
  attendanceByQuarter(
    townshipCodes: readonly string[] | null,
    boundaries: readonly Date[],
  ): Promise<AttendanceCount[]>;
  /** The townships among `townshipCodes` with a counted session started in (since, now]. */
  coveredSince(townshipCodes: readonly string[], since: Date, now: Date): Promise<Set<string>>;
  /** For each of `townshipCodes`: its last counted session started by `now`, its next after. */
  historyOf(
    townshipCodes: readonly string[],
    now: Date,
  ): Promise<ReadonlyMap<string, TownshipHistory>>;
  /** Counted sessions started by `now` in each of `townshipCodes`, per content category. */
  categoriesHad(
    townshipCodes: readonly string[],
    now: Date,
  ): Promise<ReadonlyMap<string, CategoryCounts>>;
  /**
   * Counted sessions of `forumIds` starting in [from, to) per forum and venue
   * setting; within the subtrees of `roots` when given, the whole city when null.
   */
  sessionsByForum(
    forumIds: readonly string[],
    from: Date,
    to: Date,
    roots: readonly string[] | null,
  ): Promise<ForumSessionCount[]>;
}

/** One township's year, for another service: two counts on the township's indexed fields. */
export interface TownshipYearFigures {
  /** Counted sessions in the township starting in [boundaries[0], boundaries[12]), by month and status. */
  sessionsByMonth(townshipCode: string, boundaries: readonly Date[]): Promise<MonthSessionCount[]>;
  /** Attendance recorded in the township in the same span. */
  attendanceIn(townshipCode: string, from: Date, to: Date): Promise<number>;
}

export interface ExpertProfile {
  readonly expertId: string;
  readonly displayName: string;
  readonly title: string;
  readonly fields: readonly ContentCategory[];
  readonly travelRadius: TravelRadius;
}

export interface SpeakerLoad {
  /** Counted sessions started in (since, now]. */
  readonly recent: number;
  /** Counted sessions starting after now. */
  readonly upcoming: number;
}

export interface ExpertPool {
  /** Every active expert lecturing in one of `fields` (public profile only, no contact data). */
  activeIn(fields: readonly ContentCategory[]): Promise<ExpertProfile[]>;
  /** Counted sessions per speaker that ended after `since`, split at `now`. */
  loadSince(since: Date, now: Date): Promise<ReadonlyMap<string, SpeakerLoad>>;
}

export interface ForumSummary {
  readonly id: string;
  readonly name: string;
  readonly status: string;
}

export interface Catalogue {
  /** Every forum, by name. */
  forums(): Promise<ForumSummary[]>;
  /** The departments that run a lecture series, the oldest series' first. */
  seriesDepartments(): Promise<string[]>;
}

/** A gap as reported: one township after one last session (`gapIdentity`). */
export interface ReportedGap {
  readonly id: string;
  readonly townshipCode: string;
  readonly jurisdictionPath: readonly string[];
  readonly months: number;
  readonly lastSessionAt: Date | null;
  readonly detectedAt: Date;
}

export interface GapStore {
  /** The gaps still open in the subtree of `rootCode`. */
  openUnder(rootCode: string): Promise<ReportedGap[]>;
  /** Closes the open gaps among `ids`; answers how many it closed. */
  close(ids: readonly string[], closedAt: Date): Promise<number>;
  /**
   * Stores each gap not stored before, open, with its events; a gap already
   * stored (open or closed) is left as it is. Answers how many were new.
   */
  report(gaps: readonly (ReportedGap & { events: readonly OutboxEntry[] })[]): Promise<number>;
}

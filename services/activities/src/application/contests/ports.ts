/**
 * The ports the contests slice is stored through. Every repository method
 * takes the Scope the caller reaches; a document outside it reads as absent.
 */
import type { AttachmentRef } from '@learning/attachments';
import type { AuditTrail } from '@learning/audit';
import type { AgeBand, CalendarDate, ContentCategory, OrganizationKind } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';
import type { ContestStatus, Criterion, EntryWindow } from '../../domain/contests.js';

/** An entry's file: the entry keeps its reference, the bytes are in the attachment store. */
export type {
  AttachmentRef,
  AttachmentStore,
  AttachmentUpload,
  StoredAttachment,
} from '@learning/attachments';

/** What every use case that writes needs beside its stores. */
export interface WriteDeps {
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

/** Who runs the contest, as the organizer names it: a learning organization or a city department. */
export interface OrganizerRef {
  readonly kind: 'organization' | 'department';
  readonly id: string;
}

/** The organizer as stored: an organization with its kind, as registration holds it. */
export type Organizer =
  | {
      readonly kind: 'organization';
      readonly id: string;
      readonly organizationKind: OrganizationKind;
    }
  | { readonly kind: 'department'; readonly id: string };

export interface PanelJudge {
  /** The expert's subject. */
  readonly judgeId: string;
  /** Organizations the judge belongs to: their entries are never the judge's to score. */
  readonly organizations: readonly string[];
}

export interface StoredRanking {
  readonly entryId: string;
  readonly participantId: string;
  readonly rank: number;
  readonly average: number;
  readonly scorecards: number;
}

export interface StoredContest {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly organizer: Organizer;
  /**
   * Code of the department its events route to: the organizing department,
   * or the organizing organization's lead department.
   */
  readonly leadDepartment: string;
  /** Codes from the city down to the contest's jurisdiction node. */
  readonly jurisdictionPath: readonly string[];
  readonly entryWindow: EntryWindow;
  readonly ageBand: AgeBand;
  readonly ageReferenceDate: CalendarDate;
  readonly rubric: readonly Criterion[];
  readonly judgesPerEntry: number;
  readonly judges: readonly PanelJudge[];
  readonly campaignId: string | null;
  /** What the contest is about (scoring credits a placing in these); none for older contests. */
  readonly categories: readonly ContentCategory[];
  readonly status: ContestStatus;
  /** In rank order; null until published. */
  readonly results: readonly StoredRanking[] | null;
  readonly publishedAt: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface NewContest extends Omit<StoredContest, 'version'> {
  readonly events: readonly OutboxEntry[];
}

/** A change applied only if the contest is still at `expectedVersion`. */
export interface ContestChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly judges?: readonly PanelJudge[];
  readonly entryWindow?: EntryWindow;
  readonly publication?: { readonly results: readonly StoredRanking[]; readonly publishedAt: Date };
  readonly events: readonly OutboxEntry[];
}

/** Where a contest stands for the public: taking entries at `at`, or with its results out. */
export type ContestStage =
  { readonly kind: 'entries_open'; readonly at: Date } | { readonly kind: 'results_published' };

export interface ContestQuery {
  /** Only contests run by one of these organizers (organization ids or department codes). */
  readonly organizerIds?: readonly string[];
  readonly stage?: ContestStage;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface ContestRepository {
  get(scope: Scope, id: string): Promise<StoredContest | null>;
  create(scope: Scope, contest: NewContest): Promise<StoredContest>;
  /** Fails with VERSION_CONFLICT when changed meanwhile, CONTEST_NOT_FOUND outside `scope`. */
  change(scope: Scope, change: ContestChange): Promise<StoredContest>;
  list(scope: Scope, query: ContestQuery): Promise<Page<StoredContest>>;
}

export interface StoredScorecard {
  readonly judgeId: string;
  readonly points: Readonly<Record<string, number>>;
  readonly weightedTotal: number;
  readonly scoredAt: Date;
}

export interface StoredEntry {
  readonly id: string;
  readonly contestId: string;
  readonly participantId: string;
  /** The contest's jurisdiction path, so area officers' scopes apply to entries too. */
  readonly jurisdictionPath: readonly string[];
  /** The school or organization the entry comes from, as the entrant declared it. */
  readonly organizationId: string | null;
  /** The birth date the age band was checked against: registration's (from the ID number) when it has one, else as typed. */
  readonly birthDate: CalendarDate;
  readonly text: string;
  readonly attachment: AttachmentRef | null;
  /** Ids of the judges assigned to score it. */
  readonly judges: readonly string[];
  readonly scorecards: readonly StoredScorecard[];
  readonly submittedAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface NewEntry extends Omit<StoredEntry, 'version'> {
  readonly events: readonly OutboxEntry[];
}

export interface EntryQuery {
  readonly contestId: string;
  /** Only the entries assigned to this judge. */
  readonly judgeId?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface EntryRepository {
  get(scope: Scope, contestId: string, entryId: string): Promise<StoredEntry | null>;
  findOf(contestId: string, participantId: string): Promise<StoredEntry | null>;
  /** Fails with CONTEST_ENTRY_ALREADY_EXISTS when the participant has entered this contest. */
  create(scope: Scope, entry: NewEntry): Promise<StoredEntry>;
  list(scope: Scope, query: EntryQuery): Promise<Page<StoredEntry>>;
  /** Every entry of the contest, page by page. */
  all(scope: Scope, contestId: string): AsyncIterable<StoredEntry[]>;
  /**
   * Sets the judges of an entry still at `expectedVersion`, or, without one,
   * only while it has none (a bulk assignment never overrides a manual one).
   * Returns null when that condition no longer holds.
   */
  assign(
    scope: Scope,
    change: {
      readonly contestId: string;
      readonly entryId: string;
      readonly expectedVersion?: number;
      readonly judges: readonly string[];
      readonly updatedAt: Date;
      readonly events: readonly OutboxEntry[];
    },
  ): Promise<StoredEntry | null>;
  /** Adds a scorecard unless the judge has one on the entry already (then null). */
  addScorecard(
    scope: Scope,
    change: {
      readonly contestId: string;
      readonly entryId: string;
      readonly scorecard: StoredScorecard;
      readonly events: readonly OutboxEntry[];
    },
  ): Promise<StoredEntry | null>;
}

/**
 * What the library slice stores and asks: lessons, learners' progress, the
 * sessions and forums it reads (other slices own them), and the public pages
 * it drops when a lesson changes.
 */
import { CITY_WIDE_PATH } from '@learning/auth';
import type { ContentCategory, Tier } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { LessonKind, LessonStatus } from '../../domain/lessons.js';
import type { Progress } from '../../domain/progress.js';

export interface LessonFields {
  readonly title: string;
  readonly description: string;
  readonly categories: readonly ContentCategory[];
  readonly targetTiers: readonly Tier[];
  readonly lengthSeconds: number;
  readonly requiredShare: number;
  readonly contentUrl: string;
}

export interface StoredLesson extends LessonFields {
  readonly id: string;
  readonly kind: LessonKind;
  /** The held session this lesson records, if it is a recording. */
  readonly sourceSessionId: string | null;
  /** The forum of that session: its managers manage the lesson too. */
  readonly forumId: string | null;
  readonly leadDepartment: string;
  readonly status: LessonStatus;
  readonly publishedAt: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface NewLesson extends Omit<StoredLesson, 'version'> {
  /** Its audit record, written with it. */
  readonly events: readonly OutboxEntry[];
}

export interface LessonChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly fields?: Partial<LessonFields>;
  readonly status?: LessonStatus;
  readonly publishedAt?: Date;
  readonly events: readonly OutboxEntry[];
}

export interface LessonPage {
  readonly items: StoredLesson[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

/** The office's and managers' list: newest first. */
export interface LessonQuery {
  readonly status?: LessonStatus;
  /** Only these departments' lessons or these forums' recordings (a reach); absent: all. */
  readonly reach?: { readonly leadDepartment?: string; readonly forumIds?: readonly string[] };
  readonly pageSize: number;
  readonly pageToken?: string;
}

/** The public library: published lessons, newest first. */
export interface PublicLessonQuery {
  readonly kind?: LessonKind;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  /** Every gram must be among the lesson's (`@learning/search`). */
  readonly grams?: readonly string[];
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface LessonRepository {
  get(id: string): Promise<StoredLesson | null>;
  /** LESSON_ALREADY_EXISTS when the session's recording is a lesson already. */
  create(lesson: NewLesson): Promise<StoredLesson>;
  /** VERSION_CONFLICT when changed meanwhile, LESSON_NOT_FOUND when absent. */
  change(change: LessonChange): Promise<StoredLesson>;
  list(query: LessonQuery): Promise<LessonPage>;
  listPublic(query: PublicLessonQuery): Promise<LessonPage>;
}

/** A learner's progress through one lesson, as stored. */
export interface StoredProgress extends Progress {
  readonly lessonId: string;
  readonly learnerSubject: string;
  /** Registration's participant id, looked up at the first heartbeat. */
  readonly participantId: string;
  /** The learner's home from the city down, looked up with it. */
  readonly jurisdictionPath: readonly string[];
  readonly startedAt: Date;
}

export interface ProgressPage {
  readonly items: StoredProgress[];
  readonly nextPageToken: string | null;
}

export interface ProgressRepository {
  get(lessonId: string, learnerSubject: string): Promise<StoredProgress | null>;
  /** The first heartbeat's progress; false when one exists already (a racing first heartbeat). */
  start(progress: StoredProgress): Promise<boolean>;
  /**
   * Writes `next` only if the stored progress is still at `expectedSequence`,
   * with `events` in the same single-document write; null when it is not
   * (another heartbeat was accepted meanwhile).
   */
  advance(
    current: StoredProgress,
    next: Progress,
    updatedAt: Date,
    events: readonly OutboxEntry[],
  ): Promise<StoredProgress | null>;
  /** The learner's lessons, most recently active first. */
  listMine(learnerSubject: string, pageSize: number, pageToken?: string): Promise<ProgressPage>;
}

/** What the library reads of a session (the sessions slice owns them). */
export interface SessionFacts {
  readonly id: string;
  readonly forumId: string;
  readonly leadDepartment: string;
  readonly recording: { readonly url: string; readonly durationSeconds: number | null } | null;
}

export interface SessionReader {
  get(id: string): Promise<SessionFacts | null>;
}

export interface ForumManagers {
  /** Whether `subject` manages the forum. */
  manages(forumId: string, subject: string): Promise<boolean>;
  /** The forums `subject` manages. */
  forumsOf(subject: string): Promise<string[]>;
}

/** The public library's rendered pages, kept in a shared cache. */
export interface PublicLessonPages {
  through(key: string, render: () => Promise<string>): Promise<{ page: string; hit: boolean }>;
  /** Never fails the change it follows: a page not dropped expires on its own. */
  invalidate(): Promise<void>;
}

/** Where lessons and their audit records sit: the city level (`*`), read by city-wide readers. */
export const LESSON_PATH = CITY_WIDE_PATH;

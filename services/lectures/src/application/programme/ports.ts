/**
 * What the programme slice asks outside itself: the sessions (written by the
 * scheduling slice, read and annotated here), the forums and experts they
 * name, the files of their materials, and the shared cache of public pages.
 */
import type { AttachmentStore } from '@learning/attachments';
import type { ContentCategory, Tier } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { SessionStatus, VenueSetting } from '../../domain/sessions.js';
import type { SessionRecord } from '../session-summary.js';

export interface Material {
  readonly fileId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly publishedAt: Date;
}

export interface Recording {
  readonly url: string;
  readonly durationSeconds: number | null;
  readonly addedAt: Date;
}

/** A session as the programme reads it: the shared record with its public record and outcome. */
export interface ProgrammeSession extends SessionRecord {
  readonly materials: readonly Material[];
  readonly recording: Recording | null;
  readonly cancellation: { readonly reason: string; readonly cancelledAt: Date } | null;
  readonly heldAt: Date | null;
  readonly attendanceCount: number | null;
}

export interface SessionPage {
  readonly items: ProgrammeSession[];
  readonly nextPageToken: string | null;
}

/** The public programme's filters, as the store applies them. */
export interface ProgrammeQuery {
  /** Held at a venue in this node's subtree. */
  readonly jurisdictionCode?: string;
  /** Taking place at least partly within [from, to). */
  readonly from?: Date;
  readonly to?: Date;
  readonly forumId?: string;
  readonly tier?: Tier;
  readonly category?: ContentCategory;
  readonly setting?: VenueSetting;
  /** Every gram in the title or description. */
  readonly grams?: readonly string[];
  readonly statuses: readonly SessionStatus[];
  readonly pageSize: number;
  readonly pageToken?: string;
}

/** A place's programme for other services: sessions starting within [from, to). */
export interface StartingQuery {
  readonly jurisdictionCode: string;
  readonly from: Date;
  readonly to: Date;
  readonly statuses: readonly SessionStatus[];
  readonly pageSize: number;
  readonly pageToken?: string;
}

/** A speaker's sessions: not yet ended ones (earliest first) from `since`, or ended ones (latest first). */
export interface SpeakerQuery {
  readonly expertId: string;
  readonly period: 'upcoming' | 'past';
  readonly since: Date;
  readonly pageSize: number;
  readonly pageToken?: string;
}

/** One change to a session's public record, written only if the session is still at `expectedVersion`. */
export interface RecordChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly addMaterial?: Material;
  readonly removeFileId?: string;
  readonly recording?: Recording;
  /** The change's events and audit record, written with it. */
  readonly events: readonly OutboxEntry[];
}

export interface ProgrammeRepository {
  get(id: string): Promise<ProgrammeSession | null>;
  listPublic(query: ProgrammeQuery): Promise<SessionPage>;
  listStarting(query: StartingQuery): Promise<SessionPage>;
  listBySpeaker(query: SpeakerQuery): Promise<SessionPage>;
  /** VERSION_CONFLICT when the session changed since it was read. */
  changeRecord(change: RecordChange): Promise<ProgrammeSession>;
}

export interface ForumFacts {
  readonly id: string;
  readonly name: string;
  readonly managerSubjects: readonly string[];
}

/** What the programme prints of a speaker: experts are public speakers, their contacts are not. */
export interface SpeakerFacts {
  readonly id: string;
  readonly displayName: string;
  readonly title: string;
}

export interface ProgrammeDirectory {
  forums(ids: readonly string[]): Promise<ReadonlyMap<string, ForumFacts>>;
  speakers(ids: readonly string[]): Promise<ReadonlyMap<string, SpeakerFacts>>;
  /** The pool's expert whose account is `subject`; null when none. */
  expertIdOf(subject: string): Promise<string | null>;
}

/** Materials' files: the shared attachment store, and withdrawing a file. */
export interface MaterialFiles extends AttachmentStore {
  /** Deletes the file's bytes; an unknown reference is no error. */
  remove(fileRef: string): Promise<void>;
}

/** The public programme's rendered pages, shared by every replica. */
export interface ProgrammePages {
  through(key: string, render: () => Promise<string>): Promise<{ page: string; hit: boolean }>;
  /** Every cached page is no longer served; never fails (pages expire on their own). */
  invalidate(): Promise<void>;
}

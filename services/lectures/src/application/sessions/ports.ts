/**
 * What the sessions slice stores and reads: its sessions (the calendar the
 * clash checks read near a time, never whole), and the forums and experts
 * other slices keep, read-only here.
 */
import type { ContentCategory, Tier } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { CalendarEntry, ForumFacts, SpeakerFacts } from '../../domain/scheduling.js';
import type { SessionStatus } from '../../domain/sessions.js';
import type { SessionRecord, SessionVenue } from '../session-summary.js';

export type { SessionVenue };

export interface SessionCancellation {
  readonly reason: string;
  readonly cancelledBy: string;
  readonly cancelledAt: Date;
}

/** A session as scheduling reads it: the shared record, who made it and how it ended. */
export interface StoredSession extends SessionRecord {
  readonly cancellation: SessionCancellation | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A new session with its search grams, events and audit record, stored in one write. */
export interface NewSession extends Omit<StoredSession, 'version'> {
  readonly grams: readonly string[];
  readonly events: readonly OutboxEntry[];
}

/** What a reschedule or cancellation may set. */
export type SessionFields = Pick<
  StoredSession,
  | 'jurisdictionPath'
  | 'venue'
  | 'startsAt'
  | 'endsAt'
  | 'speakerIds'
  | 'capacity'
  | 'signUpOpensAt'
  | 'signUpClosesAt'
  | 'status'
  | 'cancellation'
>;

/** A change applied only if the session is still at `expectedVersion`. */
export interface SessionChange {
  readonly id: string;
  readonly expectedVersion: number;
  readonly updatedAt: Date;
  readonly set: Partial<SessionFields>;
  readonly events: readonly OutboxEntry[];
}

export interface SessionQuery {
  /** Only sessions of these forums; undefined: every forum. */
  readonly forumIds?: readonly string[];
  readonly status?: SessionStatus;
  /** Sessions starting in [from, to). */
  readonly from?: Date;
  readonly to?: Date;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface SessionPage {
  readonly items: StoredSession[];
  readonly nextPageToken: string | null;
}

/** The window of the calendar a check reads: sessions starting in [from, to). */
export interface CalendarWindow {
  readonly speakerIds: readonly string[];
  readonly venueId: string;
  readonly from: Date;
  readonly to: Date;
  /** The session being moved, which cannot clash with itself. */
  readonly excludeId?: string;
}

export interface SessionRepository {
  get(id: string): Promise<StoredSession | null>;
  create(session: NewSession): Promise<StoredSession>;
  /** VERSION_CONFLICT when it changed meanwhile; SESSION_NOT_FOUND when gone. */
  change(change: SessionChange): Promise<StoredSession>;
  list(query: SessionQuery): Promise<SessionPage>;
  /**
   * Scheduled sessions of any of the speakers, or at the venue, starting in
   * the window (through the speaker and venue indexes, never the whole calendar).
   */
  calendar(window: CalendarWindow): Promise<CalendarEntry[]>;
}

/** A forum as scheduling reads it, with the department that owns its series. */
export interface ForumRecord extends ForumFacts {
  readonly managerSubjects: readonly string[];
  readonly leadDepartment: string;
  /** The department that runs the forum's series: its officers are the office for it. */
  readonly ownerDepartment: string;
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
}

export interface ForumDirectory {
  find(id: string): Promise<ForumRecord | null>;
  /** Ids of the forums a person manages, or whose series their department runs. */
  reachedBy(subject: string, department: string | undefined): Promise<string[]>;
}

export interface ExpertDirectory {
  /** The pool's records among `ids`; ids not in the pool are absent. */
  find(ids: readonly string[]): Promise<ReadonlyMap<string, SpeakerFacts>>;
}

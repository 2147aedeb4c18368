/** What the inbox reads and writes besides the broadcasts (BroadcastInbox, in ../ports.ts). */
import type { InboxEntry, InboxPosition } from '../ports.js';

export interface PersonalInbox {
  /** Up to `limit` of the person's delivered inbox notices, newest first, older than `before`. */
  page(
    recipient: string,
    options: { readonly before?: InboxPosition; readonly limit: number },
  ): Promise<InboxEntry[]>;
  /** Whether this personal entry is the person's. */
  holds(recipient: string, entryId: string): Promise<boolean>;
}

export interface ReadMarks {
  /** Which of these entries the person has read (marked one by one, or before a read-all). */
  readAmong(recipient: string, entries: readonly InboxEntry[]): Promise<ReadonlySet<string>>;
  /** Marks one entry read; marking it again changes nothing. */
  mark(recipient: string, entryId: string, now: Date): Promise<void>;
  /** Marks read everything that reached the inbox by `now`. */
  markAllBefore(recipient: string, now: Date): Promise<void>;
}

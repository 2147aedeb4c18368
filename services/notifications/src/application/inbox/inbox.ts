/**
 * A person's inbox: their personal inbox notices merged with the broadcasts
 * that reached them, newest first (by time, then id), each with whether they
 * read it; the unread count; and marking read.
 */
import type { Principal } from '@learning/auth';
import type { BroadcastInbox, InboxEntry, InboxPosition, PreferenceReader } from '../ports.js';
import type { ResolveMe } from '../me.js';
import { entryNotFound } from './errors.js';
import type { PersonalInbox, ReadMarks } from './ports.js';

/** The unread count looks at this many newest entries; beyond them it says "at least". */
export const UNREAD_WINDOW = 100;
/** A broadcast can be marked read while it is among the person's newest this many. */
const BROADCAST_READ_WINDOW = 1_000;
const BROADCAST_READ_PAGE = 200;

export interface InboxItem extends InboxEntry {
  readonly read: boolean;
}

export interface InboxUseCases {
  page(
    principal: Principal,
    options: { readonly before?: InboxPosition; readonly limit: number },
  ): Promise<{ items: InboxItem[]; next: InboxPosition | null }>;
  unreadCount(principal: Principal): Promise<{ count: number; capped: boolean }>;
  markRead(principal: Principal, entryId: string): Promise<void>;
  markAllRead(principal: Principal): Promise<void>;
}

const newestFirst = (a: InboxEntry, b: InboxEntry): number =>
  b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function inboxUseCases(deps: {
  readonly me: ResolveMe;
  readonly personal: PersonalInbox;
  readonly broadcasts: BroadcastInbox;
  readonly preferences: PreferenceReader;
  readonly reads: ReadMarks;
  readonly clock: () => Date;
}): InboxUseCases {
  const { me, personal, broadcasts, reads, clock } = deps;

  async function merged(
    recipient: string,
    before: InboxPosition | undefined,
    limit: number,
  ): Promise<{ entries: InboxEntry[]; more: boolean }> {
    const language = (await deps.preferences.of([recipient])).get(recipient)?.language ?? 'zh-CN';
    const options = { ...(before === undefined ? {} : { before }), limit: limit + 1 };
    const [own, broadcast] = await Promise.all([
      personal.page(recipient, options),
      broadcasts.page(recipient, { ...options, language }),
    ]);
    const all = [...own, ...broadcast].sort(newestFirst);
    return { entries: all.slice(0, limit), more: all.length > limit };
  }

  return {
    async page(principal, { before, limit }) {
      const recipient = await me(principal);
      const { entries, more } = await merged(recipient, before, limit);
      const read = await reads.readAmong(recipient, entries);
      const last = entries.at(-1);
      return {
        items: entries.map((entry) => ({ ...entry, read: read.has(entry.id) })),
        next: more && last !== undefined ? { at: last.at, id: last.id } : null,
      };
    },
    async unreadCount(principal) {
      const recipient = await me(principal);
      const { entries, more } = await merged(recipient, undefined, UNREAD_WINDOW);
      const read = await reads.readAmong(recipient, entries);
      const count = entries.filter((entry) => !read.has(entry.id)).length;
      return { count, capped: more };
    },
    async markRead(principal, entryId) {
      const recipient = await me(principal);
      if (
        !(await personal.holds(recipient, entryId)) &&
        !(await reachedBroadcast(recipient, entryId))
      )
        throw entryNotFound();
      await reads.mark(recipient, entryId, clock());
    },
    async markAllRead(principal) {
      await reads.markAllBefore(await me(principal), clock());
    },
  };

  async function reachedBroadcast(recipient: string, entryId: string): Promise<boolean> {
    const language = (await deps.preferences.of([recipient])).get(recipient)?.language ?? 'zh-CN';
    let before: InboxPosition | undefined;
    for (let seen = 0; seen < BROADCAST_READ_WINDOW; seen += BROADCAST_READ_PAGE) {
      const page = await broadcasts.page(recipient, {
        ...(before === undefined ? {} : { before }),
        limit: BROADCAST_READ_PAGE,
        language,
      });
      if (page.some((entry) => entry.id === entryId)) return true;
      const last = page.at(-1);
      if (page.length < BROADCAST_READ_PAGE || last === undefined) return false;
      before = { at: last.at, id: last.id };
    }
    return false;
  }
}

import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { inboxUseCases } from '../../../src/application/inbox/inbox.js';
import type { PersonalInbox, ReadMarks } from '../../../src/application/inbox/ports.js';
import type { BroadcastInbox, InboxEntry, InboxPosition } from '../../../src/application/ports.js';
import { FixedPreferences } from './dispatch-fakes.js';

const entry = (id: string, source: InboxEntry['source'], minute: number): InboxEntry => ({
  id,
  source,
  kind: source === 'broadcast' ? 'announcement' : 'enrollment.confirmed',
  title: id,
  body: id,
  urgent: false,
  at: new Date(Date.UTC(2026, 11, 7, 0, minute)),
});

const older = (before: InboxPosition | undefined) => (item: InboxEntry) =>
  before === undefined ||
  item.at < before.at ||
  (item.at.getTime() === before.at.getTime() && item.id < before.id);

const newestFirst = (a: InboxEntry, b: InboxEntry) =>
  b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1);

class ListInbox implements PersonalInbox, BroadcastInbox {
  readonly languages: string[] = [];
  constructor(private readonly byRecipient: Record<string, InboxEntry[]>) {}
  async page(
    recipient: string,
    options: { before?: InboxPosition; limit: number; language?: string },
  ): Promise<InboxEntry[]> {
    if (options.language !== undefined) this.languages.push(options.language);
    return (this.byRecipient[recipient] ?? [])
      .filter(older(options.before))
      .sort(newestFirst)
      .slice(0, options.limit);
  }
  async holds(recipient: string, entryId: string): Promise<boolean> {
    return (this.byRecipient[recipient] ?? []).some((item) => item.id === entryId);
  }
}

class MemoryReads implements ReadMarks {
  readonly marks = new Set<string>();
  allBefore = new Map<string, Date>();
  async readAmong(recipient: string, entries: readonly InboxEntry[]) {
    const all = this.allBefore.get(recipient);
    return new Set(
      entries
        .filter(
          (item) =>
            this.marks.has(`${recipient}|${item.id}`) || (all !== undefined && item.at <= all),
        )
        .map((item) => item.id),
    );
  }
  async mark(recipient: string, entryId: string) {
    this.marks.add(`${recipient}|${entryId}`);
  }
  async markAllBefore(recipient: string, now: Date) {
    this.allBefore.set(recipient, now);
  }
}

const principal = (subject: string): Principal => ({
  subject,
  roles: ['participant'],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
});

function setup() {
  const personal = new ListInbox({
    p1: [entry('n1', 'personal', 1), entry('n3', 'personal', 3), entry('n5', 'personal', 5)],
    p2: [entry('x1', 'personal', 2)],
  });
  const broadcasts = new ListInbox({
    p1: [entry('b2', 'broadcast', 2), entry('b4', 'broadcast', 4)],
    p2: [],
  });
  const reads = new MemoryReads();
  const inbox = inboxUseCases({
    me: async ({ subject }) => subject,
    personal,
    broadcasts,
    preferences: new FixedPreferences(),
    reads,
    clock: () => new Date(Date.UTC(2026, 11, 7, 0, 10)),
  });
  return { inbox, reads, broadcasts };
}

describe('the inbox', () => {
  it('when pages are read, then personal notices and broadcasts interleave newest first without repeats', async () => {
    const { inbox, broadcasts } = setup();
    const first = await inbox.page(principal('p1'), { limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual(['n5', 'b4']);
    const second = await inbox.page(principal('p1'), {
      limit: 2,
      ...(first.next ? { before: first.next } : {}),
    });
    expect(second.items.map((item) => item.id)).toEqual(['n3', 'b2']);
    const third = await inbox.page(principal('p1'), {
      limit: 2,
      ...(second.next ? { before: second.next } : {}),
    });
    expect(third.items.map((item) => item.id)).toEqual(['n1']);
    expect(third.next).toBeNull();
    expect(new Set(broadcasts.languages)).toEqual(new Set(['zh-CN']));
  });

  it('when a broadcast that reached the person is read, then it counts as read; one that did not is 404', async () => {
    const { inbox } = setup();
    expect(await inbox.unreadCount(principal('p1'))).toEqual({ count: 5, capped: false });
    await inbox.markRead(principal('p1'), 'b4');
    expect(await inbox.unreadCount(principal('p1'))).toEqual({ count: 4, capped: false });
    const page = await inbox.page(principal('p1'), { limit: 5 });
    expect(page.items.filter((item) => item.read).map((item) => item.id)).toEqual(['b4']);

    await expect(inbox.markRead(principal('p2'), 'b4')).rejects.toMatchObject({
      code: 'INBOX_ENTRY_NOT_FOUND',
    });
    await expect(inbox.markRead(principal('p2'), 'n1')).rejects.toBeInstanceOf(AppError);
  });

  it('when everything is marked read, then nothing is unread', async () => {
    const { inbox } = setup();
    await inbox.markAllRead(principal('p1'));
    expect(await inbox.unreadCount(principal('p1'))).toEqual({ count: 0, capped: false });
  });
});

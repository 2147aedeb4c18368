/**
 * Hand-written fakes of the broadcast slice's ports and seams, in memory,
 * keeping the promises the Mongo adapters keep (a batch written once, a
 * channel finished once, the cursor moved only by the lease holder from
 * where it stood), so the fan-out's resume logic can be driven step by step.
 */
import type { OutboxEntry } from '@learning/events';
import type {
  Audience,
  AudienceCriteria,
  AudienceMember,
  Contact,
  Contacts,
} from '@learning/registration-client';
import type {
  Advance,
  Batch,
  BatchStore,
  Broadcast,
  BroadcastPage,
  BroadcastStore,
  ChannelOutcome,
  NewBroadcast,
  RenderedTexts,
} from '../../src/application/broadcasts/ports.js';
import type {
  ChannelGateway,
  Dispatcher,
  OutboundMessage,
  PreferenceReader,
  SendOutcome,
  TemplateRenderer,
} from '../../src/application/ports.js';
import type { DecideChannel, ExternalChannel } from '../../src/domain/broadcasts.js';
import {
  CHANNELS,
  kindSpecOf,
  type Channel,
  type NoticeRequest,
} from '../../src/domain/notices.js';
import type { Preferences } from '../../src/domain/preferences.js';

export const defaultPreferences: Preferences = {
  language: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  optOuts: [],
  quietHours: null,
  digest: 'off',
};

/** The preference rule reduced to what the plan needs: opt-outs, then quiet hours (held to `releaseAt`), then digest. */
export const fakeDecide =
  (releaseAt: Date): DecideChannel =>
  (preferences, notice, channel) => {
    const category = kindSpecOf(notice.kind).category;
    if (preferences.optOuts.some((out) => out.category === category && out.channel === channel))
      return { action: 'suppress', reason: 'opted_out' };
    if (preferences.quietHours !== null) return { action: 'hold', until: releaseAt };
    if (preferences.digest !== 'off') return { action: 'digest' };
    return { action: 'send' };
  };

/** Participant ids that sort as their numbers do. */
export const participantId = (n: number): string => `p${String(n).padStart(7, '0')}`;

export const members = (count: number): AudienceMember[] =>
  Array.from({ length: count }, (_, index) => ({
    id: participantId(index + 1),
    tier: 'ordinary_citizen',
    jurisdictionPath: ['330281'],
    language: 'zh-CN',
    notificationsConsent: true,
  }));

/** An audience of fixed members, streamed after an id in pages; `pagesServed` counts what it handed out. */
export class FakeAudience implements Audience {
  pagesServed = 0;
  constructor(private readonly everyone: readonly AudienceMember[]) {}

  async *stream(
    _criteria: AudienceCriteria,
    options: { readonly afterId?: string; readonly pageSize?: number } = {},
  ): AsyncIterable<AudienceMember[]> {
    const size = options.pageSize ?? 1_000;
    const after = options.afterId;
    const rest = this.everyone.filter((member) => after === undefined || member.id > after);
    for (let start = 0; start < rest.length; start += size) {
      this.pagesServed += 1;
      yield rest.slice(start, start + size);
    }
  }

  count(): Promise<number> {
    return Promise.resolve(this.everyone.length);
  }
}

export class FakeContacts implements Contacts {
  byIds(ids: readonly string[]): Promise<ReadonlyMap<string, Contact>> {
    if (ids.length > 500) throw new Error('more than 500 contacts asked at once');
    return Promise.resolve(
      new Map(
        ids.map((id) => [
          id,
          {
            participantId: id,
            language: 'zh-CN',
            phone: `1380000${id.slice(-4)}`,
            email: null,
            wechatOpenId: null,
          },
        ]),
      ),
    );
  }
}

export class FakePreferences implements PreferenceReader {
  constructor(private readonly set: ReadonlyMap<string, Preferences> = new Map()) {}
  of(recipients: readonly string[]): Promise<ReadonlyMap<string, Preferences>> {
    return Promise.resolve(
      new Map(recipients.map((id) => [id, this.set.get(id) ?? defaultPreferences])),
    );
  }
}

export const fakeTemplates: TemplateRenderer = {
  render: (kind, channel, language, variables) =>
    Promise.resolve({
      title: `${kind}/${channel}/${language}`,
      body: Object.values(variables).map(String).join('|'),
      templateVersion: 1,
    }),
};

/** A gateway recording every message; `failNextCall` makes one call throw before anything is sent. */
export class RecordingGateway implements ChannelGateway {
  readonly sent: OutboundMessage[] = [];
  failNextCall = false;
  constructor(readonly channel: ExternalChannel) {}

  send(messages: readonly OutboundMessage[]): Promise<SendOutcome[]> {
    if (this.failNextCall) {
      this.failNextCall = false;
      return Promise.reject(new Error('the process died while sending'));
    }
    this.sent.push(...messages);
    return Promise.resolve(
      messages.map((message) => ({
        deliveryId: message.deliveryId,
        status: 'delivered' as const,
        providerId: `provider-${message.deliveryId}`,
      })),
    );
  }
}

interface StoredBroadcast {
  broadcast: Broadcast;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  events: OutboxEntry[];
}

const noCounts = () =>
  Object.fromEntries(
    CHANNELS.map((channel) => [channel, { delivered: 0, failed: 0, suppressed: 0, held: 0 }]),
  ) as Broadcast['counts'];

export class FakeBroadcastStore implements BroadcastStore {
  readonly stored = new Map<string, StoredBroadcast>();

  create(broadcast: NewBroadcast, events: readonly OutboxEntry[]): Promise<boolean> {
    if (this.stored.has(broadcast.id)) return Promise.resolve(false);
    this.stored.set(broadcast.id, {
      broadcast: {
        ...broadcast,
        status: 'queued',
        cursor: null,
        recipientsDone: 0,
        counts: noCounts(),
        firstNoticeAt: null,
        lastNoticeAt: null,
        finishedAt: null,
      },
      leaseOwner: null,
      leaseUntil: null,
      events: [...events],
    });
    return Promise.resolve(true);
  }

  get(id: string): Promise<Broadcast | null> {
    return Promise.resolve(this.stored.get(id)?.broadcast ?? null);
  }

  list(query: { readonly kind: string; readonly sender?: string }): Promise<BroadcastPage> {
    const items = [...this.stored.values()]
      .map((entry) => entry.broadcast)
      .filter(
        (b) => b.kind === query.kind && (query.sender === undefined || b.sender === query.sender),
      );
    return Promise.resolve({ items, nextPageToken: null });
  }

  cancel(
    id: string,
    at: Date,
    events: (before: Broadcast) => OutboxEntry[],
  ): Promise<Broadcast | null> {
    const entry = this.stored.get(id);
    if (entry === undefined) return Promise.resolve(null);
    if (entry.broadcast.status === 'queued' || entry.broadcast.status === 'running') {
      entry.events.push(...events(entry.broadcast));
      entry.broadcast = { ...entry.broadcast, status: 'cancelled', finishedAt: at };
      entry.leaseOwner = null;
    }
    return Promise.resolve(entry.broadcast);
  }

  claim(owner: string, now: Date, until: Date): Promise<Broadcast | null> {
    for (const entry of this.stored.values()) {
      const { status } = entry.broadcast;
      if (status !== 'queued' && status !== 'running') continue;
      const free =
        entry.leaseUntil === null || entry.leaseUntil < now || entry.leaseOwner === owner;
      if (!free) continue;
      entry.leaseOwner = owner;
      entry.leaseUntil = until;
      entry.broadcast = { ...entry.broadcast, status: 'running' };
      return Promise.resolve(entry.broadcast);
    }
    return Promise.resolve(null);
  }

  saveRendered(id: string, owner: string, rendered: RenderedTexts): Promise<void> {
    const entry = this.stored.get(id);
    if (entry?.leaseOwner === owner) entry.broadcast = { ...entry.broadcast, rendered };
    return Promise.resolve();
  }

  advance(id: string, owner: string, advance: Advance): Promise<boolean> {
    const entry = this.stored.get(id);
    if (
      entry?.broadcast.status !== 'running' ||
      entry.leaseOwner !== owner ||
      entry.broadcast.cursor !== advance.fromCursor
    )
      return Promise.resolve(false);
    const counts = { ...entry.broadcast.counts };
    for (const channel of CHANNELS) {
      const added = advance.counts[channel];
      if (added === undefined) continue;
      const was = counts[channel];
      counts[channel] = {
        delivered: was.delivered + added.delivered,
        failed: was.failed + added.failed,
        suppressed: was.suppressed + added.suppressed,
        held: was.held + added.held,
      };
    }
    entry.broadcast = {
      ...entry.broadcast,
      cursor: advance.toCursor,
      recipientsDone: entry.broadcast.recipientsDone + advance.recipients,
      counts,
      firstNoticeAt: entry.broadcast.firstNoticeAt ?? advance.at,
      lastNoticeAt: advance.at,
    };
    entry.leaseUntil = advance.leaseUntil;
    return Promise.resolve(true);
  }

  complete(id: string, owner: string, at: Date): Promise<void> {
    const entry = this.stored.get(id);
    if (entry?.leaseOwner === owner && entry.broadcast.status === 'running') {
      entry.broadcast = { ...entry.broadcast, status: 'completed', finishedAt: at };
      entry.leaseOwner = null;
      entry.leaseUntil = null;
    }
    return Promise.resolve();
  }

  release(id: string, owner: string): Promise<void> {
    const entry = this.stored.get(id);
    if (entry?.leaseOwner === owner) {
      entry.leaseOwner = null;
      entry.leaseUntil = null;
    }
    return Promise.resolve();
  }
}

/** Claims for `owner`, failing the test when the broadcast is not claimable. */
export async function claimOrFail(
  store: BroadcastStore,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<Broadcast> {
  const claimed = await store.claim(owner, now, new Date(now.getTime() + leaseMs));
  if (claimed === null) throw new Error(`${owner} could not claim a broadcast`);
  return claimed;
}

export class FakeBatchStore implements BatchStore {
  readonly batches = new Map<string, Batch>();
  readonly events: OutboxEntry[] = [];
  writes = 0;

  writeOnce(batch: Batch, events: readonly OutboxEntry[]): Promise<Batch> {
    this.writes += 1;
    const written = this.batches.get(batch.id);
    if (written !== undefined) return Promise.resolve(written);
    this.batches.set(batch.id, batch);
    this.events.push(...events);
    return Promise.resolve(batch);
  }

  finishChannel(
    batchId: string,
    channel: Channel,
    outcome: ChannelOutcome,
    events: readonly OutboxEntry[],
  ): Promise<void> {
    const batch = this.batches.get(batchId);
    const current = batch?.channels.find((candidate) => candidate.channel === channel);
    if (batch === undefined || current === undefined || current.done) return Promise.resolve();
    this.batches.set(batchId, {
      ...batch,
      channels: batch.channels.map((candidate) =>
        candidate.channel === channel
          ? {
              ...candidate,
              done: true,
              delivered: outcome.delivered.length,
              failed: outcome.failed,
              suppressed: [...candidate.suppressed, ...outcome.suppressed],
            }
          : candidate,
      ),
    });
    this.events.push(...events);
    return Promise.resolve();
  }
}

/** The dispatcher as a broadcast sees it: it records what it is handed. */
export class RecordingDispatcher implements Dispatcher {
  readonly requests: NoticeRequest[] = [];

  dispatch(requests: readonly NoticeRequest[]): Promise<void> {
    this.requests.push(...requests);
    return Promise.resolve();
  }
}

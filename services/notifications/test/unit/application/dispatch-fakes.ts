/** Hand-written fakes of the dispatch slice's ports, recording every call so tests can count round trips. */
import type {
  AddressSeal,
  BatchReport,
  DeliveryOutcome,
  DeliveryReports,
  DeliveryStore,
  DigestMember,
  ExternalChannel,
  NewDelivery,
  SendingDelivery,
} from '../../../src/application/dispatch/ports.js';
import type { ConsentStore, WaitingDeliveries } from '../../../src/application/consents/ports.js';
import type {
  ChannelGateway,
  OutboundMessage,
  PreferenceReader,
  SendOutcome,
  TemplateRenderer,
} from '../../../src/application/ports.js';
import type { DeliveryStatus } from '../../../src/domain/notices.js';
import { defaultPreferences, type Preferences } from '../../../src/domain/preferences.js';

export interface StoredDelivery {
  delivery: NewDelivery;
  status: DeliveryStatus;
  reason: string | null;
  dueAt: Date | null;
  digestId: string | null;
  sealedAddress: string | null;
  attempts: number;
  providerId: string | null;
}

export class MemoryDeliveryStore implements DeliveryStore {
  readonly stored = new Map<string, StoredDelivery>();
  readonly calls: string[] = [];

  async claim(deliveries: readonly NewDelivery[]): Promise<ReadonlySet<string>> {
    this.calls.push('claim');
    const created = new Set<string>();
    for (const delivery of deliveries) {
      if (this.stored.has(delivery.id)) continue;
      created.add(delivery.id);
      this.stored.set(delivery.id, {
        delivery,
        status: delivery.status,
        reason: delivery.reason,
        dueAt: delivery.dueAt,
        digestId: delivery.digestId,
        sealedAddress: delivery.sealedAddress,
        attempts: 0,
        providerId: null,
      });
    }
    return created;
  }

  async record(outcomes: readonly DeliveryOutcome[]): Promise<void> {
    this.calls.push('record');
    for (const outcome of outcomes) {
      const doc = this.stored.get(outcome.id);
      if (doc === undefined || doc.status !== 'pending') continue;
      doc.attempts += 1;
      if (outcome.status === 'delivered') {
        Object.assign(doc, {
          status: 'delivered',
          providerId: outcome.providerId,
          sealedAddress: null,
          dueAt: null,
        });
      } else if (outcome.retryAt !== undefined) {
        Object.assign(doc, { reason: outcome.code, dueAt: outcome.retryAt });
      } else {
        Object.assign(doc, {
          status: 'failed',
          reason: outcome.code,
          sealedAddress: null,
          dueAt: null,
        });
      }
    }
  }

  private claimWhere(test: (doc: StoredDelivery) => boolean, leaseUntil: Date): SendingDelivery[] {
    return [...this.stored.values()].filter(test).flatMap((doc) => {
      doc.status = 'pending';
      doc.dueAt = leaseUntil;
      const { delivery } = doc;
      if (delivery.channel === 'inbox' || delivery.rendered === null) return [];
      return [
        {
          id: delivery.id,
          noticeId: delivery.noticeId,
          recipient: delivery.recipient,
          channel: delivery.channel,
          kind: delivery.kind,
          language: delivery.language,
          rendered: delivery.rendered,
          sealedAddress: doc.sealedAddress,
          attempts: doc.attempts,
        },
      ];
    });
  }

  async claimDueHeld(now: Date, leaseUntil: Date): Promise<SendingDelivery[]> {
    this.calls.push('claimDueHeld');
    return this.claimWhere(
      (doc) =>
        doc.status === 'held' && doc.digestId === null && doc.dueAt !== null && doc.dueAt <= now,
      leaseUntil,
    );
  }

  async claimDuePending(now: Date, leaseUntil: Date): Promise<SendingDelivery[]> {
    this.calls.push('claimDuePending');
    return this.claimWhere(
      (doc) => doc.status === 'pending' && doc.dueAt !== null && doc.dueAt <= now,
      leaseUntil,
    );
  }

  async dueDigestMembers(now: Date): Promise<DigestMember[]> {
    this.calls.push('dueDigestMembers');
    return [...this.stored.values()].flatMap((doc) =>
      doc.status === 'held' &&
      doc.digestId !== null &&
      doc.delivery.digestPeriod !== null &&
      doc.dueAt !== null &&
      doc.dueAt <= now
        ? [
            {
              id: doc.delivery.id,
              recipient: doc.delivery.recipient,
              channel: doc.delivery.channel,
              digestId: doc.digestId,
              digestPeriod: doc.delivery.digestPeriod,
              title: doc.delivery.rendered?.title ?? '',
              occurredAt: doc.delivery.occurredAt,
              sealedAddress: doc.sealedAddress,
              dueAt: doc.dueAt,
            },
          ]
        : [],
    );
  }

  async mergedBy(ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return new Map(
      ids.flatMap((id) => {
        const doc = this.stored.get(id);
        return doc === undefined ? [] : [[id, doc.delivery.merged] as const];
      }),
    );
  }

  async markDigested(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const doc = this.stored.get(id);
      if (doc?.status === 'held')
        Object.assign(doc, { status: 'digested', sealedAddress: null, dueAt: null });
    }
  }

  async releaseFromDigest(ids: readonly string[], now: Date): Promise<void> {
    for (const id of ids) {
      const doc = this.stored.get(id);
      if (doc?.status === 'held') Object.assign(doc, { digestId: null, dueAt: now });
    }
  }

  statusOf(id: string): DeliveryStatus | undefined {
    return this.stored.get(id)?.status;
  }
}

/** Consents withdrawn per recipient, and the suppression of what waits on a withdrawn channel. */
export class MemoryConsents implements Pick<ConsentStore, 'withdrawnAmong'>, WaitingDeliveries {
  readonly withdrawn = new Map<string, Set<ExternalChannel>>();

  constructor(private readonly store: MemoryDeliveryStore) {}

  withdraw(recipient: string, channel: ExternalChannel): void {
    this.withdrawn.set(recipient, (this.withdrawn.get(recipient) ?? new Set()).add(channel));
  }

  async withdrawnAmong(
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, ReadonlySet<ExternalChannel>>> {
    return new Map(
      ids.flatMap((id) => {
        const channels = this.withdrawn.get(id);
        return channels === undefined ? [] : [[id, channels] as const];
      }),
    );
  }

  async suppressForWithdrawnConsent(recipient: string, channel: ExternalChannel): Promise<number> {
    let suppressed = 0;
    for (const doc of this.store.stored.values())
      if (
        doc.delivery.recipient === recipient &&
        doc.delivery.channel === channel &&
        (doc.status === 'held' || doc.status === 'pending')
      ) {
        Object.assign(doc, { status: 'suppressed', reason: 'no_consent', sealedAddress: null });
        suppressed += 1;
      }
    return suppressed;
  }
}

/** Answers each message with the outcome `outcomeOf` gives (delivered by default). */
export class RecordingGateway implements ChannelGateway {
  readonly calls: OutboundMessage[][] = [];
  constructor(
    readonly channel: ExternalChannel,
    private readonly outcomeOf: (message: OutboundMessage) => SendOutcome = (message) => ({
      deliveryId: message.deliveryId,
      status: 'delivered',
      providerId: `provider-${message.deliveryId}`,
    }),
  ) {}

  async send(messages: readonly OutboundMessage[]): Promise<SendOutcome[]> {
    this.calls.push([...messages]);
    return messages.map((message) => this.outcomeOf(message));
  }

  get sent(): OutboundMessage[] {
    return this.calls.flat();
  }
}

export const echoTemplates: TemplateRenderer = {
  render: async (kind, channel, language, variables) => ({
    title: `${kind}/${channel}/${language}: ${String(variables['title'] ?? variables['count'] ?? '')}`,
    body: JSON.stringify(variables),
    templateVersion: 0,
  }),
};

export class FixedPreferences implements PreferenceReader {
  readonly calls: string[][] = [];
  constructor(
    private readonly byRecipient: ReadonlyMap<string, Preferences> = new Map(),
    private readonly timeZone = 'Asia/Shanghai',
  ) {}

  async of(recipients: readonly string[]): Promise<ReadonlyMap<string, Preferences>> {
    this.calls.push([...recipients]);
    return new Map(
      recipients.map((recipient) => [
        recipient,
        this.byRecipient.get(recipient) ?? defaultPreferences(this.timeZone),
      ]),
    );
  }
}

export class RecordingReports implements DeliveryReports {
  readonly published: BatchReport[][] = [];
  async publish(reports: readonly BatchReport[]): Promise<void> {
    if (reports.length > 0) this.published.push([...reports]);
  }
}

/** Reversible and visibly not the address (encoded), so a test can see sealing happened. */
export const encodedSeal: AddressSeal = {
  seal: (address) => `sealed:${Buffer.from(address).toString('base64url')}`,
  open: (sealed) => Buffer.from(sealed.slice('sealed:'.length), 'base64url').toString('utf8'),
};

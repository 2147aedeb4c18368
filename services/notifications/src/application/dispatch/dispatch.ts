/**
 * The dispatcher: notice requests in, one delivery per (notice, recipient,
 * channel) out. Per call it reads preferences and contacts in bulk, decides
 * every channel, renders what may go out, claims every delivery in one
 * unordered insert (a delivery that exists was handled before: skipped),
 * sends the claimed external ones in one gateway call per channel, records
 * the outcomes in one bulk write and publishes one aggregated report.
 */
import type { Contact } from '@learning/registration-client';
import type { ConsentStore, WaitingDeliveries } from '../consents/ports.js';
import { deliveryIdOf, nextAttemptAt, sourceEventIdOf } from '../../domain/deliveries.js';
import { digestIdOf, digestPeriodOf } from '../../domain/digests.js';
import {
  CHANNELS,
  kindSpecOf,
  type Channel,
  type NoticeRequest,
  type RecipientContact,
} from '../../domain/notices.js';
import {
  decideChannel,
  type ChannelDecision,
  type Preferences,
  type Reachability,
} from '../../domain/preferences.js';
import type {
  ChannelGateway,
  Dispatcher,
  OutboundMessage,
  PreferenceReader,
  TemplateRenderer,
} from '../ports.js';
import type {
  AddressSeal,
  BatchReport,
  ContactDirectory,
  DeliveryOutcome,
  DeliveryReports,
  DeliveryStore,
  ExternalChannel,
  NewDelivery,
  SendingDelivery,
} from './ports.js';

/** Registration answers contacts for at most this many participants per call. */
const CONTACTS_PER_CALL = 500;

/** A claimed delivery not sent within this long (its process died) is sent again by the scheduler. */
export const SEND_LEASE_MS = 5 * 60_000;

export interface DispatchDeps {
  readonly preferences: PreferenceReader;
  readonly contacts: ContactDirectory;
  readonly templates: TemplateRenderer;
  readonly gateways: ReadonlyMap<ExternalChannel, ChannelGateway>;
  readonly deliveries: DeliveryStore;
  readonly reports: DeliveryReports;
  readonly seal: AddressSeal;
  readonly clock: () => Date;
  /** Consents withdrawn since a delivery was planned (held, retried): asked again just before sending. */
  readonly consents: Pick<ConsentStore, 'withdrawnAmong'>;
  readonly waiting: WaitingDeliveries;
}

/** A request as the scheduler hands it in: a digest goes to one channel and merges held deliveries. */
export interface DispatchItem {
  readonly request: NoticeRequest;
  /** Only these channels; all when absent. */
  readonly channels?: readonly Channel[];
  /** The held deliveries a digest merges. */
  readonly merged?: readonly string[];
}

export interface DispatchCore extends Dispatcher {
  /** Dispatches and says which deliveries this call created (the others existed). */
  dispatchItems(items: readonly DispatchItem[]): Promise<ReadonlySet<string>>;
  /** Sends deliveries already claimed, records the outcomes and reports them. */
  sendClaimed(deliveries: readonly SendingDelivery[]): Promise<void>;
}

const ADDRESS_FIELD = {
  sms: 'phone',
  email: 'email',
  wechat: 'wechatOpenId',
} as const satisfies Record<ExternalChannel, keyof RecipientContact>;

const isOfficer = (recipient: string): boolean => recipient.startsWith('officer:');

interface Planned {
  readonly item: DispatchItem;
  readonly channel: Channel;
  readonly decision: ChannelDecision;
  readonly address: string | null;
  readonly preferences: Preferences;
}

export function createDispatcher(deps: DispatchDeps): DispatchCore {
  const { deliveries, templates, gateways, seal, clock } = deps;

  async function contactsOf(
    items: readonly DispatchItem[],
  ): Promise<ReadonlyMap<string, Contact | RecipientContact>> {
    const found = new Map<string, Contact | RecipientContact>();
    const asked = new Set<string>();
    for (const { request } of items) {
      if (request.contact !== undefined) found.set(request.recipient, request.contact);
      else if (!isOfficer(request.recipient)) asked.add(request.recipient);
    }
    const ids = [...asked].filter((id) => !found.has(id));
    const pages: string[][] = [];
    for (let start = 0; start < ids.length; start += CONTACTS_PER_CALL)
      pages.push(ids.slice(start, start + CONTACTS_PER_CALL));
    for (const page of await Promise.all(pages.map((page) => deps.contacts.byIds(page))))
      for (const [id, contact] of page) found.set(id, contact);
    return found;
  }

  function reachabilityOf(
    request: NoticeRequest,
    channel: ExternalChannel,
    contact: Contact | RecipientContact | undefined,
  ): { reachability: Reachability; address: string | null } {
    if (!gateways.has(channel)) return { reachability: 'channel_disabled', address: null };
    const address = contact?.[ADDRESS_FIELD[channel]] ?? null;
    if (address !== null && address !== '') return { reachability: 'reachable', address };
    // Registration gives a participant's address only where they consented; an officer's is given by the sender.
    const missing =
      request.contact !== undefined || isOfficer(request.recipient) ? 'no_contact' : 'no_consent';
    return { reachability: missing, address: null };
  }

  function plan(
    items: readonly DispatchItem[],
    preferencesOf: ReadonlyMap<string, Preferences>,
    contacts: ReadonlyMap<string, Contact | RecipientContact>,
    now: Date,
  ): Planned[] {
    return items.flatMap((item) => {
      const { request } = item;
      const preferences = preferencesOf.get(request.recipient);
      if (preferences === undefined)
        throw new Error(`no preferences read for a recipient of notice ${request.noticeId}`);
      const category = request.kind === 'digest' ? null : kindSpecOf(request.kind).category;
      return (item.channels ?? request.channels ?? CHANNELS).map((channel): Planned => {
        const { reachability, address } =
          channel === 'inbox'
            ? { reachability: 'reachable' as const, address: null }
            : reachabilityOf(request, channel, contacts.get(request.recipient));
        const decision = decideChannel(
          preferences,
          { channel, category, urgent: request.urgent },
          reachability,
          now,
        );
        return { item, channel, decision, address, preferences };
      });
    });
  }

  async function newDelivery(planned: Planned, now: Date): Promise<NewDelivery> {
    const { item, channel, decision, address, preferences } = planned;
    const { request } = item;
    const rendered =
      decision.action === 'suppress'
        ? null
        : await templates.render(request.kind, channel, preferences.language, request.variables);
    const digest =
      decision.action === 'digest' && preferences.digest !== 'off'
        ? digestPeriodOf(preferences.digest, preferences.timeZone, now)
        : null;
    const waits = channel !== 'inbox' && decision.action !== 'suppress';
    const base = {
      id: deliveryIdOf(request.noticeId, request.recipient, channel),
      noticeId: request.noticeId,
      recipient: request.recipient,
      channel,
      kind: request.kind,
      urgent: request.urgent,
      sender: request.sender,
      occurredAt: request.occurredAt,
      language: preferences.language,
      rendered,
      sealedAddress: waits && address !== null ? seal.seal(address) : null,
      digestId: digest === null ? null : digestIdOf(request.recipient, digest),
      digestPeriod: digest?.label ?? null,
      merged: item.merged ?? [],
      createdAt: now,
    };
    switch (decision.action) {
      case 'suppress':
        return { ...base, status: 'suppressed', reason: decision.reason, dueAt: null };
      case 'hold':
        return { ...base, status: 'held', reason: null, dueAt: decision.until };
      case 'digest':
        return { ...base, status: 'held', reason: null, dueAt: digest?.end ?? now };
      case 'send':
        return channel === 'inbox'
          ? { ...base, status: 'delivered', reason: null, dueAt: null }
          : {
              ...base,
              status: 'pending',
              reason: null,
              dueAt: new Date(now.getTime() + SEND_LEASE_MS),
            };
    }
  }

  async function sendOn(
    channel: ExternalChannel,
    batch: readonly SendingDelivery[],
    now: Date,
  ): Promise<DeliveryOutcome[]> {
    const gateway = gateways.get(channel);
    const messages: OutboundMessage[] = [];
    const outcomes: DeliveryOutcome[] = [];
    for (const delivery of batch) {
      if (gateway === undefined || delivery.sealedAddress === null)
        outcomes.push({ id: delivery.id, status: 'failed', code: 'CHANNEL_DISABLED' });
      else
        messages.push({
          deliveryId: delivery.id,
          recipient: delivery.recipient,
          address: seal.open(delivery.sealedAddress),
          kind: delivery.kind,
          language: delivery.language,
          rendered: delivery.rendered,
        });
    }
    if (gateway === undefined || messages.length === 0) return outcomes;
    const attemptsOf = new Map(batch.map((delivery) => [delivery.id, delivery.attempts + 1]));
    for (const sent of await gateway.send(messages)) {
      if (sent.status === 'delivered') {
        outcomes.push({ id: sent.deliveryId, status: 'delivered', providerId: sent.providerId });
        continue;
      }
      const retryAt = sent.retryable
        ? nextAttemptAt(attemptsOf.get(sent.deliveryId) ?? 1, now)
        : null;
      outcomes.push({
        id: sent.deliveryId,
        status: 'failed',
        code: sent.code,
        ...(retryAt === null ? {} : { retryAt }),
      });
    }
    return outcomes;
  }

  /** What may still be sent: a withdrawal that arrived while a delivery waited suppresses it here. */
  async function consented(
    batch: readonly SendingDelivery[],
    now: Date,
  ): Promise<readonly SendingDelivery[]> {
    const withdrawn = await deps.consents.withdrawnAmong([
      ...new Set(batch.map((delivery) => delivery.recipient)),
    ]);
    if (withdrawn.size === 0) return batch;
    const isStopped = (delivery: SendingDelivery): boolean =>
      withdrawn.get(delivery.recipient)?.has(delivery.channel) === true;
    const stopped = new Map(
      batch
        .filter(isStopped)
        .map((delivery) => [`${delivery.recipient}:${delivery.channel}`, delivery]),
    );
    for (const { recipient, channel } of stopped.values())
      await deps.waiting.suppressForWithdrawnConsent(recipient, channel, now);
    return batch.filter((delivery) => !isStopped(delivery));
  }

  async function sendClaimed(claimed: readonly SendingDelivery[]): Promise<void> {
    if (claimed.length === 0) return;
    const now = clock();
    const batch = await consented(claimed, now);
    const byChannel = new Map<ExternalChannel, SendingDelivery[]>();
    for (const delivery of batch)
      byChannel.set(delivery.channel, [...(byChannel.get(delivery.channel) ?? []), delivery]);
    const outcomes = (
      await Promise.all(
        [...byChannel].map(([channel, deliveriesOf]) => sendOn(channel, deliveriesOf, now)),
      )
    ).flat();
    await deliveries.record(outcomes, now);
    const byId = new Map(batch.map((delivery) => [delivery.id, delivery]));
    await deps.reports.publish(
      reportsOf(
        outcomes.flatMap((outcome) => {
          const delivery = byId.get(outcome.id);
          if (delivery === undefined || (outcome.status === 'failed' && outcome.retryAt)) return [];
          return [{ delivery, code: outcome.status === 'failed' ? outcome.code : null }];
        }),
      ),
      now,
    );
  }

  async function dispatchItems(items: readonly DispatchItem[]): Promise<ReadonlySet<string>> {
    if (items.length === 0) return new Set();
    const now = clock();
    const recipients = [...new Set(items.map(({ request }) => request.recipient))];
    const [preferencesOf, contacts] = await Promise.all([
      deps.preferences.of(recipients),
      contactsOf(items),
    ]);
    const planned = plan(items, preferencesOf, contacts, now);
    const docs = await Promise.all(planned.map((entry) => newDelivery(entry, now)));
    const created = await deliveries.claim(docs);
    const inboxDelivered: ReportedDelivery[] = [];
    const toSend: SendingDelivery[] = [];
    for (const doc of docs) {
      if (!created.has(doc.id)) continue;
      if (doc.channel === 'inbox' && doc.status === 'delivered')
        inboxDelivered.push({ delivery: doc, code: null });
      else if (doc.channel !== 'inbox' && doc.status === 'pending' && doc.rendered !== null)
        toSend.push({ ...doc, channel: doc.channel, rendered: doc.rendered, attempts: 0 });
    }
    await deps.reports.publish(reportsOf(inboxDelivered), now);
    await sendClaimed(toSend);
    return created;
  }

  return {
    dispatch: async (requests) => {
      await dispatchItems(requests.map((request) => ({ request })));
    },
    dispatchItems,
    sendClaimed,
  };
}

interface ReportedDelivery {
  readonly delivery: Pick<SendingDelivery, 'noticeId' | 'recipient' | 'kind'> & {
    readonly channel: Channel;
  };
  /** Null: delivered; else the final failure's code. */
  readonly code: string | null;
}

/** One report per kind, channel and source event of the batch. */
function reportsOf(entries: readonly ReportedDelivery[]): BatchReport[] {
  const groups = new Map<
    string,
    BatchReport & { delivered: string[]; failed: BatchReport['failed'][number][] }
  >();
  for (const { delivery, code } of entries) {
    const sourceEventId = sourceEventIdOf(delivery.noticeId);
    const key = `${delivery.kind}\n${delivery.channel}\n${sourceEventId}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        kind: delivery.kind,
        channel: delivery.channel,
        sourceEventId,
        delivered: [],
        failed: [],
      };
      groups.set(key, group);
    }
    if (code === null) group.delivered.push(delivery.recipient);
    else group.failed.push({ recipient: delivery.recipient, code });
  }
  return [...groups.values()];
}

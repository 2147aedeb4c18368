/**
 * One worker's turn at a broadcast it holds the lease of (decision 0017,
 * point 4): the audience streamed after the cursor, and per page one batch
 * written once, its external channels sent, then the cursor moved. A worker
 * that stops or dies leaves the cursor at the last finished page; the next
 * finds the page's batch already written and finishes only the channels it
 * has not marked done. Held copies are handed to the dispatcher, whose
 * scheduler sends them when quiet hours end. Memory is one page.
 */
import type { AudienceMember, Audience, Contact, Contacts } from '@learning/registration-client';
import {
  batchIdOf,
  broadcastDeliveryIdOf,
  isExternalChannel,
  NO_COUNTS,
  planBatch,
  type ChannelCounts,
  type DecideChannel,
  type ExternalChannel,
  type SuppressedRecipient,
} from '../../domain/broadcasts.js';
import type { Channel, VariableValue } from '../../domain/notices.js';
import { LANGUAGES, type Language, type Preferences } from '../../domain/preferences.js';
import type {
  ChannelGateway,
  Dispatcher,
  OutboundMessage,
  PreferenceReader,
  Rendered,
  TemplateRenderer,
} from '../ports.js';
import type {
  Batch,
  BatchChannel,
  BatchStore,
  Broadcast,
  BroadcastStore,
  ChannelFailure,
  ChannelOutcome,
  RenderedTexts,
} from './ports.js';
import { batchReports } from './reports.js';

export interface FanOutDeps {
  readonly broadcasts: BroadcastStore;
  readonly batches: BatchStore;
  readonly audience: Audience;
  readonly contacts: Contacts;
  readonly preferences: PreferenceReader;
  readonly decide: DecideChannel;
  /** Whose preferences the reader did not answer for (it answers for everyone; this is the floor). */
  readonly defaultPreferences: Preferences;
  readonly gateways: ReadonlyMap<ExternalChannel, ChannelGateway>;
  readonly templates: TemplateRenderer;
  /** Keeps a held external copy as a held delivery and sends it when the person's quiet hours end. */
  readonly dispatcher: Dispatcher;
  readonly clock: () => Date;
  readonly batchSize: number;
  readonly leaseMs: number;
}

export type FanOutEnd = 'completed' | 'stopped';

/** registration answers at most 500 contacts a call. */
const CONTACTS_PER_CALL = 500;

const addressOf = (contact: Contact | undefined, channel: ExternalChannel): string | null => {
  if (contact === undefined) return null;
  if (channel === 'sms') return contact.phone;
  if (channel === 'email') return contact.email;
  return contact.wechatOpenId;
};

function countsOf(channel: BatchChannel): ChannelCounts {
  return {
    delivered: channel.delivered,
    failed: channel.failed.length,
    suppressed: channel.suppressed.length,
    held: channel.held.length,
  };
}

/** An announcement's variables are its subject and body in the reader's language; a fan-out's are its event's. */
function variablesFor(broadcast: Broadcast, language: Language): Record<string, VariableValue> {
  if (broadcast.kind !== 'announcement') return { ...broadcast.variables };
  const text = broadcast.rendered[language] ?? broadcast.rendered['zh-CN'];
  return { subject: text?.title ?? '', body: text?.body ?? '' };
}

/** The inbox title and body of a fan-out, once per language, before its first batch. */
async function inboxTexts(deps: FanOutDeps, broadcast: Broadcast): Promise<RenderedTexts | null> {
  if (LANGUAGES.every((language) => broadcast.rendered[language] !== undefined)) return null;
  const rendered: Partial<Record<Language, { title: string; body: string }>> = {
    ...broadcast.rendered,
  };
  for (const language of LANGUAGES) {
    if (rendered[language] !== undefined) continue;
    const { title, body } = await deps.templates.render(
      broadcast.kind,
      'inbox',
      language,
      variablesFor(broadcast, language),
    );
    rendered[language] = { title, body };
  }
  return rendered;
}

async function contactsOf(deps: FanOutDeps, ids: readonly string[]): Promise<Map<string, Contact>> {
  const found = new Map<string, Contact>();
  for (let start = 0; start < ids.length; start += CONTACTS_PER_CALL) {
    const chunk = await deps.contacts.byIds(ids.slice(start, start + CONTACTS_PER_CALL));
    for (const [id, contact] of chunk) found.set(id, contact);
  }
  return found;
}

export function fanOut(deps: FanOutDeps) {
  /** The run's rendering per channel and language: once each, however many pages. */
  const renderings = new Map<string, Promise<Rendered>>();
  const renderOnce = (broadcast: Broadcast, channel: ExternalChannel, language: Language) => {
    const key = `${broadcast.id}\n${channel}\n${language}`;
    let rendered = renderings.get(key);
    if (rendered === undefined) {
      rendered = deps.templates.render(
        broadcast.kind,
        channel,
        language,
        variablesFor(broadcast, language),
      );
      renderings.set(key, rendered);
    }
    return rendered;
  };

  async function sendChannel(
    broadcast: Broadcast,
    channel: BatchChannel & { channel: ExternalChannel },
    contacts: ReadonlyMap<string, Contact>,
    languages: ReadonlyMap<string, Language>,
  ): Promise<ChannelOutcome> {
    const gateway = deps.gateways.get(channel.channel);
    if (gateway === undefined)
      return {
        delivered: [],
        failed: [],
        suppressed: channel.send.map((id) => ({ id, reason: 'channel_disabled' })),
      };
    const suppressed: SuppressedRecipient[] = [];
    const messages: OutboundMessage[] = [];
    for (const recipient of channel.send) {
      const address = addressOf(contacts.get(recipient), channel.channel);
      if (address === null) {
        suppressed.push({ id: recipient, reason: 'no_contact' });
        continue;
      }
      const language = languages.get(recipient) ?? 'zh-CN';
      messages.push({
        deliveryId: broadcastDeliveryIdOf(broadcast.id, recipient, channel.channel),
        recipient,
        address,
        kind: broadcast.kind,
        language,
        rendered: await renderOnce(broadcast, channel.channel, language),
      });
    }
    const outcomes = messages.length === 0 ? [] : await gateway.send(messages);
    const delivered: string[] = [];
    const failed: ChannelFailure[] = [];
    outcomes.forEach((outcome, index) => {
      const recipient = messages[index]?.recipient;
      if (recipient === undefined) return;
      if (outcome.status === 'delivered') delivered.push(recipient);
      else failed.push({ id: recipient, code: outcome.code });
    });
    return { delivered, failed, suppressed };
  }

  /**
   * The channel's held copies go to the dispatcher restricted to that
   * channel (the inbox entry is the batch), under the broadcast's id: a
   * resumed batch hands them in again and the dispatcher, finding the
   * deliveries, changes nothing.
   */
  async function handOverHeld(
    broadcast: Broadcast,
    channel: BatchChannel & { channel: ExternalChannel },
    preferences: ReadonlyMap<string, Preferences>,
  ): Promise<void> {
    if (channel.held.length === 0) return;
    await deps.dispatcher.dispatch(
      channel.held.map(({ id }) => ({
        noticeId: broadcast.id,
        kind: broadcast.kind,
        recipient: id,
        urgent: false,
        variables: variablesFor(
          broadcast,
          (preferences.get(id) ?? deps.defaultPreferences).language,
        ),
        occurredAt: broadcast.createdAt,
        sender: broadcast.sender,
        channels: [channel.channel],
      })),
    );
  }

  async function finishExternal(
    broadcast: Broadcast,
    batch: Batch,
    members: readonly AudienceMember[],
    preferences: ReadonlyMap<string, Preferences>,
  ): Promise<Batch> {
    const pending = batch.channels.filter(
      (channel): channel is BatchChannel & { channel: ExternalChannel } =>
        !channel.done && isExternalChannel(channel.channel),
    );
    if (pending.length === 0) return batch;
    const wanted = [...new Set(pending.flatMap((channel) => channel.send))];
    const contacts =
      wanted.length === 0 ? new Map<string, Contact>() : await contactsOf(deps, wanted);
    const registered = new Map(members.map((member) => [member.id, member.language]));
    const languages = new Map<string, Language>(
      wanted.map((id) => [
        id,
        preferences.get(id)?.language ?? (registered.get(id) === 'en' ? 'en' : 'zh-CN'),
      ]),
    );
    const channels = [...batch.channels];
    for (const channel of pending) {
      await handOverHeld(broadcast, channel, preferences);
      const outcome = await sendChannel(broadcast, channel, contacts, languages);
      const at = deps.clock();
      await deps.batches.finishChannel(
        batch.id,
        channel.channel,
        outcome,
        batchReports({
          batchId: batch.id,
          broadcastId: broadcast.id,
          sourceEventId: broadcast.sourceEventId,
          kind: broadcast.kind,
          channel: channel.channel,
          delivered: outcome.delivered,
          failed: outcome.failed,
          at,
        }),
      );
      const index = channels.findIndex((candidate) => candidate.channel === channel.channel);
      channels[index] = {
        ...channel,
        done: true,
        delivered: outcome.delivered.length,
        failed: outcome.failed,
        suppressed: [...channel.suppressed, ...outcome.suppressed],
      };
    }
    return { ...batch, channels };
  }

  /** Plans and writes the page's batch, or takes the one a previous worker wrote. */
  async function batchOf(
    broadcast: Broadcast,
    members: readonly AudienceMember[],
    preferences: ReadonlyMap<string, Preferences>,
    firstId: string,
  ): Promise<Batch> {
    const now = deps.clock();
    const plans = planBatch({
      recipients: members,
      preferences,
      defaults: deps.defaultPreferences,
      kind: broadcast.kind,
      channels: broadcast.channels,
      decide: deps.decide,
      now,
    });
    const batchId = batchIdOf(broadcast.id, firstId);
    // The inbox is done as the batch is written: the batch listing a person is their inbox entry.
    const channels: BatchChannel[] = plans.map((plan) => ({
      ...plan,
      done: plan.channel === 'inbox',
      delivered: plan.channel === 'inbox' ? plan.send.length : 0,
      failed: [],
    }));
    const inbox = plans.find((plan) => plan.channel === 'inbox');
    const events =
      inbox === undefined
        ? []
        : batchReports({
            batchId,
            broadcastId: broadcast.id,
            sourceEventId: broadcast.sourceEventId,
            kind: broadcast.kind,
            channel: 'inbox',
            delivered: inbox.send,
            failed: [],
            at: now,
          });
    return deps.batches.writeOnce(
      {
        id: batchId,
        broadcastId: broadcast.id,
        kind: broadcast.kind,
        recipients: members.map((member) => member.id),
        channels,
        createdAt: now,
      },
      events,
    );
  }

  /** Works on `claimed` (leased to `owner`) until its audience is exhausted, the lease is lost, or `signal` aborts. */
  return async function run(
    claimed: Broadcast,
    owner: string,
    signal: AbortSignal,
  ): Promise<FanOutEnd> {
    let broadcast = claimed;
    const texts = await inboxTexts(deps, broadcast);
    if (texts !== null) {
      await deps.broadcasts.saveRendered(broadcast.id, owner, texts);
      broadcast = { ...broadcast, rendered: texts };
    }
    let cursor = broadcast.cursor;
    const pages = deps.audience.stream(broadcast.criteria, {
      ...(cursor === null ? {} : { afterId: cursor }),
      pageSize: deps.batchSize,
    });
    for await (const members of pages) {
      if (signal.aborted) {
        await deps.broadcasts.release(broadcast.id, owner);
        return 'stopped';
      }
      const first = members[0];
      const last = members.at(-1);
      if (first === undefined || last === undefined) continue;
      const preferences = await deps.preferences.of(members.map((member) => member.id));
      const written = await batchOf(broadcast, members, preferences, first.id);
      const batch = await finishExternal(broadcast, written, members, preferences);
      const at = deps.clock();
      const counts: Partial<Record<Channel, ChannelCounts>> = {};
      for (const channel of batch.channels) counts[channel.channel] = countsOf(channel);
      const moved = await deps.broadcasts.advance(broadcast.id, owner, {
        fromCursor: cursor,
        toCursor: last.id,
        recipients: batch.recipients.length,
        counts,
        at,
        leaseUntil: new Date(at.getTime() + deps.leaseMs),
      });
      if (!moved) return 'stopped';
      cursor = last.id;
    }
    await deps.broadcasts.complete(broadcast.id, owner, deps.clock());
    return 'completed';
  };
}

export type FanOut = ReturnType<typeof fanOut>;

export const emptyCounts = (): Record<Channel, ChannelCounts> => ({
  inbox: NO_COUNTS,
  sms: NO_COUNTS,
  email: NO_COUNTS,
  wechat: NO_COUNTS,
});

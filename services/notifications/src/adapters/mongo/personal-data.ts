/**
 * What this service holds about one person, collection by collection: their
 * records for their own copy, their erasure, and the retention sweeps
 * (decision 0022). Recipients are participant ids (officers are
 * `officer:<subject>` and are not erased here: they act in office).
 */
import { driverCollection, isDuplicateKey } from '@learning/mongo';
import type { Connection, Model } from 'mongoose';
import { webhookDeadLetterModel, webhookDeliveryModel } from './webhook-deliveries.js';
import { batchModel, broadcastModel, type BatchDocument } from './broadcasts.js';
import { channelConsentsModel, type ChannelConsentsDocument } from './channel-consents.js';
import { deliveryModel, type DeliveryDocument } from './deliveries.js';
import { inboxReadModel, type InboxReadDocument } from './inbox.js';
import { preferencesModel, type PreferencesDocument } from './preferences.js';
import { reminderModel, type ReminderDocument } from './reminders.js';
import { batchIdOf, EXTERNAL_CHANNELS, type BroadcastStatus } from '../../domain/broadcasts.js';

/** Broadcasts whose fan-out will not resume. */
const FINISHED: readonly BroadcastStatus[] = ['completed', 'cancelled'];

/** What a kind's erase did, in the kit's terms. */
export interface Erased {
  readonly erased: number;
  readonly kept?: { readonly count: number; readonly reason: string };
}

export class MongoPersonalData {
  private readonly preferences: Model<PreferencesDocument>;
  private readonly consents: Model<ChannelConsentsDocument>;
  private readonly deliveries: Model<DeliveryDocument>;
  private readonly reads: Model<InboxReadDocument>;
  private readonly batches: Model<BatchDocument>;
  private readonly reminders: Model<ReminderDocument>;

  constructor(private readonly connection: Connection) {
    this.preferences = preferencesModel(connection);
    this.consents = channelConsentsModel(connection);
    this.deliveries = deliveryModel(connection);
    this.reads = inboxReadModel(connection);
    this.batches = batchModel(connection);
    this.reminders = reminderModel(connection);
  }

  async preferencesOf(participantId: string): Promise<unknown[]> {
    const preferences = await this.preferences
      .findById(participantId, { _id: 0 })
      .lean<Omit<PreferencesDocument, '_id'>>();
    return preferences === null ? [] : [preferences];
  }

  async erasePreferences(participantId: string): Promise<Erased> {
    return { erased: (await this.preferences.deleteOne({ _id: participantId })).deletedCount };
  }

  async consentsOf(participantId: string): Promise<unknown[]> {
    const document = await this.consents.findById(participantId).lean<ChannelConsentsDocument>();
    if (document === null) return [];
    return EXTERNAL_CHANNELS.flatMap((channel) => {
      const consent = document[channel];
      return consent === undefined ? [] : [{ channel, ...consent }];
    });
  }

  async eraseConsents(participantId: string): Promise<Erased> {
    return { erased: (await this.consents.deleteOne({ _id: participantId })).deletedCount };
  }

  /** Every notice to the person on every channel; the sealed address is registration's contact, not repeated. */
  async noticesOf(participantId: string): Promise<unknown[]> {
    const documents = await this.deliveries
      .find({ recipient: participantId }, { sealedAddress: 0, claim: 0 })
      .sort({ createdAt: 1, _id: 1 })
      .lean<DeliveryDocument[]>();
    return documents.map(({ _id, ...delivery }) => ({ id: _id, ...delivery }));
  }

  async eraseNotices(participantId: string): Promise<Erased> {
    return {
      erased: (await this.deliveries.deleteMany({ recipient: participantId })).deletedCount,
    };
  }

  /** Final deliveries made before `cutoff`; those still to go out (held, pending) stay until sent. */
  async sweepNotices(cutoff: Date): Promise<number> {
    const result = await this.deliveries.deleteMany({
      createdAt: { $lt: cutoff },
      status: { $nin: ['held', 'pending'] },
    });
    return result.deletedCount;
  }

  async readMarksOf(participantId: string): Promise<unknown[]> {
    const documents = await this.reads
      .find({ recipient: participantId })
      .sort({ readAt: 1 })
      .lean<InboxReadDocument[]>();
    return documents.map(({ entryId, readAt }) =>
      entryId === '*' ? { everythingReadUpTo: readAt } : { entryId, readAt },
    );
  }

  async eraseReadMarks(participantId: string): Promise<Erased> {
    return { erased: (await this.reads.deleteMany({ recipient: participantId })).deletedCount };
  }

  async sweepReadMarks(cutoff: Date): Promise<number> {
    return (await this.reads.deleteMany({ readAt: { $lt: cutoff } })).deletedCount;
  }

  /** The broadcasts that reached the person: which, when, and what became of each channel's copy. */
  async broadcastReceiptsOf(participantId: string): Promise<unknown[]> {
    const batches = await this.batches
      .find({ recipients: participantId })
      .sort({ createdAt: 1, _id: 1 })
      .lean<BatchDocument[]>();
    const titles = new Map(
      (
        await broadcastModel(this.connection)
          .find({ _id: { $in: batches.map((batch) => batch.broadcastId) } }, { rendered: 1 })
          .lean<{ _id: string; rendered: Record<string, { title: string }> }[]>()
      ).map((broadcast) => [
        broadcast._id,
        Object.fromEntries(
          Object.entries(broadcast.rendered).map(([language, { title }]) => [language, title]),
        ),
      ]),
    );
    return batches.map((batch) => ({
      broadcastId: batch.broadcastId,
      kind: batch.kind,
      receivedAt: batch.createdAt,
      title: titles.get(batch.broadcastId) ?? {},
      shownInInbox: !batch.inboxHidden.includes(participantId),
      channels: batch.channels
        .filter((channel) => channel.channel !== 'inbox')
        .map((channel) => ({
          channel: channel.channel,
          outcome: outcomeOf(channel, participantId),
        })),
    }));
  }

  /**
   * Takes the person out of every audience list; the broadcasts' counts
   * (delivered, failed, suppressed, held per channel) keep their figures,
   * which name no one. A page is named by its first recipient and a
   * broadcast's cursor is the last one done, so on a finished broadcast a
   * page named by the person is stored again under a name of the request,
   * and a cursor on them is cleared; while a broadcast still runs, both are
   * its way to resume without sending twice and stay until it finishes.
   */
  async eraseBroadcastReceipts(participantId: string, requestId: string): Promise<Erased> {
    const broadcasts = broadcastModel(this.connection);
    const listing = await this.batches
      .find({ recipients: participantId }, { _id: 1, broadcastId: 1 })
      .lean<Pick<BatchDocument, '_id' | 'broadcastId'>[]>();
    const finished = new Set(
      (
        await broadcasts
          .find(
            {
              _id: { $in: [...new Set(listing.map((batch) => batch.broadcastId))] },
              status: { $in: FINISHED },
            },
            { _id: 1 },
          )
          .lean<{ _id: string }[]>()
      ).map(({ _id }) => _id),
    );
    for (const batch of listing)
      if (
        batch._id === batchIdOf(batch.broadcastId, participantId) &&
        finished.has(batch.broadcastId)
      )
        await this.renameBatch(batch._id, `${batch.broadcastId}:erased:${requestId}`);
    await this.batches.updateMany(
      { recipients: participantId },
      {
        $pull: {
          recipients: participantId,
          inboxHidden: participantId,
          'channels.$[].send': participantId,
          'channels.$[].held': { id: participantId },
          'channels.$[].suppressed': { id: participantId },
          'channels.$[].failed': { id: participantId },
        },
      },
    );
    await broadcasts.updateMany(
      { cursor: participantId, status: { $in: FINISHED } },
      { $set: { cursor: null } },
    );
    const erased = listing.length;
    return erased === 0
      ? { erased }
      : {
          erased,
          kept: {
            count: erased,
            reason:
              "broadcast counts: each broadcast's delivered/failed/suppressed/held figures stay, naming no one",
          },
        };
  }

  /** The copy's name comes from the request, so a redelivery finds it made and only removes the original. */
  private async renameBatch(from: string, to: string): Promise<void> {
    const original = await this.batches.findById(from, '+outbox').lean<BatchDocument>();
    if (original === null) return;
    try {
      await driverCollection(this.batches).insertOne({ ...original, _id: to });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await this.batches.deleteOne({ _id: from });
  }

  async sweepBroadcastReceipts(cutoff: Date): Promise<number> {
    return (await this.batches.deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
  }

  async remindersOf(participantId: string): Promise<unknown[]> {
    const documents = await this.reminders
      .find({ recipient: participantId }, { claimedAt: 0 })
      .sort({ dueAt: 1, _id: 1 })
      .lean<ReminderDocument[]>();
    return documents.map(({ _id, ...reminder }) => ({ id: _id, ...reminder }));
  }

  async eraseReminders(participantId: string): Promise<Erased> {
    return { erased: (await this.reminders.deleteMany({ recipient: participantId })).deletedCount };
  }

  /** Reminders done with (sent, skipped or dropped) that fell due before `cutoff`. */
  async sweepReminders(cutoff: Date): Promise<number> {
    const result = await this.reminders.deleteMany({
      dueAt: { $lt: cutoff },
      status: { $in: ['sent', 'skipped', 'dropped'] },
    });
    return result.deletedCount;
  }

  /** Webhook deliveries done with (delivered or failed) queued before `cutoff`, and older dead letters. */
  async sweepWebhookDeliveries(cutoff: Date): Promise<number> {
    const deliveries = await webhookDeliveryModel(this.connection).deleteMany({
      queuedAt: { $lt: cutoff },
      status: { $in: ['delivered', 'failed'] },
    });
    // A dead letter whose event is not yet published stays until it is.
    const deadLetters = await webhookDeadLetterModel(this.connection).deleteMany({
      failedAt: { $lt: cutoff },
      outboxSince: { $exists: false },
    });
    return deliveries.deletedCount + deadLetters.deletedCount;
  }
}

function outcomeOf(channel: BatchDocument['channels'][number], participantId: string): unknown {
  const held = channel.held.find((entry) => entry.id === participantId);
  if (held !== undefined) return { status: 'held', until: held.until };
  const suppressed = channel.suppressed.find((entry) => entry.id === participantId);
  if (suppressed !== undefined) return { status: 'suppressed', reason: suppressed.reason };
  const failed = channel.failed.find((entry) => entry.id === participantId);
  if (failed !== undefined) return { status: 'failed', code: failed.code };
  if (channel.send.includes(participantId)) return { status: channel.done ? 'sent' : 'sending' };
  return { status: 'none' };
}

/**
 * Broadcast batches in MongoDB: the insert is the claim of a page (its `_id`
 * names the broadcast and first recipient, so a resumed page hits E11000 and
 * takes the batch written before), and a channel is finished by an update
 * conditional on its not being done, so its reports are written once.
 */
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import { driverCollection, isDuplicateKey } from '@learning/mongo';
import type { Model } from 'mongoose';
import type { Batch, BatchStore, ChannelOutcome } from '../../application/broadcasts/ports.js';
import type { BroadcastSuppression } from '../../domain/broadcasts.js';
import type { Channel } from '../../domain/notices.js';
import type { BatchDocument } from './broadcasts.js';

type Lean = Omit<BatchDocument, 'outbox' | 'outboxSince'>;

const batchOf = (doc: Lean): Batch => ({
  id: doc._id,
  broadcastId: doc.broadcastId,
  kind: doc.kind,
  recipients: doc.recipients,
  channels: doc.channels.map((channel) => ({
    ...channel,
    suppressed: channel.suppressed.map(({ id, reason }) => ({
      id,
      reason: reason as BroadcastSuppression,
    })),
  })),
  createdAt: doc.createdAt,
});

export class MongoBatchStore implements BatchStore {
  constructor(private readonly model: Model<BatchDocument>) {}

  async writeOnce(batch: Batch, events: readonly OutboxEntry[]): Promise<Batch> {
    const inbox = batch.channels.find((channel) => channel.channel === 'inbox');
    const doc: BatchDocument = {
      _id: batch.id,
      broadcastId: batch.broadcastId,
      kind: batch.kind,
      recipients: [...batch.recipients],
      inboxHidden:
        inbox === undefined ? [...batch.recipients] : inbox.suppressed.map(({ id }) => id),
      channels: batch.channels.map((channel) => ({
        channel: channel.channel,
        done: channel.done,
        send: [...channel.send],
        held: channel.held.map(({ id, until }) => ({ id, until })),
        suppressed: channel.suppressed.map(({ id, reason }) => ({ id, reason })),
        delivered: channel.delivered,
        failed: channel.failed.map(({ id, code }) => ({ id, code })),
      })),
      createdAt: batch.createdAt,
      ...insertWithEvents(events),
    };
    try {
      // Straight to the driver: a thousand ids need no per-element casting.
      await driverCollection(this.model).insertOne(doc);
      return batch;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const written = await this.model.findById(batch.id).lean<Lean>();
      if (written === null) throw error;
      return batchOf(written);
    }
  }

  async finishChannel(
    batchId: string,
    channel: Channel,
    outcome: ChannelOutcome,
    events: readonly OutboxEntry[],
  ): Promise<void> {
    await this.model.updateOne(
      { _id: batchId, channels: { $elemMatch: { channel, done: false } } },
      updateWithEvents<BatchDocument>(
        {
          $set: {
            'channels.$.done': true,
            'channels.$.delivered': outcome.delivered.length,
            'channels.$.failed': outcome.failed.map(({ id, code }) => ({ id, code })),
          },
          ...(outcome.suppressed.length === 0
            ? {}
            : {
                $push: {
                  'channels.$.suppressed': {
                    $each: outcome.suppressed.map(({ id, reason }) => ({ id, reason })),
                  },
                },
              }),
        },
        events,
      ),
    );
  }
}

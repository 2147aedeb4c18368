/**
 * The broadcasts in a person's inbox (decision 0017, point 5): the batches
 * that list them, newest first (the multikey index on recipients), with each
 * broadcast's title and body in the reader's language from the broadcast.
 */
import type { Model, RootFilterQuery } from 'mongoose';
import type { BroadcastInbox, InboxEntry, InboxPosition } from '../../application/ports.js';
import { kindSpecOf } from '../../domain/notices.js';
import type { Language } from '../../domain/preferences.js';
import type { BatchDocument, BroadcastDocument } from './broadcasts.js';

export class MongoBroadcastInbox implements BroadcastInbox {
  constructor(
    private readonly batches: Model<BatchDocument>,
    private readonly broadcasts: Model<BroadcastDocument>,
  ) {}

  async page(
    recipient: string,
    options: {
      readonly before?: InboxPosition;
      readonly limit: number;
      readonly language: Language;
    },
  ): Promise<InboxEntry[]> {
    const filter: RootFilterQuery<BatchDocument> = {
      recipients: recipient,
      inboxHidden: { $ne: recipient },
    };
    if (options.before !== undefined)
      filter.$or = [
        { createdAt: { $lt: options.before.at } },
        { createdAt: options.before.at, broadcastId: { $lt: options.before.id } },
      ];
    const found = await this.batches
      .find(filter, { broadcastId: 1, kind: 1, createdAt: 1 })
      .sort({ createdAt: -1, broadcastId: -1 })
      .limit(options.limit)
      .lean<Pick<BatchDocument, 'broadcastId' | 'kind' | 'createdAt'>[]>();
    if (found.length === 0) return [];
    const texts = await this.broadcasts
      .find({ _id: { $in: found.map((batch) => batch.broadcastId) } }, { rendered: 1 })
      .lean<Pick<BroadcastDocument, '_id' | 'rendered'>[]>();
    const renderedOf = new Map(texts.map((broadcast) => [broadcast._id, broadcast.rendered]));
    return found.map((batch) => {
      const rendered = renderedOf.get(batch.broadcastId) ?? {};
      const text = rendered[options.language] ?? rendered['zh-CN'] ?? { title: '', body: '' };
      return {
        id: batch.broadcastId,
        source: 'broadcast',
        kind: batch.kind,
        title: text.title,
        body: text.body,
        urgent: kindSpecOf(batch.kind).urgent,
        at: batch.createdAt,
      };
    });
  }
}

/**
 * `channel_consents`: one document per participant (`_id` the participant
 * id) with the newest consent change registration published per external
 * channel. An older change arriving late matches no document and its upsert
 * collides on `_id`: nothing changes.
 */
import { isDuplicateKey } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type { ConsentStore } from '../../application/consents/ports.js';
import { EXTERNAL_CHANNELS, type ExternalChannel } from '../../domain/broadcasts.js';
import type { ChannelConsent, ConsentChange } from '../../domain/consents.js';

export type ChannelConsentsDocument = { _id: string } & Partial<
  Record<ExternalChannel, ChannelConsent>
>;

const consentSchema = new Schema<ChannelConsent>(
  {
    given: { type: Boolean, required: true },
    version: { type: Number, required: true },
    textVersion: { type: String, default: '' },
    changedAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const channelConsentsSchema = new Schema<ChannelConsentsDocument>(
  {
    _id: { type: String, required: true },
    ...Object.fromEntries(EXTERNAL_CHANNELS.map((channel) => [channel, { type: consentSchema }])),
  },
  { collection: 'channel_consents', versionKey: false, strict: 'throw' },
);

export const channelConsentsModel = (connection: Connection): Model<ChannelConsentsDocument> =>
  (connection.models['ChannelConsents'] as Model<ChannelConsentsDocument> | undefined) ??
  connection.model<ChannelConsentsDocument>('ChannelConsents', channelConsentsSchema);

export class MongoChannelConsents implements ConsentStore {
  constructor(private readonly model: Model<ChannelConsentsDocument>) {}

  async apply(change: ConsentChange): Promise<ChannelConsent> {
    const { participantId, channel, given, version, textVersion, changedAt } = change;
    try {
      await this.model.updateOne(
        {
          _id: participantId,
          $or: [{ [`${channel}.version`]: { $lt: version } }, { [channel]: { $exists: false } }],
        },
        { $set: { [channel]: { given, version, textVersion, changedAt } } },
        { upsert: true },
      );
    } catch (error) {
      // The person's document exists with this version or a newer one: the change is stale.
      if (!isDuplicateKey(error)) throw error;
    }
    const kept = (await this.model.findById(participantId).lean<ChannelConsentsDocument>())?.[
      channel
    ];
    if (kept === undefined) throw new Error('the consent change was neither kept nor refused');
    return kept;
  }

  async withdrawnAmong(
    participantIds: readonly string[],
  ): Promise<ReadonlyMap<string, ReadonlySet<ExternalChannel>>> {
    const withdrawn = new Map<string, ReadonlySet<ExternalChannel>>();
    if (participantIds.length === 0) return withdrawn;
    const documents = await this.model
      .find({ _id: { $in: [...new Set(participantIds)] } })
      .lean<ChannelConsentsDocument[]>();
    for (const document of documents) {
      const channels = EXTERNAL_CHANNELS.filter((channel) => document[channel]?.given === false);
      if (channels.length > 0) withdrawn.set(document._id, new Set(channels));
    }
    return withdrawn;
  }
}

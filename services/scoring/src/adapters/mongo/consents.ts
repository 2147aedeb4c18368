/**
 * Scoring's copy of the consents it relies on (collection `consents`), one
 * document per participant and purpose at the highest record version seen:
 * the write is filtered on an older version, so a duplicate or an older event
 * collides with the id and changes nothing.
 */
import { isDuplicateKey } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  SCORING_CONSENT_PURPOSES,
  type ConsentChange,
  type ConsentPurpose,
  type ConsentStore,
} from '../../application/consents/consents.js';

export interface ConsentDocument {
  /** `<participantId>:<purpose>`. */
  _id: string;
  participantId: string;
  purpose: ConsentPurpose;
  given: boolean;
  textVersion: string;
  changedAt: Date;
  version: number;
}

const consentSchema = new Schema<ConsentDocument>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true },
    purpose: { type: String, required: true, enum: SCORING_CONSENT_PURPOSES },
    given: { type: Boolean, required: true },
    textVersion: { type: String, default: '' },
    changedAt: { type: Date, required: true },
    version: { type: Number, required: true },
  },
  { collection: 'consents', versionKey: false, strict: 'throw' },
);
// A person's consents: their copy of their data, and erasure.
consentSchema.index({ participantId: 1 });

export const consentModel = (connection: Connection): Model<ConsentDocument> =>
  connection.model<ConsentDocument>('Consent', consentSchema);

const idOf = (participantId: string, purpose: ConsentPurpose): string =>
  `${participantId}:${purpose}`;

const changeOf = (document: ConsentDocument): ConsentChange => ({
  participantId: document.participantId,
  purpose: document.purpose,
  given: document.given,
  textVersion: document.textVersion,
  changedAt: document.changedAt,
  version: document.version,
});

export class MongoConsents implements ConsentStore {
  constructor(private readonly model: Model<ConsentDocument>) {}

  async apply(change: ConsentChange): Promise<ConsentChange> {
    const _id = idOf(change.participantId, change.purpose);
    try {
      const stored = await this.model
        .findOneAndUpdate(
          { _id, version: { $lt: change.version } },
          { $set: { ...change } },
          { upsert: true, new: true },
        )
        .lean<ConsentDocument>();
      return changeOf(stored);
    } catch (error) {
      // The purpose holds this version or a newer one already.
      if (!isDuplicateKey(error)) throw error;
    }
    const current = await this.model.findById(_id).lean<ConsentDocument>();
    if (current === null) throw new Error(`consent ${_id} neither written nor found`);
    return changeOf(current);
  }

  async withdrawn(participantId: string, purpose: ConsentPurpose): Promise<boolean> {
    const found = await this.model
      .findById(idOf(participantId, purpose), { given: 1 })
      .lean<Pick<ConsentDocument, 'given'>>();
    return found !== null && !found.given;
  }

  /** The person's consents as scoring holds them, for their copy. */
  async of(participantId: string): Promise<ConsentDocument[]> {
    return this.model.find({ participantId }).sort({ purpose: 1 }).lean<ConsentDocument[]>();
  }

  async erase(participantId: string): Promise<number> {
    return (await this.model.deleteMany({ participantId })).deletedCount;
  }
}

/**
 * Which erasure requests a service has completed, and the completion event in
 * the same document's outbox: a request is completed once, its event is
 * published once, and a late event about an erased participant can be told
 * apart from one about a person the service has never seen.
 */
import {
  insertWithEvents,
  outboxPlugin,
  type OutboxEntry,
  type WithOutbox,
} from '@learning/events';
import { isDuplicateKey } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';

interface Tally {
  kind: string;
  count: number;
  reason?: string;
}

export interface ErasureDocument extends WithOutbox {
  /** The request id. */
  _id: string;
  /** Pseudonymous already: a random id that nothing links to a person once erased. */
  participantId: string;
  completedAt: Date;
  erased: Tally[];
  kept: Tally[];
  /** The id of the completion event: which of the completions on the topic is this service's. */
  eventId: string;
}

const tallySchema = new Schema<Tally>(
  {
    kind: { type: String, required: true },
    count: { type: Number, required: true },
    reason: String,
  },
  { _id: false },
);

const erasureSchema = new Schema<ErasureDocument>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true, index: true },
    completedAt: { type: Date, required: true },
    erased: { type: [tallySchema], default: [] },
    kept: { type: [tallySchema], default: [] },
    eventId: { type: String, required: true },
  },
  { collection: 'privacy_erasures', versionKey: false },
);
erasureSchema.plugin(outboxPlugin);

export function erasureModel(connection: Connection): Model<ErasureDocument> {
  return (
    (connection.models['PrivacyErasure'] as Model<ErasureDocument> | undefined) ??
    connection.model<ErasureDocument>('PrivacyErasure', erasureSchema)
  );
}

export interface CompletedErasure {
  readonly requestId: string;
  readonly participantId: string;
  readonly completedAt: Date;
  readonly erased: readonly Tally[];
  readonly kept: readonly Tally[];
}

export class ErasureLog {
  constructor(readonly model: Model<ErasureDocument>) {}

  static of(connection: Connection): ErasureLog {
    return new ErasureLog(erasureModel(connection));
  }

  async isCompleted(requestId: string): Promise<boolean> {
    return (await this.model.exists({ _id: requestId })) !== null;
  }

  /** Whether the participant's data was erased here: consumers drop late events about them. */
  async isErased(participantId: string): Promise<boolean> {
    return (await this.model.exists({ participantId })) !== null;
  }

  /** Records the completion with its event; false when another replica recorded it first. */
  async record(completion: CompletedErasure, event: OutboxEntry): Promise<boolean> {
    try {
      await this.model.create({
        _id: completion.requestId,
        participantId: completion.participantId,
        completedAt: completion.completedAt,
        erased: [...completion.erased],
        kept: [...completion.kept],
        eventId: event.id,
        ...insertWithEvents([event]),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }
}

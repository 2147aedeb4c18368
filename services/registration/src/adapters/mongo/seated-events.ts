/**
 * The per-event ledger in MongoDB, one document per seated event: arrival
 * numbers come from an atomic `$inc` on it, so concurrent sign-ups are
 * numbered in the order they reach the store.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { SeatedEventLedger, SeatedEventLedgers } from '../../application/enrollments/ports.js';
import type { Capacity } from '../../domain/enrollment.js';

export interface SeatedEventDocument {
  /** `<owner>:<eventId>` */
  _id: string;
  arrivals: number;
  directSeats: number;
  /** null: unlimited. */
  capacity: number | null;
  vacancies: number;
  cancelled: boolean;
  lastArrivalAt: Date;
  /** Arrival numbers no enrollment will hold; absent on ledgers from before it was kept. */
  retired?: number[];
  /** Present while arrivals have come since the last sweep. */
  unswept?: boolean;
}

const seatedEventSchema = new Schema<SeatedEventDocument>(
  {
    _id: { type: String, required: true },
    arrivals: { type: Number, required: true },
    directSeats: { type: Number, required: true },
    capacity: { type: Number, default: null },
    vacancies: { type: Number, required: true, default: 0 },
    cancelled: { type: Boolean, required: true, default: false },
    lastArrivalAt: { type: Date, required: true },
    retired: { type: [Number], default: undefined },
    unswept: { type: Boolean },
  },
  { collection: 'seated_events', versionKey: false, strict: 'throw' },
);
seatedEventSchema.index({ unswept: 1 }, { sparse: true });

export function seatedEventModel(connection: Connection): Model<SeatedEventDocument> {
  return connection.model<SeatedEventDocument>('SeatedEvent', seatedEventSchema);
}

const capacityOf = (stored: number | null): Capacity => stored ?? 'unlimited';
const storedCapacity = (capacity: Capacity): number | null =>
  capacity === 'unlimited' ? null : capacity;

const toLedger = (doc: SeatedEventDocument): SeatedEventLedger => ({
  eventKey: doc._id,
  arrivals: doc.arrivals,
  directSeats: doc.directSeats,
  capacity: capacityOf(doc.capacity),
  vacancies: doc.vacancies,
  cancelled: doc.cancelled,
  retired: doc.retired ?? [],
});

export class MongoSeatedEventLedgers implements SeatedEventLedgers {
  constructor(
    private readonly model: Model<SeatedEventDocument>,
    private readonly clock: () => Date,
  ) {}

  async arrive(
    eventKey: string,
    capacity: Capacity,
    count = 1,
  ): Promise<SeatedEventLedger & { sequence: number }> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: eventKey },
        {
          $inc: { arrivals: count },
          $set: { lastArrivalAt: this.clock(), unswept: true },
          // The seats open when sign-ups begin are handed out by arrival number.
          $setOnInsert: {
            directSeats: storedCapacity(capacity) ?? 0,
            capacity: storedCapacity(capacity),
            vacancies: 0,
            cancelled: false,
          },
        },
        { upsert: true, new: true },
      )
      .lean<SeatedEventDocument>();
    return { ...toLedger(doc), sequence: doc.arrivals - count + 1 };
  }

  async get(eventKey: string): Promise<SeatedEventLedger | null> {
    const doc = await this.model.findById(eventKey).lean<SeatedEventDocument>();
    return doc === null ? null : toLedger(doc);
  }

  async setVacancies(eventKey: string, vacancies: number): Promise<void> {
    await this.model.updateOne({ _id: eventKey }, { $set: { vacancies } });
  }

  async retire(eventKey: string, sequences: readonly number[]): Promise<void> {
    if (sequences.length === 0) return;
    await this.model.updateOne(
      { _id: eventKey },
      { $addToSet: { retired: { $each: [...sequences] } } },
    );
  }

  async changeCapacity(eventKey: string, capacity: Capacity): Promise<void> {
    await this.model.updateOne(
      { _id: eventKey },
      { $set: { capacity: storedCapacity(capacity), directSeats: 0 } },
    );
  }

  async markCancelled(eventKey: string): Promise<void> {
    await this.model.updateOne(
      { _id: eventKey },
      {
        $set: { cancelled: true },
        $setOnInsert: {
          arrivals: 0,
          directSeats: 0,
          capacity: 0,
          vacancies: 0,
          lastArrivalAt: this.clock(),
        },
      },
      { upsert: true },
    );
  }

  async unswept(quietMs: number, limit: number): Promise<SeatedEventLedger[]> {
    const quietSince = new Date(this.clock().getTime() - quietMs);
    const docs = await this.model
      .find({ unswept: { $exists: true }, lastArrivalAt: { $lt: quietSince } })
      .limit(limit)
      .lean<SeatedEventDocument[]>();
    return docs.map(toLedger);
  }

  async markSwept(eventKey: string, arrivals: number): Promise<void> {
    await this.model.updateOne({ _id: eventKey, arrivals }, { $unset: { unswept: 1 } });
  }
}

/**
 * The coverage gaps reported, one document per gap keyed by its identity
 * (township + the last session before it: the _id, hence unique), each
 * inserted with its CoverageGapDetected event, so a gap is published exactly
 * when it is first stored. At most one gap per township is open (a unique
 * index over the open ones); a closed gap stays, so finding it again stores
 * and publishes nothing.
 */
import {
  insertWithEvents,
  outboxPlugin,
  type OutboxEntry,
  type WithOutbox,
} from '@learning/events';
import { driverCollection, failedOnlyOnDuplicates } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type { GapStore, ReportedGap } from '../../application/coverage/ports.js';

export interface CoverageGapDocument extends WithOutbox {
  /** `<townshipCode>@<last session's start, ISO, or "never">` */
  _id: string;
  townshipCode: string;
  /** From the city down to the township. */
  jurisdictionPath: string[];
  months: number;
  lastSessionAt: Date | null;
  detectedAt: Date;
  open: boolean;
  closedAt: Date | null;
}

const coverageGapSchema = new Schema<CoverageGapDocument>(
  {
    _id: { type: String, required: true },
    townshipCode: { type: String, required: true },
    jurisdictionPath: { type: [String], required: true },
    months: { type: Number, required: true },
    lastSessionAt: { type: Date, default: null },
    detectedAt: { type: Date, required: true },
    open: { type: Boolean, required: true },
    closedAt: { type: Date, default: null },
  },
  { collection: 'coverage_gaps', versionKey: false, strict: 'throw' },
);
coverageGapSchema.plugin(outboxPlugin);
// One open gap per township.
coverageGapSchema.index(
  { townshipCode: 1 },
  { unique: true, partialFilterExpression: { open: true } },
);
// The open gaps of a subtree, for the check.
coverageGapSchema.index({ jurisdictionPath: 1, open: 1 });

export const coverageGapModel = (connection: Connection): Model<CoverageGapDocument> =>
  connection.model<CoverageGapDocument>('CoverageGap', coverageGapSchema);

const reported = (doc: CoverageGapDocument): ReportedGap => ({
  id: doc._id,
  townshipCode: doc.townshipCode,
  jurisdictionPath: doc.jurisdictionPath,
  months: doc.months,
  lastSessionAt: doc.lastSessionAt,
  detectedAt: doc.detectedAt,
});

export class MongoGapStore implements GapStore {
  constructor(private readonly model: Model<CoverageGapDocument>) {}

  async openUnder(rootCode: string): Promise<ReportedGap[]> {
    const docs = await this.model
      .find({ jurisdictionPath: rootCode, open: true }, { outbox: 0 })
      .lean<CoverageGapDocument[]>();
    return docs.map(reported);
  }

  async close(ids: readonly string[], closedAt: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.model.updateMany(
      { _id: { $in: [...ids] }, open: true },
      { $set: { open: false, closedAt } },
    );
    return result.modifiedCount;
  }

  async report(
    gaps: readonly (ReportedGap & { events: readonly OutboxEntry[] })[],
  ): Promise<number> {
    const docs: CoverageGapDocument[] = gaps.map((gap) => ({
      _id: gap.id,
      townshipCode: gap.townshipCode,
      jurisdictionPath: [...gap.jurisdictionPath],
      months: gap.months,
      lastSessionAt: gap.lastSessionAt,
      detectedAt: gap.detectedAt,
      open: true,
      closedAt: null,
      ...insertWithEvents(gap.events),
    }));
    try {
      // The driver's insert: it says how many went in when some were duplicates.
      const result = await driverCollection(this.model).insertMany(docs, { ordered: false });
      return result.insertedCount;
    } catch (error) {
      // Stored already (by a rerun or another replica, open or since closed): published then, not now.
      if (failedOnlyOnDuplicates(error)) return error.insertedCount;
      throw error;
    }
  }
}

/**
 * The network gaps already reported, one document per gap keyed by kind +
 * subject + year (the _id, hence unique), each inserted with its
 * NetworkGapDetected event: a gap is published exactly when it is first stored.
 */
import { insertWithEvents, outboxPlugin, type WithOutbox } from '@learning/events';
import { driverCollection, failedOnlyOnDuplicates } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  gapKey,
  type GapKind,
  type ReportedGap,
  type ReportedGapRepository,
} from '../../application/network/ports.js';

export interface ReportedGapDocument extends WithOutbox {
  /** `<kind>:<subjectId>:<year>` */
  _id: string;
  kind: GapKind;
  subjectId: string;
  year: number;
  jurisdictionPath: string[];
  detectedAt: Date;
}

const reportedGapSchema = new Schema<ReportedGapDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    subjectId: { type: String, required: true },
    year: { type: Number, required: true },
    jurisdictionPath: { type: [String], required: true },
    detectedAt: { type: Date, required: true },
  },
  { collection: 'network_reported_gaps', versionKey: false, strict: 'throw' },
);
reportedGapSchema.plugin(outboxPlugin);

export function reportedGapModel(connection: Connection): Model<ReportedGapDocument> {
  return connection.model<ReportedGapDocument>('NetworkReportedGap', reportedGapSchema);
}

export class MongoReportedGapRepository implements ReportedGapRepository {
  constructor(private readonly model: Model<ReportedGapDocument>) {}

  async reported(keys: readonly string[]): Promise<ReadonlySet<string>> {
    if (keys.length === 0) return new Set();
    const docs = await this.model
      .find({ _id: { $in: [...keys] } }, { _id: 1 })
      .lean<Pick<ReportedGapDocument, '_id'>[]>();
    return new Set(docs.map((doc) => doc._id));
  }

  async report(gaps: readonly ReportedGap[]): Promise<number> {
    const docs: ReportedGapDocument[] = gaps.map((gap) => ({
      _id: gapKey(gap),
      kind: gap.kind,
      subjectId: gap.subjectId,
      year: gap.year,
      jurisdictionPath: [...gap.jurisdictionPath],
      detectedAt: gap.detectedAt,
      ...insertWithEvents(gap.events),
    }));
    try {
      // The driver's insert, not mongoose's: it reports how many went in when some were duplicates.
      const result = await driverCollection(this.model).insertMany(docs, { ordered: false });
      return result.insertedCount;
    } catch (error) {
      // A check running at the same time stored some first: theirs were published, ours are not.
      if (failedOnlyOnDuplicates(error)) return error.insertedCount;
      throw error;
    }
  }
}

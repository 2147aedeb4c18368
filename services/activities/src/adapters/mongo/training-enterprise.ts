/**
 * Enterprises' training reports in MongoDB: one document per enterprise and
 * year (`<organizationId>:<year>`), its revisions embedded, the outbox on it.
 * A revision is a compare-and-set on `revision`, so two admins changing the
 * same year cannot both win. What the platform recorded for an enterprise's
 * own programmes is one aggregation over the shared training collections.
 */
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type WithOutbox,
} from '@learning/events';
import { isDuplicateKey, keysetPage } from '@learning/mongo';
import { AppError } from '@learning/errors';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import type {
  EnterpriseReportRepository,
  RecordedTraining,
  ReportPage,
  ReportQuery,
  ReportRevision,
  ReportSums,
  ReportVisibility,
  ReportWrite,
  StoredReport,
} from '../../application/training/enterprise/ports.js';
import { reportIdOf } from '../../application/training/enterprise/report-training.js';
import type { ProgrammeDocument } from './training-models.js';

interface RevisionDocument {
  revision: number;
  trainees: number;
  trainingMinutes: number;
  spendFen: number;
  note: string;
  reportedBy: string;
  reportedAt: Date;
}

export interface ReportDocument extends WithOutbox {
  /** `<organizationId>:<year>`. */
  _id: string;
  organizationId: string;
  organizationName: string;
  year: number;
  leadDepartment: string;
  jurisdictionPath: string[];
  trainees: number;
  trainingMinutes: number;
  /** Yuan in fen, an integer: sums stay exact. */
  spendFen: number;
  note: string;
  revision: number;
  reportedBy: string;
  reportedAt: Date;
  createdAt: Date;
  revisions: RevisionDocument[];
}

const wholeAtLeastZero = { type: Number, required: true, min: 0, validate: Number.isInteger };

const revisionSchema = new Schema<RevisionDocument>(
  {
    revision: { type: Number, required: true, min: 1 },
    trainees: wholeAtLeastZero,
    trainingMinutes: wholeAtLeastZero,
    spendFen: wholeAtLeastZero,
    note: { type: String, default: '' },
    reportedBy: { type: String, required: true },
    reportedAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const reportSchema = new Schema<ReportDocument>(
  {
    _id: { type: String, required: true },
    organizationId: { type: String, required: true },
    organizationName: { type: String, required: true },
    year: { type: Number, required: true },
    leadDepartment: { type: String, required: true },
    jurisdictionPath: { type: [String], required: true },
    trainees: wholeAtLeastZero,
    trainingMinutes: wholeAtLeastZero,
    spendFen: wholeAtLeastZero,
    note: { type: String, default: '' },
    revision: { type: Number, required: true, min: 1 },
    reportedBy: { type: String, required: true },
    reportedAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    revisions: { type: [revisionSchema], required: true },
  },
  {
    collection: 'training_enterprise_reports',
    versionKey: false,
    strict: 'throw',
    minimize: false,
  },
);
reportSchema.plugin(outboxPlugin);
// The officers' lists of a year: everything, by area, by lead department; paged in id order.
reportSchema.index({ year: 1, _id: 1 });
reportSchema.index({ jurisdictionPath: 1, year: 1, _id: 1 });
reportSchema.index({ leadDepartment: 1, year: 1, _id: 1 });

export const enterpriseReportModel = (connection: Connection): Model<ReportDocument> =>
  connection.model<ReportDocument>('TrainingEnterpriseReport', reportSchema);

const toStored = (doc: ReportDocument): StoredReport => ({
  id: doc._id,
  organizationId: doc.organizationId,
  organizationName: doc.organizationName,
  year: doc.year,
  leadDepartment: doc.leadDepartment,
  jurisdictionPath: [...doc.jurisdictionPath],
  trainees: doc.trainees,
  trainingMinutes: doc.trainingMinutes,
  spendFen: doc.spendFen,
  note: doc.note,
  revision: doc.revision,
  reportedBy: doc.reportedBy,
  reportedAt: doc.reportedAt,
  createdAt: doc.createdAt,
  revisions: doc.revisions.map((revision) => ({ ...revision })),
});

const revisionOf = (write: ReportWrite, revision: number): ReportRevision => ({
  revision,
  trainees: write.trainees,
  trainingMinutes: write.trainingMinutes,
  spendFen: write.spendFen,
  note: write.note,
  reportedBy: write.reportedBy,
  reportedAt: write.reportedAt,
});

/** The fields a revision sets, besides its place in `revisions`. */
const currentFields = (write: ReportWrite) => ({
  organizationName: write.organizationName,
  leadDepartment: write.leadDepartment,
  jurisdictionPath: [...write.jurisdictionPath],
  trainees: write.trainees,
  trainingMinutes: write.trainingMinutes,
  spendFen: write.spendFen,
  note: write.note,
  reportedBy: write.reportedBy,
  reportedAt: write.reportedAt,
});

const conflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The report was changed by someone else; read it again and send its ETag as If-Match.',
  );

function visibilityFilter(visibility: ReportVisibility): RootFilterQuery<ReportDocument> {
  if (visibility.everything) return {};
  const reaches: RootFilterQuery<ReportDocument>[] = [];
  if (visibility.underJurisdictions.length > 0)
    reaches.push({ jurisdictionPath: { $in: [...visibility.underJurisdictions] } });
  if (visibility.leadDepartment !== null)
    reaches.push({ leadDepartment: visibility.leadDepartment });
  // No reach at all matches nothing: an _id is never in an empty list.
  return reaches.length === 0 ? { _id: { $in: [] } } : { $or: reaches };
}

interface SumsRow {
  reports: number;
  trainees: number;
  trainingMinutes: number;
  spendFen: number;
}

export class MongoEnterpriseReportRepository implements EnterpriseReportRepository {
  constructor(private readonly model: Model<ReportDocument>) {}

  async get(organizationId: string, year: number): Promise<StoredReport | null> {
    const doc = await this.model
      .findById(reportIdOf(organizationId, year), { outbox: 0, outboxSince: 0 })
      .lean<ReportDocument>();
    return doc === null ? null : toStored(doc);
  }

  async create(write: ReportWrite): Promise<StoredReport> {
    try {
      const created = await this.model.create({
        _id: reportIdOf(write.organizationId, write.year),
        organizationId: write.organizationId,
        year: write.year,
        ...currentFields(write),
        revision: 1,
        createdAt: write.reportedAt,
        revisions: [revisionOf(write, 1)],
        ...insertWithEvents(write.events),
      });
      return toStored(created.toObject<ReportDocument>());
    } catch (error) {
      // Another first report of the same year won the race.
      if (isDuplicateKey(error)) throw conflict();
      throw error;
    }
  }

  async revise(expectedRevision: number, write: ReportWrite): Promise<StoredReport> {
    const revision = expectedRevision + 1;
    const updated = await this.model
      .findOneAndUpdate(
        { _id: reportIdOf(write.organizationId, write.year), revision: expectedRevision },
        updateWithEvents<ReportDocument>(
          {
            $set: { ...currentFields(write), revision },
            $push: { revisions: revisionOf(write, revision) },
          },
          write.events,
        ),
        { new: true, runValidators: true, projection: { outbox: 0, outboxSince: 0 } },
      )
      .lean<ReportDocument>();
    if (updated === null) throw conflict();
    return toStored(updated);
  }

  async list(visibility: ReportVisibility, query: ReportQuery): Promise<ReportPage> {
    const filter: RootFilterQuery<ReportDocument> = { year: query.year };
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.leadDepartment !== undefined) filter.leadDepartment = query.leadDepartment;
    const restrict = (conditions: RootFilterQuery<ReportDocument>) => ({
      $and: [visibilityFilter(visibility), conditions],
    });
    const [page, sums] = await Promise.all([
      keysetPage(
        this.model,
        {
          filter,
          sort: { field: '_id', direction: 'asc' },
          after: query.pageToken ?? null,
          limit: query.pageSize,
        },
        restrict,
      ),
      this.sumsOf(restrict(filter)),
    ]);
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor, sums };
  }

  private async sumsOf(match: RootFilterQuery<ReportDocument>): Promise<ReportSums> {
    const [row] = await this.model.aggregate<SumsRow>([
      { $match: match },
      {
        $group: {
          _id: null,
          reports: { $sum: 1 },
          trainees: { $sum: '$trainees' },
          trainingMinutes: { $sum: '$trainingMinutes' },
          spendFen: { $sum: '$spendFen' },
        },
      },
    ]);
    return {
      reports: row?.reports ?? 0,
      trainees: row?.trainees ?? 0,
      trainingMinutes: row?.trainingMinutes ?? 0,
      spendFen: row?.spendFen ?? 0,
    };
  }
}

interface RecordedRow {
  _id: string;
  minutes: number;
}

/** Reads the shared programme and trainee collections; writes nothing. */
export class MongoRecordedTraining implements RecordedTraining {
  constructor(
    private readonly programmes: Model<ProgrammeDocument>,
    private readonly traineeCollection: string,
  ) {}

  async minutesOf(
    organizationIds: readonly string[],
    year: number,
  ): Promise<ReadonlyMap<string, number>> {
    if (organizationIds.length === 0) return new Map();
    // From the enterprises' few programmes (indexed by enterpriseId) to their trainees (by programmeId).
    const rows = await this.programmes.aggregate<RecordedRow>([
      { $match: { enterpriseId: { $in: [...new Set(organizationIds)] } } },
      { $project: { _id: 1, enterpriseId: 1 } },
      {
        $lookup: {
          from: this.traineeCollection,
          localField: '_id',
          foreignField: 'programmeId',
          as: 'trainees',
        },
      },
      { $unwind: '$trainees' },
      { $match: { 'trainees.year': year } },
      { $group: { _id: '$enterpriseId', minutes: { $sum: '$trainees.minutes' } } },
    ]);
    return new Map(rows.map((row) => [row._id, row.minutes]));
  }
}

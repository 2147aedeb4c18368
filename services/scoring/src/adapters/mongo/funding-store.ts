/**
 * The funding slice's collections (evaluation-models.ts): lines with their
 * audit records in the same single-document write, receipts, enterprises'
 * reports keyed `<organization>:<year>`, and the totals, one aggregation per
 * figure group.
 */
import { formatYuan } from '@learning/domain';
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import { AppError } from '@learning/errors';
import { keysetPage } from '@learning/mongo';
import { mongo, type Model, type RootFilterQuery } from 'mongoose';
import { lineBelowCommitted, lineExists, lineNotFound } from '../../application/funding/errors.js';
import type {
  EnterpriseReport,
  EnterpriseReportQuery,
  EnterpriseReports,
  FundingLine,
  FundingLines,
  FundingReceipt,
  FundingReceipts,
  FundingTotalsReader,
  LineAmountChange,
  NewFundingLine,
  Page,
  PageAsk,
  ReceiptQuery,
  TotalsQuery,
} from '../../application/funding/ports.js';
import type { FundingSource, RawFundingTotals } from '../../domain/funding.js';
import type {
  EnterpriseTrainingReportDocument,
  FundingLineDocument,
  FundingReceiptDocument,
} from './evaluation-models.js';

const isDuplicateKey = (error: unknown): boolean =>
  error instanceof mongo.MongoServerError && error.code === 11000;

export const lineOf = (document: FundingLineDocument): FundingLine => ({
  id: document._id,
  year: document.year,
  code: document.code,
  name: document.name,
  purpose: document.purpose,
  amountFen: document.amountFen,
  remainingFen: document.remainingFen,
  revision: document.revision,
  createdBy: document.createdBy,
  createdAt: document.createdAt,
  updatedAt: document.updatedAt,
});

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The funding line was changed by someone else; reload it and try again.',
  );

/** Without the outbox and the commitments: what a read needs. */
const LINE_FIELDS = { outbox: 0, outboxSince: 0, commitments: 0 } as const;

/** A change that lost a race to a commitment is tried again this many times before it gives up. */
const AMOUNT_ATTEMPTS = 3;

export class MongoFundingLines implements FundingLines {
  constructor(private readonly model: Model<FundingLineDocument>) {}

  async create(line: NewFundingLine): Promise<FundingLine> {
    const { id, events, ...fields } = line;
    try {
      const created = await this.model.create({
        _id: id,
        ...fields,
        remainingFen: fields.amountFen,
        commitments: [],
        revision: 1,
        ...insertWithEvents(events),
      });
      return lineOf(created.toObject<FundingLineDocument>());
    } catch (error) {
      if (isDuplicateKey(error)) throw lineExists();
      throw error;
    }
  }

  async get(id: string): Promise<FundingLine | undefined> {
    const document = await this.model.findOne({ _id: id }, LINE_FIELDS).lean<FundingLineDocument>();
    return document === null ? undefined : lineOf(document);
  }

  async list(year: number | undefined, page: PageAsk): Promise<Page<FundingLine>> {
    const found = await keysetPage(this.model, {
      filter: year === undefined ? {} : { year },
      sort: { field: 'code', direction: 'asc' },
      after: page.pageToken ?? null,
      limit: page.pageSize,
    });
    return { items: found.items.map(lineOf), nextPageToken: found.nextCursor };
  }

  /**
   * Read, check, then write only if neither the line's terms (revision) nor
   * what remains moved below what the change needs meanwhile: a commitment
   * landing in between makes the write miss, and the change is checked again.
   */
  async changeAmount(change: LineAmountChange): Promise<FundingLine> {
    for (let attempt = 1; ; attempt += 1) {
      const line = await this.get(change.id);
      if (line === undefined) throw lineNotFound();
      if (change.expectedRevision !== undefined && change.expectedRevision !== line.revision)
        throw versionConflict();
      const committed = line.amountFen - line.remainingFen;
      if (change.amountFen < committed) throw lineBelowCommitted(formatYuan(committed));
      const difference = change.amountFen - line.amountFen;
      const updated = await this.model
        .findOneAndUpdate(
          { _id: line.id, revision: line.revision, remainingFen: { $gte: -difference } },
          updateWithEvents<FundingLineDocument>(
            {
              $set: { amountFen: change.amountFen, updatedAt: change.updatedAt },
              $inc: { remainingFen: difference, revision: 1 },
            },
            change.events(line),
          ),
          { new: true, projection: LINE_FIELDS },
        )
        .lean<FundingLineDocument>();
      if (updated !== null) return lineOf(updated);
      if (attempt === AMOUNT_ATTEMPTS) throw versionConflict();
    }
  }
}

const receiptOf = (document: FundingReceiptDocument): FundingReceipt => ({
  id: document._id,
  year: document.year,
  source: document.source,
  donor: document.donor,
  amountFen: document.amountFen,
  inKind: document.inKind,
  programme: document.programme,
  jurisdictionPath: document.jurisdictionPath,
  receivedOn: document.receivedOn,
  recordedBy: document.recordedBy,
  createdAt: document.createdAt,
});

export class MongoFundingReceipts implements FundingReceipts {
  constructor(private readonly model: Model<FundingReceiptDocument>) {}

  async record(receipt: FundingReceipt, events: readonly OutboxEntry[]): Promise<FundingReceipt> {
    const { id, ...fields } = receipt;
    const created = await this.model.create({
      _id: id,
      ...fields,
      jurisdictionPath: [...fields.jurisdictionPath],
      ...insertWithEvents(events),
    });
    return receiptOf(created.toObject<FundingReceiptDocument>());
  }

  async list(query: ReceiptQuery, page: PageAsk): Promise<Page<FundingReceipt>> {
    const conditions: RootFilterQuery<FundingReceiptDocument>[] = [];
    if (query.year !== undefined) conditions.push({ year: query.year });
    if (query.source !== undefined) conditions.push({ source: query.source });
    if (query.programme !== undefined) conditions.push({ programme: query.programme });
    if (query.jurisdictionCode !== undefined)
      conditions.push({ jurisdictionPath: query.jurisdictionCode });
    if (query.within !== undefined)
      conditions.push({ jurisdictionPath: { $in: [...query.within] } });
    const found = await keysetPage(this.model, {
      filter: conditions.length === 0 ? {} : { $and: conditions },
      sort: { field: 'createdAt', direction: 'desc' },
      after: page.pageToken ?? null,
      limit: page.pageSize,
    });
    return { items: found.items.map(receiptOf), nextPageToken: found.nextCursor };
  }
}

const reportOf = (document: EnterpriseTrainingReportDocument): EnterpriseReport => ({
  organizationId: document.organizationId,
  year: document.year,
  reportId: document.reportId,
  revision: document.revision,
  trainees: document.trainees,
  trainingMinutes: document.trainingMinutes,
  spendFen: document.spendFen,
  leadDepartment: document.leadDepartment,
  jurisdictionPath: document.jurisdictionPath,
  reportedAt: document.reportedAt,
});

export class MongoEnterpriseReports implements EnterpriseReports {
  constructor(private readonly model: Model<EnterpriseTrainingReportDocument>) {}

  /**
   * Replaces the year's report only when the stored one has a lower revision;
   * when it has this revision or a higher one, the filter misses, the upsert
   * collides with its id, and nothing changes.
   */
  async keep(report: EnterpriseReport): Promise<boolean> {
    try {
      await this.model.updateOne(
        {
          _id: `${report.organizationId}:${String(report.year)}`,
          revision: { $lt: report.revision },
        },
        { $set: { ...report, jurisdictionPath: [...report.jurisdictionPath] } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async list(query: EnterpriseReportQuery, page: PageAsk): Promise<Page<EnterpriseReport>> {
    const filter: RootFilterQuery<EnterpriseTrainingReportDocument> = { year: query.year };
    if (query.organizationIds !== undefined)
      filter.organizationId = { $in: [...query.organizationIds] };
    if (query.leadDepartment !== undefined) filter.leadDepartment = query.leadDepartment;
    const found = await keysetPage(this.model, {
      filter,
      sort: { field: 'organizationId', direction: 'asc' },
      after: page.pageToken ?? null,
      limit: page.pageSize,
    });
    return { items: found.items.map(reportOf), nextPageToken: found.nextCursor };
  }
}

/** A place's township or street: the second code of its path (the city's is the first). */
const TOWNSHIP = { $arrayElemAt: ['$jurisdictionPath', 1] };

interface ReceiptSumRow {
  _id: { source: 'sponsorship' | 'donation'; programme: string; area: string | null };
  fen: number;
}

export class MongoFundingTotals implements FundingTotalsReader {
  constructor(
    private readonly lines: Model<FundingLineDocument>,
    private readonly receipts: Model<FundingReceiptDocument>,
    private readonly reports: Model<EnterpriseTrainingReportDocument>,
  ) {}

  async totals(query: TotalsQuery): Promise<RawFundingTotals> {
    const place =
      query.jurisdictionCode === undefined ? {} : { jurisdictionPath: query.jurisdictionCode };
    const [lineRows, receiptRows, reportRows] = await Promise.all([
      // Lines are the city's own allocation, in no area: counted for the whole city only.
      query.jurisdictionCode === undefined
        ? this.lines.aggregate<{ _id: string; fen: number }>([
            { $match: { year: query.year } },
            { $group: { _id: '$purpose', fen: { $sum: '$amountFen' } } },
          ])
        : Promise.resolve([]),
      this.receipts.aggregate<ReceiptSumRow>([
        { $match: { year: query.year, ...place } },
        {
          $group: {
            _id: { source: '$source', programme: '$programme', area: TOWNSHIP },
            fen: { $sum: '$amountFen' },
          },
        },
      ]),
      this.reports.aggregate<{ _id: string | null; fen: number }>([
        { $match: { year: query.year, ...place } },
        { $group: { _id: TOWNSHIP, fen: { $sum: '$spendFen' } } },
      ]),
    ]);
    const bySource = new Map<FundingSource, number>();
    const add = (source: FundingSource, fen: number) =>
      bySource.set(source, (bySource.get(source) ?? 0) + fen);
    for (const row of lineRows) add('government_allocation', row.fen);
    for (const row of receiptRows) add(row._id.source, row.fen);
    for (const row of reportRows) add('enterprise_training', row.fen);
    return {
      bySource,
      byPurpose: [
        ...lineRows.map((row) => ({ purpose: row._id, fen: row.fen })),
        ...receiptRows.map((row) => ({ purpose: row._id.programme, fen: row.fen })),
      ],
      byArea: [
        ...receiptRows.map((row) => ({ code: row._id.area, fen: row.fen })),
        ...reportRows.map((row) => ({ code: row._id, fen: row.fen })),
      ].flatMap(({ code, fen }) =>
        // The city itself is no township: what was given to it city-wide is in no area's figure.
        typeof code === 'string' ? [{ code, fen }] : [],
      ),
    };
  }
}

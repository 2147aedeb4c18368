/**
 * Contests and their entries in MongoDB (the entries' files are in GridFS, `@learning/attachments`).
 * An entry is its own aggregate (one per participant and contest, by a unique
 * index) carrying the contest's jurisdiction path, so area officers' scopes
 * apply to it; its judges and scorecards live inside it, so each assignment
 * and each scorecard is one conditional single-document write.
 */
import type { AttachmentRef } from '@learning/attachments';
import { CONTENT_CATEGORIES, type ContentCategory } from '@learning/domain';
import { AppError } from '@learning/errors';
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type WithOutbox,
} from '@learning/events';
import type { Logger } from '@learning/logger';
import type { Scope } from '@learning/auth';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import {
  Schema,
  type Connection,
  type Model,
  type RootFilterQuery,
  type UpdateQuery,
} from 'mongoose';
import type {
  ContestChange,
  ContestQuery,
  ContestRepository,
  EntryQuery,
  EntryRepository,
  NewContest,
  NewEntry,
  Organizer,
  Page,
  PanelJudge,
  StoredContest,
  StoredEntry,
  StoredRanking,
  StoredScorecard,
} from '../../application/contests/ports.js';
import { CONTEST_ENTRY_ALREADY_EXISTS, contestErrors } from '../../application/contests/errors.js';
import type { ContestStatus, Criterion } from '../../domain/contests.js';

export interface ContestDocument extends ScopedDocument, WithOutbox {
  _id: string;
  title: string;
  description: string;
  organizer: Organizer;
  leadDepartment: string;
  entryWindow: { opensAt: Date; closesAt: Date };
  ageBand: { min: number; max: number };
  ageReferenceDate: string;
  rubric: Criterion[];
  judgesPerEntry: number;
  judges: PanelJudge[];
  campaignId: string | null;
  /** Absent on contests stored before contests named categories (reads are lean). */
  categories?: ContentCategory[];
  status: ContestStatus;
  results: StoredRanking[] | null;
  publishedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const strictSubdocument = { _id: false, strict: 'throw' } as const;

const contestSchema = new Schema<ContestDocument>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true, maxlength: 200 },
    description: { type: String, default: '', maxlength: 4000 },
    organizer: new Schema(
      {
        kind: { type: String, required: true, enum: ['organization', 'department'] },
        id: { type: String, required: true },
        organizationKind: { type: String },
      },
      strictSubdocument,
    ),
    leadDepartment: { type: String, required: true },
    // The compound index below starts with it.
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    entryWindow: new Schema(
      { opensAt: { type: Date, required: true }, closesAt: { type: Date, required: true } },
      strictSubdocument,
    ),
    ageBand: new Schema(
      { min: { type: Number, required: true }, max: { type: Number, required: true } },
      strictSubdocument,
    ),
    ageReferenceDate: { type: String, required: true },
    rubric: [
      new Schema(
        {
          id: { type: String, required: true },
          name: { type: String, required: true },
          weight: { type: Number, required: true },
          maxPoints: { type: Number, required: true },
        },
        strictSubdocument,
      ),
    ],
    judgesPerEntry: { type: Number, required: true, min: 1 },
    judges: [
      new Schema(
        { judgeId: { type: String, required: true }, organizations: { type: [String] } },
        strictSubdocument,
      ),
    ],
    campaignId: { type: String, default: null },
    categories: { type: [String], enum: CONTENT_CATEGORIES, default: [] },
    status: { type: String, required: true, enum: ['open', 'results_published'] },
    results: {
      type: [
        new Schema(
          {
            entryId: { type: String, required: true },
            participantId: { type: String, required: true },
            rank: { type: Number, required: true },
            average: { type: Number, required: true },
            scorecards: { type: Number, required: true },
          },
          strictSubdocument,
        ),
      ],
      default: null,
    },
    publishedAt: { type: Date, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'contests', versionKey: false, strict: 'throw' },
);
contestSchema.plugin(outboxPlugin);
// Lists within a subtree, paged in id order.
contestSchema.index({ jurisdictionPath: 1, _id: 1 });
// An organizer's own contests.
contestSchema.index({ 'organizer.id': 1, _id: 1 });
// The public lists: contests taking entries, or with results out.
contestSchema.index({ status: 1, _id: 1 });

export function contestModel(connection: Connection): Model<ContestDocument> {
  return connection.model<ContestDocument>('Contest', contestSchema);
}

const toContest = (doc: ContestDocument): StoredContest => ({
  id: doc._id,
  title: doc.title,
  description: doc.description,
  organizer: { ...doc.organizer },
  leadDepartment: doc.leadDepartment,
  jurisdictionPath: doc.jurisdictionPath,
  entryWindow: { opensAt: doc.entryWindow.opensAt, closesAt: doc.entryWindow.closesAt },
  ageBand: { min: doc.ageBand.min, max: doc.ageBand.max },
  ageReferenceDate: doc.ageReferenceDate,
  rubric: doc.rubric.map(({ id, name, weight, maxPoints }) => ({ id, name, weight, maxPoints })),
  judgesPerEntry: doc.judgesPerEntry,
  judges: doc.judges.map(({ judgeId, organizations }) => ({ judgeId, organizations })),
  campaignId: doc.campaignId ?? null,
  categories: [...(doc.categories ?? [])],
  status: doc.status,
  results:
    doc.results == null
      ? null
      : doc.results.map(({ entryId, participantId, rank, average, scorecards }) => ({
          entryId,
          participantId,
          rank,
          average,
          scorecards,
        })),
  publishedAt: doc.publishedAt ?? null,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

export class MongoContestRepository
  extends ScopedRepository<ContestDocument>
  implements ContestRepository
{
  constructor(model: Model<ContestDocument>, logger: Logger) {
    super(model, { entity: 'CONTEST', logger });
  }

  async get(scope: Scope, id: string): Promise<StoredContest | null> {
    const doc = await this.findById(scope, id);
    return doc === null ? null : toContest(doc);
  }

  async create(scope: Scope, contest: NewContest): Promise<StoredContest> {
    const { id, events, ...fields } = contest;
    const doc = await this.insert(scope, {
      _id: id,
      ...fields,
      organizer: { ...fields.organizer },
      jurisdictionPath: [...fields.jurisdictionPath],
      categories: [...fields.categories],
      rubric: fields.rubric.map((criterion) => ({ ...criterion })),
      judges: fields.judges.map((judge) => ({ ...judge, organizations: [...judge.organizations] })),
      results: null,
      ...insertWithEvents(events),
    });
    return toContest(doc);
  }

  async change(scope: Scope, change: ContestChange): Promise<StoredContest> {
    const set: Record<string, unknown> = { updatedAt: change.updatedAt };
    if (change.judges !== undefined)
      set['judges'] = change.judges.map((judge) => ({
        judgeId: judge.judgeId,
        organizations: [...judge.organizations],
      }));
    if (change.entryWindow !== undefined) set['entryWindow'] = { ...change.entryWindow };
    if (change.publication !== undefined) {
      set['status'] = 'results_published';
      set['results'] = change.publication.results.map((ranking) => ({ ...ranking }));
      set['publishedAt'] = change.publication.publishedAt;
    }
    const doc = await this.updateVersioned(
      scope,
      change.id,
      change.expectedVersion,
      updateWithEvents<ContestDocument>({ $set: set }, change.events),
    );
    return toContest(doc);
  }

  async list(scope: Scope, query: ContestQuery): Promise<Page<StoredContest>> {
    const filter: RootFilterQuery<ContestDocument> = {};
    if (query.organizerIds !== undefined) filter['organizer.id'] = { $in: [...query.organizerIds] };
    if (query.stage?.kind === 'results_published') filter.status = 'results_published';
    if (query.stage?.kind === 'entries_open') {
      filter.status = 'open';
      filter['entryWindow.opensAt'] = { $lte: query.stage.at };
      filter['entryWindow.closesAt'] = { $gt: query.stage.at };
    }
    const page = await this.page(scope, {
      filter,
      sort: { field: '_id', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toContest), nextPageToken: page.nextCursor };
  }
}

export interface EntryDocument extends ScopedDocument, WithOutbox {
  _id: string;
  contestId: string;
  participantId: string;
  organizationId: string | null;
  birthDate: string;
  text: string;
  attachment: AttachmentRef | null;
  judges: string[];
  scorecards: StoredScorecard[];
  submittedAt: Date;
  updatedAt: Date;
}

const entrySchema = new Schema<EntryDocument>(
  {
    _id: { type: String, required: true },
    contestId: { type: String, required: true },
    participantId: { type: String, required: true },
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    organizationId: { type: String, default: null },
    birthDate: { type: String, required: true },
    text: { type: String, default: '' },
    attachment: {
      type: new Schema(
        {
          fileRef: { type: String, required: true },
          fileName: { type: String, required: true },
          contentType: { type: String, required: true },
          sizeBytes: { type: Number, required: true },
          sha256: { type: String, required: true },
        },
        strictSubdocument,
      ),
      default: null,
    },
    judges: { type: [String], default: [] },
    scorecards: [
      new Schema(
        {
          judgeId: { type: String, required: true },
          points: { type: Schema.Types.Mixed, required: true },
          weightedTotal: { type: Number, required: true },
          scoredAt: { type: Date, required: true },
        },
        strictSubdocument,
      ),
    ],
    submittedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'contestEntries', versionKey: false, strict: 'throw' },
);
entrySchema.plugin(outboxPlugin);
entrySchema.index({ jurisdictionPath: 1, contestId: 1, _id: 1 });
// One entry per participant per contest.
entrySchema.index({ contestId: 1, participantId: 1 }, { unique: true });
// A judge's work list.
entrySchema.index({ contestId: 1, judges: 1, _id: 1 });

export function entryModel(connection: Connection): Model<EntryDocument> {
  return connection.model<EntryDocument>('ContestEntry', entrySchema);
}

const toEntry = (doc: EntryDocument): StoredEntry => ({
  id: doc._id,
  contestId: doc.contestId,
  participantId: doc.participantId,
  jurisdictionPath: doc.jurisdictionPath,
  organizationId: doc.organizationId ?? null,
  birthDate: doc.birthDate,
  text: doc.text,
  attachment:
    doc.attachment == null
      ? null
      : {
          fileRef: doc.attachment.fileRef,
          fileName: doc.attachment.fileName,
          contentType: doc.attachment.contentType,
          sizeBytes: doc.attachment.sizeBytes,
          sha256: doc.attachment.sha256,
        },
  judges: doc.judges,
  scorecards: doc.scorecards.map(({ judgeId, points, weightedTotal, scoredAt }) => ({
    judgeId,
    points,
    weightedTotal,
    scoredAt,
  })),
  submittedAt: doc.submittedAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

/** Entries read per round trip when a whole contest is ranked or assigned. */
const BATCH = 200;

export class MongoEntryRepository
  extends ScopedRepository<EntryDocument>
  implements EntryRepository
{
  constructor(model: Model<EntryDocument>, logger: Logger) {
    super(model, { entity: 'CONTEST_ENTRY', logger });
  }

  async get(scope: Scope, contestId: string, entryId: string): Promise<StoredEntry | null> {
    const doc = await this.findOne(scope, { _id: entryId, contestId });
    return doc === null ? null : toEntry(doc);
  }

  async findOf(contestId: string, participantId: string): Promise<StoredEntry | null> {
    // The participant's own entry: their id is the reach, wherever the contest runs.
    const doc = await this.model.findOne({ contestId, participantId }).lean<EntryDocument>();
    return doc === null ? null : toEntry(doc);
  }

  async create(scope: Scope, entry: NewEntry): Promise<StoredEntry> {
    const { id, events, ...fields } = entry;
    try {
      const doc = await this.insert(scope, {
        _id: id,
        ...fields,
        jurisdictionPath: [...fields.jurisdictionPath],
        attachment: fields.attachment === null ? null : { ...fields.attachment },
        judges: [],
        scorecards: [],
        ...insertWithEvents(events),
      });
      return toEntry(doc);
    } catch (error) {
      if (error instanceof AppError && error.code === CONTEST_ENTRY_ALREADY_EXISTS)
        throw contestErrors.error(
          CONTEST_ENTRY_ALREADY_EXISTS,
          'You have entered this contest already; each participant sends one entry.',
        );
      throw error;
    }
  }

  async list(scope: Scope, query: EntryQuery): Promise<Page<StoredEntry>> {
    const filter: RootFilterQuery<EntryDocument> = { contestId: query.contestId };
    if (query.judgeId !== undefined) filter.judges = query.judgeId;
    const page = await this.page(scope, {
      filter,
      sort: { field: '_id', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toEntry), nextPageToken: page.nextCursor };
  }

  async *all(scope: Scope, contestId: string): AsyncIterable<StoredEntry[]> {
    let after: string | null = null;
    do {
      const page = await this.page(scope, {
        filter: { contestId },
        sort: { field: '_id', direction: 'asc' },
        after,
        limit: BATCH,
      });
      yield page.items.map(toEntry);
      after = page.nextCursor;
    } while (after !== null);
  }

  private async conditionalUpdate(
    scope: Scope,
    filter: RootFilterQuery<EntryDocument>,
    update: UpdateQuery<EntryDocument>,
    events: NewEntry['events'],
  ): Promise<StoredEntry | null> {
    const withEvents = updateWithEvents<EntryDocument>(update, events);
    const doc = await this.model
      .findOneAndUpdate(
        this.scoped(scope, filter, 'update'),
        { ...withEvents, $inc: { version: 1 } },
        { new: true, runValidators: true },
      )
      .lean<EntryDocument>();
    return doc === null ? null : toEntry(doc);
  }

  assign(
    scope: Scope,
    change: Parameters<EntryRepository['assign']>[1],
  ): Promise<StoredEntry | null> {
    return this.conditionalUpdate(
      scope,
      {
        _id: change.entryId,
        contestId: change.contestId,
        ...(change.expectedVersion === undefined
          ? { judges: { $size: 0 } }
          : { version: change.expectedVersion }),
      },
      { $set: { judges: [...change.judges], updatedAt: change.updatedAt } },
      change.events,
    );
  }

  addScorecard(
    scope: Scope,
    change: Parameters<EntryRepository['addScorecard']>[1],
  ): Promise<StoredEntry | null> {
    const { scorecard } = change;
    return this.conditionalUpdate(
      scope,
      // The condition is the uniqueness of judge and entry: a second card matches nothing.
      {
        _id: change.entryId,
        contestId: change.contestId,
        'scorecards.judgeId': { $ne: scorecard.judgeId },
      },
      {
        $set: { updatedAt: scorecard.scoredAt },
        $push: { scorecards: { ...scorecard, points: { ...scorecard.points } } },
      },
      change.events,
    );
  }
}

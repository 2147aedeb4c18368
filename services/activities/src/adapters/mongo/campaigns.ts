/**
 * Campaigns in MongoDB. One document per edition; `editionKey` (series:year)
 * is unique, so creating next year's edition twice yields one document.
 * `jurisdictionPath` is the path of the campaign's scope root.
 */
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type WithOutbox,
} from '@learning/events';
import type { Logger } from '@learning/logger';
import { Scope } from '@learning/auth';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import type {
  ActivityFigures,
  CampaignActivityFigures,
} from '../../application/campaigns/campaign-progress.js';
import type {
  CampaignChange,
  CampaignPage,
  CampaignQuery,
  CampaignRepository,
  CampaignVisibility,
  NewCampaign,
  StoredCampaign,
} from '../../application/campaigns/campaign-repository.js';
import type { CampaignDirectory, CampaignSummary } from '../../application/ports.js';
import type { ActivityStatus } from '../../domain/activity-lifecycle.js';
import {
  CAMPAIGN_STATUSES,
  editionKey,
  editionSpan,
  type CampaignGoal,
  type CampaignStatus,
  type SubCampaign,
  type YearlyRule,
} from '../../domain/recurrence.js';

export interface CampaignDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  seriesId: string;
  year: number;
  editionKey: string;
  title: string;
  description: string;
  ownerDepartment: string;
  rule: YearlyRule | null;
  startsOn: string;
  endsOn: string;
  /** 00:00 China time after the last day: when the campaign may be closed. */
  endsAt: Date;
  targetTiers: Tier[];
  categories: ContentCategory[];
  /** Code of the scope root; `jurisdictionPath` ends with it. */
  jurisdictionCode: string;
  goals: CampaignGoal[];
  subCampaigns: SubCampaign[];
  status: CampaignStatus;
  /** The edition this one was created from, if any. */
  previousEditionId: string | null;
  launchedAt: Date | null;
  launchedBy: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const goalSchema = new Schema<CampaignGoal>(
  {
    metric: { type: String, required: true },
    target: { type: Number, required: true, min: 0 },
  },
  { _id: false, strict: 'throw' },
);

const ruleSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ['fixed_window', 'same_dates'] },
    startMonth: { type: Number },
    startDay: { type: Number },
    endMonth: { type: Number },
    endDay: { type: Number },
  },
  { _id: false, strict: 'throw' },
);

const subCampaignSchema = new Schema<SubCampaign>(
  {
    tier: { type: String, required: true, enum: TIERS },
    title: { type: String, required: true },
    startsOn: { type: String, required: true },
    endsOn: { type: String, required: true },
    goals: { type: [goalSchema], default: [] },
  },
  { _id: false, strict: 'throw' },
);

const campaignSchema = new Schema<CampaignDocument>(
  {
    _id: { type: String, required: true },
    seriesId: { type: String, required: true },
    year: { type: Number, required: true },
    editionKey: { type: String, required: true },
    title: { type: String, required: true, minlength: 1, maxlength: 200 },
    description: { type: String, default: '' },
    ownerDepartment: { type: String, required: true },
    rule: { type: ruleSchema, default: null },
    startsOn: { type: String, required: true },
    endsOn: { type: String, required: true },
    endsAt: { type: Date, required: true },
    targetTiers: { type: [String], enum: TIERS, default: [] },
    categories: { type: [String], enum: CONTENT_CATEGORIES, default: [] },
    jurisdictionCode: { type: String, required: true },
    jurisdictionPath: scopedFields.jurisdictionPath,
    goals: { type: [goalSchema], default: [] },
    subCampaigns: { type: [subCampaignSchema], default: [] },
    status: { type: String, required: true, enum: CAMPAIGN_STATUSES },
    previousEditionId: { type: String, default: null },
    launchedAt: { type: Date, default: null },
    launchedBy: { type: String, default: null },
    closedAt: { type: Date, default: null },
    closedBy: { type: String, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'campaigns', versionKey: false, strict: 'throw' },
);
campaignSchema.plugin(outboxPlugin);
// One edition per series and year: a retried or racing "next edition" meets this index.
campaignSchema.index({ editionKey: 1 }, { unique: true });
// Public and office lists: by year and status, paged in start order.
campaignSchema.index({ year: 1, status: 1, startsOn: 1, _id: 1 });
// A department's own campaigns.
campaignSchema.index({ ownerDepartment: 1, status: 1, _id: 1 });

export function campaignModel(connection: Connection): Model<CampaignDocument> {
  // The same schema object each time, so every slice that calls this shares one model.
  return connection.model<CampaignDocument>('Campaign', campaignSchema);
}

export const toCampaignSummary = (doc: CampaignDocument): CampaignSummary => ({
  id: doc._id,
  title: doc.title,
  status: doc.status,
  ownerDepartment: doc.ownerDepartment,
  targetTiers: [...doc.targetTiers],
  categories: [...doc.categories],
  scopePath: [...doc.jurisdictionPath],
  startsOn: doc.startsOn,
  endsOn: doc.endsOn,
});

/** What the activities slice reads of a campaign an activity joins. */
export class MongoCampaignDirectory implements CampaignDirectory {
  constructor(private readonly model: Model<CampaignDocument>) {}

  async find(id: string): Promise<CampaignSummary | null> {
    const doc = await this.model.findById(id).lean<CampaignDocument>();
    return doc === null ? null : toCampaignSummary(doc);
  }
}

const toStored = (doc: CampaignDocument): StoredCampaign => ({
  id: doc._id,
  seriesId: doc.seriesId,
  year: doc.year,
  title: doc.title,
  description: doc.description,
  ownerDepartment: doc.ownerDepartment,
  rule: doc.rule ?? null,
  startsOn: doc.startsOn,
  endsOn: doc.endsOn,
  targetTiers: doc.targetTiers,
  categories: doc.categories,
  jurisdictionCode: doc.jurisdictionCode,
  jurisdictionPath: doc.jurisdictionPath,
  goals: doc.goals,
  subCampaigns: doc.subCampaigns,
  status: doc.status,
  previousEditionId: doc.previousEditionId ?? null,
  launchedAt: doc.launchedAt ?? null,
  launchedBy: doc.launchedBy ?? null,
  closedAt: doc.closedAt ?? null,
  closedBy: doc.closedBy ?? null,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

/** 00:00 China time after the last day. */
const endsAtOf = (endsOn: string): Date => editionSpan(endsOn, endsOn).end;

const PUBLIC_STATUSES: CampaignStatus[] = ['launched', 'closed'];

function visibilityFilter(visibility: CampaignVisibility): RootFilterQuery<CampaignDocument> {
  switch (visibility.kind) {
    case 'all':
      return {};
    case 'launched':
      return { status: { $in: PUBLIC_STATUSES } };
    case 'launched_or_owned':
      return {
        $or: [{ status: { $in: PUBLIC_STATUSES } }, { ownerDepartment: visibility.department }],
      };
  }
}

/**
 * Campaigns are the city's programmes: every reader reaches every one, and
 * drafts are kept to their owners by the visibility filter, so the
 * repository reads city-wide.
 */
const CITY = Scope.cityWide();

export class MongoCampaignRepository
  extends ScopedRepository<CampaignDocument>
  implements CampaignRepository
{
  constructor(model: Model<CampaignDocument>, logger: Logger) {
    super(model, { entity: 'CAMPAIGN', logger });
  }

  async get(id: string): Promise<StoredCampaign | null> {
    const doc = await this.findById(CITY, id);
    return doc === null ? null : toStored(doc);
  }

  async findEdition(seriesId: string, year: number): Promise<StoredCampaign | null> {
    const doc = await this.findOne(CITY, { editionKey: editionKey(seriesId, year) });
    return doc === null ? null : toStored(doc);
  }

  async create(campaign: NewCampaign): Promise<StoredCampaign> {
    const { id, events, ...fields } = campaign;
    const doc = await this.insert(CITY, {
      _id: id,
      ...fields,
      editionKey: editionKey(fields.seriesId, fields.year),
      endsAt: endsAtOf(fields.endsOn),
      targetTiers: [...fields.targetTiers],
      categories: [...fields.categories],
      jurisdictionPath: [...fields.jurisdictionPath],
      goals: fields.goals.map((goal) => ({ ...goal })),
      subCampaigns: fields.subCampaigns.map((sub) => ({ ...sub, goals: [...sub.goals] })),
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async change(change: CampaignChange): Promise<StoredCampaign> {
    const set: Record<string, unknown> = { ...change.set, updatedAt: change.updatedAt };
    if (change.set.endsOn !== undefined) set['endsAt'] = endsAtOf(change.set.endsOn);
    const doc = await this.updateVersioned(
      CITY,
      change.id,
      change.expectedVersion,
      updateWithEvents<CampaignDocument>({ $set: set }, change.events),
    );
    return toStored(doc);
  }

  async search(query: CampaignQuery): Promise<CampaignPage> {
    const filter: RootFilterQuery<CampaignDocument> = {};
    if (query.year !== undefined) filter.year = query.year;
    if (query.status !== undefined) filter.status = query.status;
    if (query.tier !== undefined) filter.targetTiers = query.tier;
    if (query.category !== undefined) filter.categories = query.category;
    if (query.ownerDepartment !== undefined) filter.ownerDepartment = query.ownerDepartment;
    if (query.scopeRootIn !== undefined) filter.jurisdictionCode = { $in: [...query.scopeRootIn] };
    const page = await this.page(CITY, {
      filter: { $and: [visibilityFilter(query.visibility), filter] },
      sort: { field: 'startsOn', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }
}

/** Activities that are on or were held: drafts are not yet, cancelled ones never will be. */
const COUNTED_STATUSES: ActivityStatus[] = ['published', 'under_way', 'completed'];

/** The fields of the activities slice's documents that a campaign's progress counts. */
interface CountedActivity {
  campaignId: string | null;
  status: ActivityStatus;
  jurisdictionPath: string[];
  /** Attendance recorded by registration, once per enrollment. */
  attended: number;
}

interface FiguresRow {
  _id: string | null;
  activities: number;
  participantsReached: number;
}

const figuresOfRow = (row: FiguresRow | undefined): ActivityFigures => ({
  activities: row?.activities ?? 0,
  participantsReached: row?.participantsReached ?? 0,
});

/**
 * Counts over the `activities` collection the activities slice writes: read
 * here as plain documents, so progress needs only the fields above.
 */
export class MongoCampaignActivityFigures implements CampaignActivityFigures {
  constructor(private readonly connection: Connection) {}

  async figuresOf(campaignId: string, roots: readonly string[], townshipCodes: readonly string[]) {
    const activities = this.connection.collection<CountedActivity>('activities');
    const counted = {
      campaignId,
      status: { $in: COUNTED_STATUSES },
      jurisdictionPath: { $in: [...roots] },
    };
    const sums = {
      activities: { $sum: 1 },
      participantsReached: { $sum: { $ifNull: ['$attended', 0] } },
    };
    const inTownships = { jurisdictionPath: { $in: [...townshipCodes] } };
    const [totals, perTownship] = await Promise.all([
      activities
        .aggregate<FiguresRow>([{ $match: counted }, { $group: { _id: null, ...sums } }])
        .toArray(),
      activities
        .aggregate<FiguresRow>([
          { $match: { $and: [counted, inTownships] } },
          { $unwind: '$jurisdictionPath' },
          { $match: inTownships },
          { $group: { _id: '$jurisdictionPath', ...sums } },
        ])
        .toArray(),
    ]);
    return {
      total: figuresOfRow(totals[0]),
      byTownship: new Map(
        perTownship.flatMap((row) => (row._id === null ? [] : [[row._id, figuresOfRow(row)]])),
      ),
    };
  }
}

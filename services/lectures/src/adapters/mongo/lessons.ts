/**
 * The online library's lessons in MongoDB. Lessons are for the whole city, so
 * their `jurisdictionPath` is the city level (`*`, as registration files
 * city-wide reference data) and every reader reaches them; who may change one
 * is the slice's decision (lead department, forum). `grams` are the search
 * grams of title and description (`@learning/search`). A session's recording
 * is one lesson at most: `sourceSessionId` is unique where present.
 */
import { Scope } from '@learning/auth';
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type WithOutbox,
} from '@learning/events';
import type { Logger } from '@learning/logger';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import { documentGrams, gramsField, holdsAllGrams } from '@learning/search';
import {
  Schema,
  type Connection,
  type Model,
  type RootFilterQuery,
  type UpdateQuery,
} from 'mongoose';
import type {
  LessonChange,
  LessonPage,
  LessonQuery,
  LessonRepository,
  NewLesson,
  PublicLessonQuery,
  StoredLesson,
} from '../../application/library/ports.js';
import { LESSON_PATH } from '../../application/library/ports.js';
import {
  LESSON_KINDS,
  LESSON_STATUSES,
  MAX_LESSON_SECONDS,
  MAX_REQUIRED_SHARE,
  MIN_REQUIRED_SHARE,
  type LessonKind,
  type LessonStatus,
} from '../../domain/lessons.js';

export interface LessonDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  kind: LessonKind;
  title: string;
  description: string;
  categories: ContentCategory[];
  targetTiers: Tier[];
  lengthSeconds: number;
  requiredShare: number;
  contentUrl: string;
  /** Absent unless a recording, so the unique index skips other lessons. */
  sourceSessionId?: string;
  forumId: string | null;
  leadDepartment: string;
  status: LessonStatus;
  publishedAt: Date | null;
  grams: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const lessonSchema = new Schema<LessonDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: LESSON_KINDS },
    title: { type: String, required: true, minlength: 1, maxlength: 200 },
    description: { type: String, default: '' },
    categories: { type: [String], enum: CONTENT_CATEGORIES, default: [] },
    targetTiers: { type: [String], enum: TIERS, default: [] },
    lengthSeconds: { type: Number, required: true, min: 1, max: MAX_LESSON_SECONDS },
    requiredShare: {
      type: Number,
      required: true,
      min: MIN_REQUIRED_SHARE,
      max: MAX_REQUIRED_SHARE,
    },
    contentUrl: { type: String, required: true, match: /^https:\/\// },
    sourceSessionId: { type: String },
    forumId: { type: String, default: null },
    leadDepartment: { type: String, required: true },
    status: { type: String, required: true, enum: LESSON_STATUSES },
    publishedAt: { type: Date, default: null },
    grams: gramsField(),
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    jurisdictionPath: scopedFields.jurisdictionPath,
    version: scopedFields.version,
  },
  { collection: 'lessons', versionKey: false, strict: 'throw' },
);
lessonSchema.plugin(outboxPlugin);
lessonSchema.path('outbox').select(false);
// The public library, newest first, and its filters.
lessonSchema.index({ status: 1, publishedAt: -1, _id: -1 });
// The public search: a multikey index the $all of a query's grams starts from.
lessonSchema.index({ grams: 1, status: 1 });
// A session's recording is one lesson.
lessonSchema.index({ sourceSessionId: 1 }, { unique: true, sparse: true });
// The office's and managers' lists.
lessonSchema.index({ leadDepartment: 1, createdAt: -1, _id: -1 });
lessonSchema.index({ forumId: 1, createdAt: -1, _id: -1 });

export const lessonModel = (connection: Connection): Model<LessonDocument> =>
  connection.model<LessonDocument>('Lesson', lessonSchema);

const toStored = (doc: LessonDocument): StoredLesson => ({
  id: doc._id,
  kind: doc.kind,
  title: doc.title,
  description: doc.description,
  categories: doc.categories,
  targetTiers: doc.targetTiers,
  lengthSeconds: doc.lengthSeconds,
  requiredShare: doc.requiredShare,
  contentUrl: doc.contentUrl,
  sourceSessionId: doc.sourceSessionId ?? null,
  forumId: doc.forumId ?? null,
  leadDepartment: doc.leadDepartment,
  status: doc.status,
  publishedAt: doc.publishedAt ?? null,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

/** Lessons are read and written at city scope; the slice decides who may. */
const CITY = Scope.cityWide();

export class MongoLessonRepository
  extends ScopedRepository<LessonDocument>
  implements LessonRepository
{
  constructor(model: Model<LessonDocument>, logger: Logger) {
    super(model, { entity: 'LESSON', logger });
  }

  async get(id: string): Promise<StoredLesson | null> {
    const doc = await this.findById(CITY, id);
    return doc === null ? null : toStored(doc);
  }

  async create(lesson: NewLesson): Promise<StoredLesson> {
    const { id, events, sourceSessionId, ...fields } = lesson;
    const doc = await this.insert(CITY, {
      _id: id,
      ...fields,
      categories: [...fields.categories],
      targetTiers: [...fields.targetTiers],
      ...(sourceSessionId === null ? {} : { sourceSessionId }),
      jurisdictionPath: [...LESSON_PATH],
      grams: documentGrams(fields.title, fields.description),
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async change(change: LessonChange): Promise<StoredLesson> {
    const set: Record<string, unknown> = { ...change.fields, updatedAt: change.updatedAt };
    if (change.status !== undefined) set['status'] = change.status;
    if (change.publishedAt !== undefined) set['publishedAt'] = change.publishedAt;
    const { title, description } = change.fields ?? {};
    if (title !== undefined || description !== undefined) {
      if (title === undefined || description === undefined)
        throw new TypeError('title and description change together: both make the search grams');
      set['grams'] = documentGrams(title, description);
    }
    const update: UpdateQuery<LessonDocument> = { $set: set };
    const doc = await this.updateVersioned(
      CITY,
      change.id,
      change.expectedVersion,
      updateWithEvents<LessonDocument>(update, change.events),
    );
    return toStored(doc);
  }

  async list(query: LessonQuery): Promise<LessonPage> {
    const filter: RootFilterQuery<LessonDocument> = {};
    if (query.status !== undefined) filter.status = query.status;
    const reach = query.reach;
    if (reach !== undefined) {
      const either: RootFilterQuery<LessonDocument>[] = [];
      if (reach.leadDepartment !== undefined) either.push({ leadDepartment: reach.leadDepartment });
      if (reach.forumIds !== undefined && reach.forumIds.length > 0)
        either.push({ forumId: { $in: [...reach.forumIds] } });
      if (either.length === 0) return { items: [], nextPageToken: null };
      filter.$or = either;
    }
    const page = await this.page(CITY, {
      filter,
      sort: { field: 'createdAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }

  async listPublic(query: PublicLessonQuery): Promise<LessonPage> {
    const filter: RootFilterQuery<LessonDocument> = { status: 'published' };
    if (query.kind !== undefined) filter.kind = query.kind;
    if (query.tier !== undefined) filter.targetTiers = query.tier;
    if (query.category !== undefined) filter.categories = query.category;
    if (query.grams !== undefined) filter.grams = holdsAllGrams(query.grams);
    const page = await this.page(CITY, {
      filter,
      sort: { field: 'publishedAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }
}

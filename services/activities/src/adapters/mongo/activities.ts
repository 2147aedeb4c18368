/**
 * Activities in MongoDB. `jurisdictionPath` is the path of the place the
 * activity is held, so area officers' scopes apply to it. `startsAt` and
 * `endsAt` are the schedule's bounds, kept beside it for the listings and the
 * scheduler; `grams` are the search grams of title and description
 * (`@learning/search`), since a Mongo text index does not split Chinese.
 * Attendance is counted in the document with the enrollment ids counted, so
 * counting the same enrollment twice is impossible by construction. Those ids,
 * the grams and the outbox grow with the activity and no reader returns them,
 * so queries leave them out (`select: false`); the relay names the outbox.
 */
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type WithOutbox,
} from '@learning/events';
import type { Logger } from '@learning/logger';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import { Scope } from '@learning/auth';
import { documentGrams, gramsField, holdsAllGrams } from '@learning/search';
import {
  Schema,
  type Connection,
  type Model,
  type RootFilterQuery,
  type UpdateQuery,
} from 'mongoose';
import type {
  ActivityChange,
  ActivityPage,
  ActivityQuery,
  ActivityRepository,
  NewActivity,
  PublicActivityQuery,
  StoredActivity,
  Venue,
} from '../../application/activities/activity-repository.js';
import {
  ACTIVITY_KINDS,
  ACTIVITY_STATUSES,
  type ActivityKind,
  type ActivityStatus,
  type Cancellation,
  type Organizer,
  type SignUpWindow,
} from '../../domain/activity-lifecycle.js';
import { endOf, sessionsOf, startOf, type Schedule, type Session } from '../../domain/schedule.js';

interface OrganizerDocument {
  kind: 'organization' | 'department';
  /** The organization's id or the department's code. */
  id: string;
  organizationKind: string | null;
  leadDepartment: string;
}

interface ScheduleDocument {
  kind: 'single' | 'series';
  sessions: Session[];
}

export interface ActivityDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  title: string;
  description: string;
  kind: ActivityKind;
  organizer: OrganizerDocument;
  venue: Venue | null;
  schedule: ScheduleDocument | null;
  /** Absent while there is no schedule. */
  startsAt?: Date;
  endsAt?: Date;
  /** null: unlimited. */
  capacity: number | null;
  signUpWindow: SignUpWindow | null;
  targetTiers: Tier[];
  categories: ContentCategory[];
  ageBand: { min: number; max: number } | null;
  campaignId: string | null;
  status: ActivityStatus;
  cancellation: Cancellation | null;
  publishedAt: Date | null;
  attended: number;
  /** Enrollments whose attendance is in `attended`. */
  attendedEnrollments: string[];
  grams: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const options = { _id: false, strict: 'throw' } as const;

const organizerSchema = new Schema<OrganizerDocument>(
  {
    kind: { type: String, required: true, enum: ['organization', 'department'] },
    id: { type: String, required: true },
    organizationKind: { type: String, default: null },
    leadDepartment: { type: String, required: true },
  },
  options,
);
const venueSchema = new Schema<Venue>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    address: { type: String, default: null },
  },
  options,
);
const sessionSchema = new Schema<Session>(
  { start: { type: Date, required: true }, end: { type: Date, required: true } },
  options,
);
const scheduleSchema = new Schema<ScheduleDocument>(
  {
    kind: { type: String, required: true, enum: ['single', 'series'] },
    sessions: { type: [sessionSchema], required: true },
  },
  options,
);
const windowSchema = new Schema<SignUpWindow>(
  { opensAt: { type: Date, required: true }, closesAt: { type: Date, required: true } },
  options,
);
const ageBandSchema = new Schema<{ min: number; max: number }>(
  { min: { type: Number, required: true }, max: { type: Number, required: true } },
  options,
);
const cancellationSchema = new Schema<Cancellation>(
  {
    reason: { type: String, default: null },
    cancelledBy: { type: String, required: true },
    cancelledAt: { type: Date, required: true },
  },
  options,
);

const activitySchema = new Schema<ActivityDocument>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true, minlength: 1, maxlength: 200 },
    description: { type: String, default: '' },
    kind: { type: String, required: true, enum: ACTIVITY_KINDS },
    organizer: { type: organizerSchema, required: true },
    jurisdictionPath: scopedFields.jurisdictionPath,
    venue: { type: venueSchema, default: null },
    schedule: { type: scheduleSchema, default: null },
    startsAt: { type: Date },
    endsAt: { type: Date },
    capacity: { type: Number, default: null },
    signUpWindow: { type: windowSchema, default: null },
    targetTiers: { type: [String], enum: TIERS, default: [] },
    categories: { type: [String], enum: CONTENT_CATEGORIES, default: [] },
    ageBand: { type: ageBandSchema, default: null },
    campaignId: { type: String, default: null },
    status: { type: String, required: true, enum: ACTIVITY_STATUSES },
    cancellation: { type: cancellationSchema, default: null },
    publishedAt: { type: Date, default: null },
    attended: { type: Number, default: 0 },
    attendedEnrollments: { type: [String], default: [], select: false },
    grams: gramsField(),
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'activities', versionKey: false, strict: 'throw' },
);
activitySchema.plugin(outboxPlugin);
activitySchema.path('outbox').select(false);
// The public listing: what is on in a subtree, earliest first.
activitySchema.index({ status: 1, jurisdictionPath: 1, startsAt: 1, _id: 1 });
// The public search: a multikey index the $all of a query's grams starts from.
activitySchema.index({ grams: 1, status: 1 });
// Officers' lists within a subtree, newest first.
activitySchema.index({ jurisdictionPath: 1, createdAt: -1, _id: -1 });
// Organizers' and lead departments' own lists.
activitySchema.index({ 'organizer.id': 1, createdAt: -1, _id: -1 });
activitySchema.index({ 'organizer.leadDepartment': 1, createdAt: -1, _id: -1 });
// The scheduler: what is due to start, and what is due to end.
activitySchema.index({ status: 1, endsAt: 1 });

export function activityModel(connection: Connection): Model<ActivityDocument> {
  return connection.model<ActivityDocument>('Activity', activitySchema);
}

const organizerDocOf = (organizer: Organizer): OrganizerDocument =>
  organizer.kind === 'organization'
    ? {
        kind: 'organization',
        id: organizer.organizationId,
        organizationKind: organizer.organizationKind,
        leadDepartment: organizer.leadDepartment,
      }
    : {
        kind: 'department',
        id: organizer.department,
        organizationKind: null,
        leadDepartment: organizer.department,
      };

const organizerOf = (doc: OrganizerDocument): Organizer =>
  doc.kind === 'organization'
    ? {
        kind: 'organization',
        organizationId: doc.id,
        organizationKind: doc.organizationKind ?? '',
        leadDepartment: doc.leadDepartment,
      }
    : { kind: 'department', department: doc.id };

const scheduleDocOf = (schedule: Schedule): ScheduleDocument => ({
  kind: schedule.kind,
  sessions: sessionsOf(schedule).map((session) => ({ start: session.start, end: session.end })),
});

function scheduleOf(doc: ScheduleDocument | null): Schedule | null {
  if (doc === null) return null;
  const sessions = doc.sessions.map((s) => ({ start: s.start, end: s.end }));
  const [first] = sessions;
  if (doc.kind === 'single' && first !== undefined) return { kind: 'single', session: first };
  return { kind: 'series', sessions };
}

const toStored = (doc: ActivityDocument): StoredActivity => ({
  id: doc._id,
  title: doc.title,
  description: doc.description,
  kind: doc.kind,
  organizer: organizerOf(doc.organizer),
  jurisdictionPath: doc.jurisdictionPath,
  venue: doc.venue ?? null,
  schedule: scheduleOf(doc.schedule ?? null),
  capacity: doc.capacity ?? 'unlimited',
  signUpWindow: doc.signUpWindow ?? null,
  targetTiers: doc.targetTiers,
  categories: doc.categories,
  ageBand: doc.ageBand ?? null,
  campaignId: doc.campaignId ?? null,
  status: doc.status,
  cancellation: doc.cancellation ?? null,
  publishedAt: doc.publishedAt ?? null,
  attended: doc.attended,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

/** The stored form of edited fields, with the bounds and grams they imply. */
function fieldsUpdate(fields: ActivityChange['fields'] = {}): {
  set: Record<string, unknown>;
  unset: Record<string, ''>;
} {
  const set: Record<string, unknown> = {};
  const unset: Record<string, ''> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'schedule') {
      const schedule = value as Schedule | null;
      set['schedule'] = schedule === null ? null : scheduleDocOf(schedule);
      if (schedule === null) Object.assign(unset, { startsAt: '', endsAt: '' });
      else Object.assign(set, { startsAt: startOf(schedule), endsAt: endOf(schedule) });
    } else if (key === 'capacity') set['capacity'] = value === 'unlimited' ? null : value;
    else set[key] = value;
  }
  if (fields.title !== undefined || fields.description !== undefined) {
    if (fields.title === undefined || fields.description === undefined)
      throw new TypeError('title and description change together: both make the search grams');
    set['grams'] = documentGrams(fields.title, fields.description);
  }
  return { set, unset };
}

export class MongoActivityRepository
  extends ScopedRepository<ActivityDocument>
  implements ActivityRepository
{
  constructor(model: Model<ActivityDocument>, logger: Logger) {
    super(model, { entity: 'ACTIVITY', logger });
  }

  async get(scope: Scope, id: string): Promise<StoredActivity | null> {
    const doc = await this.findById(scope, id);
    return doc === null ? null : toStored(doc);
  }

  async create(scope: Scope, activity: NewActivity): Promise<StoredActivity> {
    const { id, events, organizer, schedule, capacity, ...fields } = activity;
    const doc = await this.insert(scope, {
      _id: id,
      ...fields,
      organizer: organizerDocOf(organizer),
      schedule: schedule === null ? null : scheduleDocOf(schedule),
      ...(schedule === null ? {} : { startsAt: startOf(schedule), endsAt: endOf(schedule) }),
      capacity: capacity === 'unlimited' ? null : capacity,
      jurisdictionPath: [...fields.jurisdictionPath],
      targetTiers: [...fields.targetTiers],
      categories: [...fields.categories],
      attended: 0,
      attendedEnrollments: [],
      grams: documentGrams(fields.title, fields.description),
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async change(scope: Scope, change: ActivityChange): Promise<StoredActivity> {
    const { set, unset } = fieldsUpdate(change.fields);
    set['updatedAt'] = change.updatedAt;
    if (change.status !== undefined) set['status'] = change.status;
    if (change.cancellation !== undefined) set['cancellation'] = change.cancellation;
    if (change.publishedAt !== undefined) set['publishedAt'] = change.publishedAt;
    const update: UpdateQuery<ActivityDocument> = {
      $set: set,
      ...(Object.keys(unset).length === 0 ? {} : { $unset: unset }),
    };
    const doc = await this.updateVersioned(
      scope,
      change.id,
      change.expectedVersion,
      updateWithEvents<ActivityDocument>(update, change.events),
    );
    return toStored(doc);
  }

  async list(scope: Scope, query: ActivityQuery): Promise<ActivityPage> {
    const filter: RootFilterQuery<ActivityDocument> = {};
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.status !== undefined) filter.status = query.status;
    if (query.kind !== undefined) filter.kind = query.kind;
    if (query.campaignId !== undefined) filter.campaignId = query.campaignId;
    if (query.organizerIds !== undefined) filter['organizer.id'] = { $in: [...query.organizerIds] };
    if (query.leadDepartment !== undefined)
      filter['organizer.leadDepartment'] = query.leadDepartment;
    const page = await this.page(scope, {
      filter,
      sort: { field: 'createdAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }

  async listPublic(query: PublicActivityQuery): Promise<ActivityPage> {
    const filter: RootFilterQuery<ActivityDocument> = { status: { $in: [...query.statuses] } };
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.tier !== undefined) filter.targetTiers = query.tier;
    if (query.category !== undefined) filter.categories = query.category;
    if (query.kind !== undefined) filter.kind = query.kind;
    if (query.grams !== undefined) filter.grams = holdsAllGrams(query.grams);
    if (query.from !== undefined) filter.endsAt = { $gt: query.from };
    if (query.to !== undefined) filter.startsAt = { $lt: query.to };
    const page = await this.page(Scope.system('public activities'), {
      filter,
      sort: { field: 'startsAt', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }

  async due(now: Date, limit: number): Promise<StoredActivity[]> {
    const docs = await this.model
      .find(
        this.scoped(
          Scope.system('scheduler'),
          {
            $or: [
              { status: 'published', startsAt: { $lte: now } },
              { status: 'under_way', endsAt: { $lte: now } },
            ],
          },
          'due',
        ),
      )
      .sort({ startsAt: 1, _id: 1 })
      .limit(limit)
      .lean<ActivityDocument[]>();
    return docs.map(toStored);
  }

  async recordAttendance(activityId: string, enrollmentId: string): Promise<boolean> {
    // Not a versioned write: the count is no person's edit and must not make theirs conflict.
    const result = await this.model.updateOne(
      { _id: activityId, attendedEnrollments: { $ne: enrollmentId } },
      { $push: { attendedEnrollments: enrollmentId }, $inc: { attended: 1 } },
    );
    return result.modifiedCount === 1;
  }
}

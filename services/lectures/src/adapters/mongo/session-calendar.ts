/**
 * The sessions slice in MongoDB: its sessions (every read city-wide, since
 * who reaches a session is decided by its forum, see access.ts), and the
 * forums and experts other slices keep, read here only. The calendar a check
 * reads is two ranged index scans (speakerIds + startsAt, venue.id +
 * startsAt), projected to what the rules need.
 */
import { Scope } from '@learning/auth';
import { insertWithEvents, updateWithEvents } from '@learning/events';
import type { Logger } from '@learning/logger';
import { ScopedRepository } from '@learning/mongo';
import type { Model, RootFilterQuery, UpdateQuery } from 'mongoose';
import type {
  CalendarWindow,
  ExpertDirectory,
  ForumDirectory,
  ForumRecord,
  NewSession,
  SessionChange,
  SessionPage,
  SessionQuery,
  SessionRepository,
  StoredSession,
} from '../../application/sessions/ports.js';
import type { CalendarEntry, SpeakerFacts } from '../../domain/scheduling.js';
import type { ForumDocument, SeriesDocument } from './catalogue.js';
import type { ExpertDocument } from './experts.js';
import { sessionRecordOf } from './session-records.js';
import type { SessionDocument } from './sessions.js';

const CITY = Scope.cityWide();

const toStored = (doc: SessionDocument): StoredSession => ({
  ...sessionRecordOf(doc),
  cancellation: doc.cancellation ?? null,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

/** What the clash checks read of each nearby session. */
const CALENDAR_FIELDS = {
  _id: 1,
  title: 1,
  startsAt: 1,
  endsAt: 1,
  speakerIds: 1,
  'venue.id': 1,
  'venue.setting': 1,
  'venue.townshipCode': 1,
} as const;

type CalendarDocument = Pick<
  SessionDocument,
  '_id' | 'title' | 'startsAt' | 'endsAt' | 'speakerIds' | 'venue'
>;

const toEntry = (doc: CalendarDocument): CalendarEntry => ({
  id: doc._id,
  title: doc.title,
  startsAt: doc.startsAt,
  endsAt: doc.endsAt,
  speakerIds: doc.speakerIds,
  venue: { id: doc.venue.id, setting: doc.venue.setting, townshipCode: doc.venue.townshipCode },
});

export class MongoSessionRepository
  extends ScopedRepository<SessionDocument>
  implements SessionRepository
{
  constructor(model: Model<SessionDocument>, logger: Logger) {
    super(model, { entity: 'SESSION', logger });
  }

  async get(id: string): Promise<StoredSession | null> {
    const doc = await this.findById(CITY, id);
    return doc === null ? null : toStored(doc);
  }

  async create(session: NewSession): Promise<StoredSession> {
    const { id, events, grams, ...fields } = session;
    const doc = await this.insert(CITY, {
      _id: id,
      ...fields,
      jurisdictionPath: [...fields.jurisdictionPath],
      speakerIds: [...fields.speakerIds],
      targetTiers: [...fields.targetTiers],
      categories: [...fields.categories],
      venue: { ...fields.venue },
      cancellation: fields.cancellation === null ? null : { ...fields.cancellation },
      materials: [],
      recording: null,
      heldAt: null,
      attendanceCount: null,
      grams: [...grams],
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async change(change: SessionChange): Promise<StoredSession> {
    const update: UpdateQuery<SessionDocument> = {
      $set: { ...change.set, updatedAt: change.updatedAt },
    };
    const doc = await this.updateVersioned(
      CITY,
      change.id,
      change.expectedVersion,
      updateWithEvents<SessionDocument>(update, change.events),
    );
    return toStored(doc);
  }

  async list(query: SessionQuery): Promise<SessionPage> {
    const filter: RootFilterQuery<SessionDocument> = {};
    if (query.forumIds !== undefined) filter.forumId = { $in: [...query.forumIds] };
    if (query.status !== undefined) filter.status = query.status;
    if (query.from !== undefined || query.to !== undefined)
      filter.startsAt = {
        ...(query.from === undefined ? {} : { $gte: query.from }),
        ...(query.to === undefined ? {} : { $lt: query.to }),
      };
    const page = await this.page(CITY, {
      filter,
      sort: { field: 'startsAt', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }

  async calendar(window: CalendarWindow): Promise<CalendarEntry[]> {
    const near = {
      status: 'scheduled' as const,
      startsAt: { $gte: window.from, $lt: window.to },
      ...(window.excludeId === undefined ? {} : { _id: { $ne: window.excludeId } }),
    };
    // A rooted $or: each branch is planned on its own index (speakerIds + startsAt, venue.id +
    // startsAt), and one round trip brings both.
    const docs = await this.model
      .find(
        {
          $or: [
            ...(window.speakerIds.length === 0
              ? []
              : [{ speakerIds: { $in: [...window.speakerIds] }, ...near }]),
            { 'venue.id': window.venueId, ...near },
          ],
        },
        CALENDAR_FIELDS,
      )
      .lean<CalendarDocument[]>();
    return docs.map(toEntry);
  }
}

export class MongoForumDirectory implements ForumDirectory {
  constructor(
    private readonly forums: Model<ForumDocument>,
    private readonly series: Model<SeriesDocument>,
  ) {}

  async find(id: string): Promise<ForumRecord | null> {
    const forum = await this.forums.findById(id).lean<ForumDocument>();
    if (forum === null) return null;
    const series = await this.series
      .findById(forum.seriesId, { ownerDepartment: 1 })
      .lean<Pick<SeriesDocument, 'ownerDepartment'>>();
    return {
      id: forum._id,
      name: forum.name,
      status: forum.status,
      managerSubjects: forum.managerSubjects,
      leadDepartment: forum.leadDepartment,
      ownerDepartment: series?.ownerDepartment ?? '',
      targetTiers: forum.targetTiers,
      categories: forum.categories,
    };
  }

  async reachedBy(subject: string, department: string | undefined): Promise<string[]> {
    const seriesIds =
      department === undefined
        ? []
        : (
            await this.series
              .find({ ownerDepartment: department }, { _id: 1 })
              .lean<Pick<SeriesDocument, '_id'>[]>()
          ).map((series) => series._id);
    const forums = await this.forums
      .find(
        seriesIds.length === 0
          ? { managerSubjects: subject }
          : { $or: [{ managerSubjects: subject }, { seriesId: { $in: seriesIds } }] },
        { _id: 1 },
      )
      .lean<Pick<ForumDocument, '_id'>[]>();
    return forums.map((forum) => forum._id);
  }
}

export class MongoExpertDirectory implements ExpertDirectory {
  constructor(private readonly experts: Model<ExpertDocument>) {}

  async find(ids: readonly string[]): Promise<ReadonlyMap<string, SpeakerFacts>> {
    const found = new Map<string, SpeakerFacts>();
    if (ids.length === 0) return found;
    const docs = await this.experts
      .find(
        { _id: { $in: [...ids] } },
        { _id: 1, displayName: 1, status: 1, travelRadius: 1, availability: 1 },
      )
      .lean<
        Pick<ExpertDocument, '_id' | 'displayName' | 'status' | 'travelRadius' | 'availability'>[]
      >();
    for (const doc of docs)
      found.set(doc._id, {
        id: doc._id,
        displayName: doc.displayName,
        status: doc.status,
        travelRadius: doc.travelRadius,
        availability: doc.availability,
      });
    return found;
  }
}

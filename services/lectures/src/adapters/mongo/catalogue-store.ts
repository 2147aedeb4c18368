/** The series and forums of the catalogue slice, over the shared document shapes (catalogue.ts). */
import { keysetPage } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import {
  catalogueErrors,
  FORUM_ALREADY_EXISTS,
  forumNotFound,
  SERIES_ALREADY_EXISTS,
  seriesNotFound,
} from '../../application/catalogue/errors.js';
import type {
  ForumChange,
  ForumQuery,
  ForumRepository,
  NewForum,
  NewSeries,
  PageQuery,
  Paged,
  SeriesChange,
  SeriesRepository,
  StoredForum,
  StoredSeries,
} from '../../application/catalogue/ports.js';
import type { ForumDocument, SeriesDocument } from './catalogue.js';
import { changeVersioned, insertVersioned } from './versioned-writes.js';

const toSeries = (doc: SeriesDocument): StoredSeries => ({
  id: doc._id,
  name: doc.name,
  description: doc.description,
  ownerDepartment: doc.ownerDepartment,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

const toForum = (doc: ForumDocument): StoredForum => ({
  id: doc._id,
  seriesId: doc.seriesId,
  name: doc.name,
  description: doc.description,
  managerSubjects: doc.managerSubjects,
  targetTiers: doc.targetTiers,
  categories: doc.categories,
  leadDepartment: doc.leadDepartment,
  ownerDepartment: doc.ownerDepartment ?? undefined,
  status: doc.status,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

const seriesRefusals = {
  notFound: seriesNotFound,
  duplicate: () =>
    catalogueErrors.error(SERIES_ALREADY_EXISTS, 'A lecture series of that name exists already.', {
      details: [{ field: '/name', message: 'is already in use' }],
    }),
};

const forumRefusals = {
  notFound: forumNotFound,
  duplicate: () =>
    catalogueErrors.error(FORUM_ALREADY_EXISTS, 'The series has a forum of that name already.', {
      details: [{ field: '/name', message: 'is already in use' }],
    }),
};

/** A malformed id names nothing: the route's schema admits only UUIDs, so a lookup is enough. */
const byId = async <T>(model: Model<T>, id: string): Promise<T | null> =>
  model.findOne({ _id: id }).lean<T>();

export class MongoSeriesRepository implements SeriesRepository {
  constructor(private readonly model: Model<SeriesDocument>) {}

  async get(id: string): Promise<StoredSeries | null> {
    const doc = await byId(this.model, id);
    return doc === null ? null : toSeries(doc);
  }

  async create(series: NewSeries): Promise<StoredSeries> {
    const { id, events, ...fields } = series;
    return toSeries(
      await insertVersioned(this.model, { _id: id, ...fields }, events, seriesRefusals),
    );
  }

  async change(change: SeriesChange): Promise<StoredSeries> {
    return toSeries(
      await changeVersioned(
        this.model,
        { ...change, set: { ...change.set, updatedAt: change.updatedAt } },
        seriesRefusals,
      ),
    );
  }

  async list(query: PageQuery): Promise<Paged<StoredSeries>> {
    const page = await keysetPage(this.model, {
      sort: { field: 'name', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toSeries), nextPageToken: page.nextCursor };
  }
}

export class MongoForumRepository implements ForumRepository {
  constructor(private readonly model: Model<ForumDocument>) {}

  async get(id: string): Promise<StoredForum | null> {
    const doc = await byId(this.model, id);
    return doc === null ? null : toForum(doc);
  }

  async create(forum: NewForum): Promise<StoredForum> {
    const { id, events, ownerDepartment, ...fields } = forum;
    return toForum(
      await insertVersioned(
        this.model,
        {
          _id: id,
          ...fields,
          ...(ownerDepartment === undefined ? {} : { ownerDepartment }),
          managerSubjects: [...fields.managerSubjects],
          targetTiers: [...fields.targetTiers],
          categories: [...fields.categories],
        },
        events,
        forumRefusals,
      ),
    );
  }

  async change(change: ForumChange): Promise<StoredForum> {
    return toForum(
      await changeVersioned(
        this.model,
        { ...change, set: { ...change.set, updatedAt: change.updatedAt } },
        forumRefusals,
      ),
    );
  }

  async search(query: ForumQuery): Promise<Paged<StoredForum>> {
    const filter: RootFilterQuery<ForumDocument> = {};
    if (query.seriesId !== undefined) filter.seriesId = query.seriesId;
    if (query.status !== undefined) filter.status = query.status;
    if (query.tier !== undefined) filter.targetTiers = query.tier;
    if (query.category !== undefined) filter.categories = query.category;
    const { reach } = query;
    const reachFilter: RootFilterQuery<ForumDocument> =
      reach.kind === 'all'
        ? {}
        : {
            $or: [
              { managerSubjects: reach.subject },
              ...(reach.ownerDepartment === undefined
                ? []
                : [{ ownerDepartment: reach.ownerDepartment }]),
            ],
          };
    const page = await keysetPage(this.model, {
      filter: { $and: [reachFilter, filter] },
      sort: { field: '_id', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toForum), nextPageToken: page.nextCursor };
  }
}

/**
 * Training classes in MongoDB (the shared `training_classes` collection),
 * the sessions embedded; the first start and last end are kept beside them
 * for lists, and every write carries its events in the same update.
 */
import { Scope } from '@learning/auth';
import type { Page } from '@learning/domain';
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import type { Logger } from '@learning/logger';
import { keysetPage, ScopedRepository, type Stored } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import { firstStartOf, lastEndOf } from '../../domain/training-classes.js';
import type {
  ClassChange,
  ClassQuery,
  ClassRepository,
  ClassVisibility,
  NewClass,
  PublicClassQuery,
  StoredClass,
} from '../../application/training/classes/ports.js';
import { trainingClassOf, type ClassDocument } from './training-models.js';

const toStored = (doc: Stored<ClassDocument>): StoredClass => ({
  ...trainingClassOf(doc),
  leadDepartment: doc.leadDepartment,
  categories: [...doc.categories],
  createdBy: doc.createdBy,
  updatedAt: doc.updatedAt,
  cancelledAt: doc.cancelledAt ?? null,
  cancellationReason: doc.cancellationReason ?? null,
});

function visibleTo(visibility: ClassVisibility): RootFilterQuery<ClassDocument> {
  if (visibility.all) return {};
  const any: RootFilterQuery<ClassDocument>[] = [];
  if (visibility.departments.length > 0)
    any.push(
      { leadDepartment: { $in: [...visibility.departments] } },
      { 'organizer.departmentCode': { $in: [...visibility.departments] } },
    );
  if (visibility.organizations.length > 0)
    any.push({ 'organizer.organizationId': { $in: [...visibility.organizations] } });
  if (visibility.areas.length > 0) any.push({ jurisdictionPath: { $in: [...visibility.areas] } });
  // Nobody named: nothing matches.
  return any.length === 0 ? { _id: { $in: [] } } : { $or: any };
}

export class MongoTrainingClassRepository
  extends ScopedRepository<ClassDocument>
  implements ClassRepository
{
  constructor(model: Model<ClassDocument>, logger: Logger) {
    super(model, { entity: 'TRAINING_CLASS', logger });
  }

  async create(scope: Scope, trainingClass: NewClass): Promise<StoredClass> {
    const { id, events, ...fields } = trainingClass;
    const doc = await this.insert(scope, {
      ...fields,
      _id: id,
      jurisdictionPath: [...fields.jurisdictionPath],
      sessions: fields.sessions.map((session) => ({ ...session })),
      trainers: fields.trainers.map((trainer) => ({ ...trainer })),
      targetGroups: [...fields.targetGroups],
      categories: [...fields.categories],
      startsAt: firstStartOf(fields.sessions),
      endsAt: lastEndOf(fields.sessions),
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async get(id: string): Promise<StoredClass | null> {
    const doc = await this.findById(Scope.cityWide(), id);
    return doc === null ? null : toStored(doc);
  }

  async change(
    id: string,
    expectedVersion: number,
    change: ClassChange,
    events: readonly OutboxEntry[],
  ): Promise<StoredClass> {
    const set: Record<string, unknown> = { ...change };
    if (change.sessions !== undefined) {
      set['sessions'] = change.sessions.map((session) => ({ ...session }));
      set['startsAt'] = firstStartOf(change.sessions);
      set['endsAt'] = lastEndOf(change.sessions);
    }
    const doc = await this.updateVersioned(
      Scope.cityWide(),
      id,
      expectedVersion,
      updateWithEvents<ClassDocument>({ $set: set }, events),
    );
    return toStored(doc);
  }

  async list(visibility: ClassVisibility, query: ClassQuery): Promise<Page<StoredClass>> {
    const narrower: RootFilterQuery<ClassDocument> = {};
    if (query.programmeId !== undefined) narrower.programmeId = query.programmeId;
    if (query.status !== undefined) narrower.status = query.status;
    const filter: RootFilterQuery<ClassDocument> = { $and: [visibleTo(visibility), narrower] };
    const page = await this.page(Scope.cityWide(), {
      filter,
      sort: { field: 'createdAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextCursor: page.nextCursor };
  }

  async listPublic(query: PublicClassQuery): Promise<Page<StoredClass>> {
    const filter: RootFilterQuery<ClassDocument> = { status: 'published', public: true };
    const range: Record<string, Date> = {};
    if (query.from !== undefined) range['$gte'] = query.from;
    if (query.to !== undefined) range['$lt'] = query.to;
    if (Object.keys(range).length > 0) filter.startsAt = range;
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.targetGroup !== undefined) filter.targetGroups = query.targetGroup;
    if (query.category !== undefined) filter.categories = query.category;
    const page = await keysetPage(
      this.model,
      {
        filter,
        sort: { field: 'startsAt', direction: 'asc' },
        after: query.pageToken ?? null,
        limit: query.pageSize,
      },
      // The instant is ANDed outside the cursor's query, so a cursor outlives the second it was made in.
      (paged) => ({ $and: [paged, { startsAt: { $gt: query.openAfter } }] }),
    );
    return { items: page.items.map(toStored), nextCursor: page.nextCursor };
  }
}

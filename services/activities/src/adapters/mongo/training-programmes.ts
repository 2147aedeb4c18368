/**
 * Training programmes in MongoDB (`training_programmes`, the model in
 * training-models.ts), with their quotas embedded. Every reader reaches every
 * programme through this repository, narrowed by the visibility the
 * application works out (leadership, enterprise, area).
 */
import { Scope } from '@learning/auth';
import { insertWithEvents, updateWithEvents } from '@learning/events';
import type { Logger } from '@learning/logger';
import { ScopedRepository } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import type {
  AreaReach,
  NewProgramme,
  ProgrammeChange,
  ProgrammePage,
  ProgrammeQuery,
  ProgrammeRepository,
  ProgrammeVisibility,
  StoredProgramme,
} from '../../application/training/programmes/programme-repository.js';
import type { ProgrammeStatus } from '../../domain/training.js';
import { programmeOf, type ProgrammeDocument } from './training-models.js';

const toStored = (doc: ProgrammeDocument): StoredProgramme => ({
  ...programmeOf(doc),
  createdBy: doc.createdBy,
  updatedAt: doc.updatedAt,
});

const CITY = Scope.cityWide();
const READABLE_BY_AREA: ProgrammeStatus[] = ['launched', 'closed'];
const NOTHING: RootFilterQuery<ProgrammeDocument> = { _id: { $in: [] } };

/**
 * Programmes overlapping an officer's areas: inside one (their path holds
 * the officer's code) or covering one (their path is a leading part of the
 * area's path, matched as whole arrays).
 */
function areaFilter(reach: AreaReach): RootFilterQuery<ProgrammeDocument> {
  if (reach.cityWide) return { status: { $in: READABLE_BY_AREA } };
  const covering = reach.paths.flatMap((path) => path.map((_, depth) => path.slice(0, depth + 1)));
  return {
    status: { $in: READABLE_BY_AREA },
    $or: [
      { jurisdictionPath: { $in: [...reach.codes] } },
      ...covering.map((prefix) => ({ jurisdictionPath: prefix })),
    ],
  };
}

function visibilityFilter(visibility: ProgrammeVisibility): RootFilterQuery<ProgrammeDocument> {
  if (visibility.kind === 'all') return {};
  const parts: RootFilterQuery<ProgrammeDocument>[] = [
    ...(visibility.leadDepartments.length === 0
      ? []
      : [{ leadDepartment: { $in: [...visibility.leadDepartments] } }]),
    ...(visibility.enterpriseIds.length === 0
      ? []
      : [{ enterpriseId: { $in: [...visibility.enterpriseIds] } }]),
    ...(visibility.area === null ? [] : [areaFilter(visibility.area)]),
  ];
  return parts.length === 0 ? NOTHING : { $or: parts };
}

export class MongoProgrammeRepository
  extends ScopedRepository<ProgrammeDocument>
  implements ProgrammeRepository
{
  constructor(model: Model<ProgrammeDocument>, logger: Logger) {
    super(model, { entity: 'PROGRAMME', logger });
  }

  async get(id: string): Promise<StoredProgramme | null> {
    const doc = await this.findById(CITY, id);
    return doc === null ? null : toStored(doc);
  }

  async create(programme: NewProgramme): Promise<StoredProgramme> {
    const { id, events, ...fields } = programme;
    const doc = await this.insert(CITY, {
      _id: id,
      ...fields,
      jurisdictionPath: [...fields.jurisdictionPath],
      targetGroups: [...fields.targetGroups],
      categories: [...fields.categories],
      quotas: fields.quotas.map((quota) => ({ ...quota })),
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async change(change: ProgrammeChange): Promise<StoredProgramme> {
    const doc = await this.updateVersioned(
      CITY,
      change.id,
      change.expectedVersion,
      updateWithEvents<ProgrammeDocument>(
        { $set: { ...change.set, updatedAt: change.updatedAt } },
        change.events,
      ),
    );
    return toStored(doc);
  }

  async search(query: ProgrammeQuery): Promise<ProgrammePage> {
    const filter: RootFilterQuery<ProgrammeDocument> = {};
    if (query.year !== undefined) {
      filter.firstYear = { $lte: query.year };
      filter.lastYear = { $gte: query.year };
    }
    if (query.leadDepartment !== undefined) filter.leadDepartment = query.leadDepartment;
    if (query.status !== undefined) filter.status = query.status;
    if (query.targetGroup !== undefined) filter.targetGroups = query.targetGroup;
    if (query.category !== undefined) filter.categories = query.category;
    const page = await this.page(CITY, {
      filter: { $and: [visibilityFilter(query.visibility), filter] },
      sort: { field: 'createdAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }
}

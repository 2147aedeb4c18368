/**
 * The indicator systems slice's writes and lists over the shared collection
 * (evaluation-models.ts): each write carries its audit record in the same
 * single-document update; a change applies only at the version read and only
 * while the system is not frozen, so a lock that wins a race is never
 * followed by a change.
 */
import { insertWithEvents, updateWithEvents } from '@learning/events';
import { AppError } from '@learning/errors';
import { isDuplicateKey, keysetPage } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import {
  systemExists,
  systemFrozen,
  systemNotFound,
} from '../../application/indicator-systems/errors.js';
import type {
  IndicatorSystemRepository,
  NewIndicatorSystem,
  StoredIndicatorSystem,
  SystemChange,
  SystemPage,
  SystemQuery,
} from '../../application/indicator-systems/ports.js';
import type { Indicator } from '../../domain/evaluation.js';
import type { IndicatorSystemDocument } from './evaluation-models.js';
import { indicatorSystemOf } from './indicator-system-reader.js';

const storedOf = (document: IndicatorSystemDocument): StoredIndicatorSystem => ({
  ...indicatorSystemOf(document),
  history: document.history.map((entry) => ({
    version: entry.version,
    passMark: entry.passMark,
    indicators: entry.indicators.map((indicator) => ({
      ...indicator,
      method: { ...indicator.method },
    })),
    supersededAt: entry.savedAt,
    supersededBy: entry.savedBy,
  })),
  frozenAt: document.frozenAt,
  createdBy: document.createdBy,
  createdAt: document.createdAt,
  updatedAt: document.updatedAt,
});

const indicatorDocuments = (
  indicators: readonly Indicator[],
): IndicatorSystemDocument['indicators'] =>
  indicators.map((indicator) => ({ ...indicator, method: { ...indicator.method } }));

export class MongoIndicatorSystemRepository implements IndicatorSystemRepository {
  constructor(private readonly model: Model<IndicatorSystemDocument>) {}

  async get(id: string): Promise<StoredIndicatorSystem | null> {
    const document = await this.model.findOne({ _id: id }).lean<IndicatorSystemDocument>();
    return document === null ? null : storedOf(document);
  }

  async create(system: NewIndicatorSystem): Promise<StoredIndicatorSystem> {
    const { id, events, indicators, ...fields } = system;
    try {
      const created = await this.model.create({
        _id: id,
        ...fields,
        indicators: indicatorDocuments(indicators),
        history: [],
        frozenAt: null,
        updatedAt: fields.createdAt,
        ...insertWithEvents(events),
      });
      return storedOf(created.toObject<IndicatorSystemDocument>());
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.model
        .findOne({ year: system.year, target: system.target })
        .lean<IndicatorSystemDocument>();
      // The unique index is on (year, target) alone, so the one that took the place is there.
      if (existing === null) throw error;
      throw systemExists({ ...existing, id: existing._id });
    }
  }

  async replace(change: SystemChange): Promise<StoredIndicatorSystem> {
    const { replaced } = change;
    const updated = await this.model
      .findOneAndUpdate(
        { _id: change.id, version: replaced.version, frozenAt: null },
        updateWithEvents<IndicatorSystemDocument>(
          {
            $set: {
              name: change.name,
              passMark: change.passMark,
              indicators: indicatorDocuments(change.indicators),
              updatedAt: change.savedAt,
            },
            $inc: { version: 1 },
            $push: {
              history: {
                version: replaced.version,
                passMark: replaced.passMark,
                indicators: indicatorDocuments(replaced.indicators),
                savedAt: change.savedAt,
                savedBy: change.savedBy,
              },
            },
          },
          change.events,
        ),
        { new: true, runValidators: true },
      )
      .lean<IndicatorSystemDocument>();
    if (updated !== null) return storedOf(updated);
    const current = await this.model
      .findOne({ _id: change.id }, { frozenAt: 1 })
      .lean<Pick<IndicatorSystemDocument, 'frozenAt'>>();
    if (current === null) throw systemNotFound();
    if (current.frozenAt !== null) throw systemFrozen();
    throw new AppError(
      'aborted',
      'VERSION_CONFLICT',
      'The indicator system was changed by someone else; reload it and try again.',
    );
  }

  async list(query: SystemQuery): Promise<SystemPage> {
    const filter: RootFilterQuery<IndicatorSystemDocument> = {};
    if (query.year !== undefined) filter.year = query.year;
    if (query.target !== undefined) filter.target = query.target;
    const page = await keysetPage(this.model, {
      filter,
      sort: { field: 'createdAt', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(storedOf), nextPageToken: page.nextCursor };
  }
}

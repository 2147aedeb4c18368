/**
 * The rules slice's writes and lists over the rule documents (rules.ts):
 * each write carries its audit record in the same single-document update,
 * sets the years the versions span (the rule book's index), and applies
 * only at the revision read.
 */
import { insertWithEvents, updateWithEvents } from '@learning/events';
import { AppError } from '@learning/errors';
import { keysetPage } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import { ruleNotFound } from '../../application/rules/errors.js';
import type {
  NewRule,
  RulePage,
  RuleQuery,
  RuleRepository,
  StoredRule,
  VersionsChange,
} from '../../application/rules/ports.js';
import type { SourceKind } from '../../domain/facts.js';
import { yearsOf } from '../../domain/rule-book.js';
import type { RuleKind, RuleVersion } from '../../domain/rules.js';
import { ruleOf } from './rule-book.js';
import type { RuleRecord, RuleVersionDocument } from './rules.js';

const storedOf = (document: RuleRecord): StoredRule => ({
  ...ruleOf(document),
  revision: document.revision,
  createdAt: document.createdAt,
  updatedAt: document.updatedAt,
});

const versionDocument = (version: RuleVersion): RuleVersionDocument => ({
  version: version.version,
  effectiveFrom: version.effectiveFrom,
  effectiveTo: version.effectiveTo,
  basis:
    version.basis.kind === 'by_rank'
      ? {
          kind: 'by_rank',
          bands: version.basis.bands.map(({ upToRank, credits }) => ({ upToRank, credits })),
        }
      : { kind: version.basis.kind, credits: version.basis.credits },
  dailyCap: version.dailyCap,
  yearlyCap: version.yearlyCap,
  bonusPercent: version.bonusPercent,
  createdBy: version.createdBy,
  createdAt: version.createdAt,
});

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The rule was changed by someone else; reload it and try again.',
  );

export class MongoRuleRepository implements RuleRepository {
  constructor(private readonly model: Model<RuleRecord>) {}

  async get(id: string): Promise<StoredRule | null> {
    const document = await this.model.findOne({ _id: id }).lean<RuleRecord>();
    return document === null ? null : storedOf(document);
  }

  async create(rule: NewRule): Promise<StoredRule> {
    const { id, events, versions, ...fields } = rule;
    const created = await this.model.create({
      _id: id,
      ...fields,
      categories: [...fields.categories],
      tiers: [...fields.tiers],
      versions: versions.map(versionDocument),
      ...yearsOf(versions),
      revision: 1,
      ...insertWithEvents(events),
    });
    return storedOf(created.toObject<RuleRecord>());
  }

  async changeVersions(change: VersionsChange): Promise<StoredRule> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: change.id, revision: change.expectedRevision },
        updateWithEvents<RuleRecord>(
          {
            $set: {
              versions: change.versions.map(versionDocument),
              ...yearsOf(change.versions),
              updatedAt: change.updatedAt,
            },
            $inc: { revision: 1 },
          },
          change.events,
        ),
        { new: true, runValidators: true },
      )
      .lean<RuleRecord>();
    if (updated !== null) return storedOf(updated);
    if ((await this.model.exists({ _id: change.id })) === null) throw ruleNotFound();
    throw versionConflict();
  }

  async rivalsOf(kind: RuleKind, source: SourceKind): Promise<StoredRule[]> {
    const documents = await this.model.find({ kind, source }).lean<RuleRecord[]>();
    return documents.map(storedOf);
  }

  async list(query: RuleQuery): Promise<RulePage> {
    const filter: RootFilterQuery<RuleRecord> = {};
    if (query.source !== undefined) filter.source = query.source;
    if (query.kind !== undefined) filter.kind = query.kind;
    if (query.inForceOn !== undefined) {
      const day = query.inForceOn;
      filter.versions = {
        $elemMatch: {
          effectiveFrom: { $lte: day },
          $or: [{ effectiveTo: null }, { effectiveTo: { $gte: day } }],
        },
      };
    }
    // Versions are kept in date order, so the first one says when the rule starts.
    if (query.announcedAfter !== undefined)
      filter['versions.0.effectiveFrom'] = { $gt: query.announcedAfter };
    const page = await keysetPage(this.model, {
      filter,
      sort: { field: 'createdAt', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(storedOf), nextPageToken: page.nextCursor };
  }
}

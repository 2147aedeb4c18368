/** The cases slice's store over its collection, and the awards it reads (awards-models.ts). */
import { insertWithEvents, updateWithEvents, type OutboxEntry } from '@learning/events';
import { isDuplicateKey, keysetPage } from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import type { Award, Page } from '../../application/awards/ports.js';
import { caseExists } from '../../application/cases/errors.js';
import type {
  AwardReader,
  CaseChange,
  CaseStore,
  ExemplaryCase,
  PublicCaseQuery,
} from '../../application/cases/ports.js';
import type { AwardDocument, CaseDocument } from './awards-models.js';
import { awardOf } from './awards-store.js';

const caseOf = (document: CaseDocument): ExemplaryCase => ({
  id: document._id,
  award: {
    id: document.awardId,
    year: document.year,
    category: document.category,
    organizationKind: document.organizationKind,
    nominee: document.nominee,
  },
  title: document.title,
  body: document.body,
  images: document.images,
  consent: document.consent,
  status: document.status,
  publishedAt: document.publishedAt,
  createdBy: document.createdBy,
  createdAt: document.createdAt,
  updatedAt: document.updatedAt,
});

const consentDocument = (consent: ExemplaryCase['consent']): CaseDocument['consent'] =>
  consent === null ? null : { ...consent };

export class MongoCaseStore implements CaseStore {
  constructor(private readonly model: Model<CaseDocument>) {}

  async create(exemplaryCase: ExemplaryCase, events: readonly OutboxEntry[]): Promise<void> {
    const { award } = exemplaryCase;
    try {
      await this.model.create({
        _id: exemplaryCase.id,
        awardId: award.id,
        year: award.year,
        category: award.category,
        organizationKind: award.organizationKind,
        nominee: {
          ...award.nominee,
          jurisdictionPath: [...award.nominee.jurisdictionPath],
          organizationIds: [...award.nominee.organizationIds],
        },
        title: exemplaryCase.title,
        body: exemplaryCase.body,
        images: exemplaryCase.images.map((image) => ({ ...image })),
        consent: consentDocument(exemplaryCase.consent),
        status: exemplaryCase.status,
        publishedAt: exemplaryCase.publishedAt,
        createdBy: exemplaryCase.createdBy,
        createdAt: exemplaryCase.createdAt,
        updatedAt: exemplaryCase.updatedAt,
        ...insertWithEvents(events),
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw caseExists();
      throw error;
    }
  }

  async get(id: string): Promise<ExemplaryCase | null> {
    const document = await this.model.findById(id).lean<CaseDocument>();
    return document === null ? null : caseOf(document);
  }

  async change(change: CaseChange): Promise<ExemplaryCase | null> {
    const updated = await this.model
      .findOneAndUpdate(
        { _id: change.id, status: change.from },
        updateWithEvents<CaseDocument>(
          {
            $set: {
              status: change.status,
              consent: consentDocument(change.consent),
              publishedAt: change.publishedAt,
              updatedAt: change.updatedAt,
            },
          },
          change.events,
        ),
        { new: true, runValidators: true },
      )
      .lean<CaseDocument>();
    return updated === null ? null : caseOf(updated);
  }

  async published(query: PublicCaseQuery): Promise<Page<ExemplaryCase>> {
    const filter: RootFilterQuery<CaseDocument> = { status: 'published' };
    if (query.year !== undefined) filter.year = query.year;
    if (query.kind === 'person') filter['nominee.kind'] = 'person';
    else if (query.kind !== undefined) filter.organizationKind = query.kind;
    if (query.jurisdictionCode !== undefined)
      filter['nominee.jurisdictionPath'] = query.jurisdictionCode;
    const found = await keysetPage(this.model, {
      filter,
      // publishedAt may be null, so it cannot be a keyset; a published case's updatedAt is
      // when it was published, as nothing changes it afterwards but a withdrawal.
      sort: { field: 'updatedAt', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: found.items.map(caseOf), nextPageToken: found.nextCursor };
  }

  async publishedOfPerson(participantId: string): Promise<readonly ExemplaryCase[]> {
    const documents = await this.model
      .find({ status: 'published', 'nominee.kind': 'person', 'nominee.id': participantId })
      .lean<CaseDocument[]>();
    return documents.map(caseOf);
  }
}

export class MongoAwardReader implements AwardReader {
  constructor(private readonly awards: Model<AwardDocument>) {}

  async award(id: string): Promise<Award | null> {
    const document = await this.awards.findById(id).lean<AwardDocument>();
    return document === null ? null : awardOf(document);
  }
}

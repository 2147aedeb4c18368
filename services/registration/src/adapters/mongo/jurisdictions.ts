/**
 * Jurisdictions in MongoDB. A node's `jurisdictionPath` is its own path (the
 * codes from the city down to itself), so "descendants of X" is "X is in
 * jurisdictionPath" and the node scopes like any other scoped document.
 */
import type { Logger } from '@learning/logger';
import { Scope } from '@learning/auth';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import { Schema, type AnyBulkWriteOperation, type Connection, type Model } from 'mongoose';
import type {
  DescendantsQuery,
  JurisdictionPage,
  JurisdictionRepository,
  JurisdictionWrite,
  StoredJurisdiction,
} from '../../application/jurisdiction-repository.js';
import { jurisdictionImportConflict } from '../../application/errors.js';
import { JURISDICTION_LEVELS, type JurisdictionLevel } from '../../domain/jurisdictions.js';

export interface JurisdictionDocument extends ScopedDocument {
  code: string;
  name: string;
  level: JurisdictionLevel;
  parentCode: string | null;
}

const jurisdictionSchema = new Schema<JurisdictionDocument>(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    level: { type: String, required: true, enum: JURISDICTION_LEVELS },
    parentCode: { type: String, default: null },
    // The compound index below serves both scope filters and descendant pages.
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    version: scopedFields.version,
  },
  { collection: 'jurisdictions', versionKey: false, strict: 'throw' },
);
// Descendants of a node, in code order: equality on the path element, then the sort key.
jurisdictionSchema.index({ jurisdictionPath: 1, code: 1 });

export function jurisdictionModel(connection: Connection): Model<JurisdictionDocument> {
  return connection.model<JurisdictionDocument>('Jurisdiction', jurisdictionSchema);
}

/**
 * Jurisdictions are reference data: any signed-in person reads the whole tree,
 * and only the city admin (city-wide by role) imports it, so every query runs
 * city-wide.
 */
const cityWide = Scope.cityWide();

const toStored = (doc: JurisdictionDocument): StoredJurisdiction => ({
  code: doc.code,
  name: doc.name,
  level: doc.level,
  parentCode: doc.parentCode,
  path: doc.jurisdictionPath,
  version: doc.version,
});

export class MongoJurisdictionRepository
  extends ScopedRepository<JurisdictionDocument>
  implements JurisdictionRepository
{
  constructor(model: Model<JurisdictionDocument>, logger: Logger) {
    super(model, { entity: 'JURISDICTION', logger });
  }

  async listAll(): Promise<StoredJurisdiction[]> {
    const docs = await this.model
      .find(this.scoped(cityWide, {}, 'listAll'))
      .lean<JurisdictionDocument[]>();
    return docs.map(toStored);
  }

  async findByCodes(codes: readonly string[]): Promise<StoredJurisdiction[]> {
    if (codes.length === 0) return [];
    const docs = await this.model
      .find(this.scoped(cityWide, { code: { $in: [...codes] } }, 'findByCodes'))
      .lean<JurisdictionDocument[]>();
    return docs.map(toStored);
  }

  async saveAll(writes: readonly JurisdictionWrite[]): Promise<void> {
    const operations: AnyBulkWriteOperation<JurisdictionDocument>[] = writes.map(
      ({ node, path, expectedVersion }) => {
        const fields = {
          name: node.name,
          level: node.level,
          parentCode: node.parentCode,
          jurisdictionPath: [...path],
        };
        // A new node is only ever inserted: a concurrent import that got there first is left alone.
        if (expectedVersion === null) {
          return {
            updateOne: {
              filter: { code: node.code },
              update: { $setOnInsert: { code: node.code, ...fields, version: 1 } },
              upsert: true,
            },
          };
        }
        return {
          updateOne: {
            filter: { code: node.code, version: expectedVersion },
            update: { $set: fields, $inc: { version: 1 } },
          },
        };
      },
    );
    const inserts = writes.filter((write) => write.expectedVersion === null).length;
    const result = await this.model.bulkWrite(operations, { ordered: false });
    // An insert that found its node, or a change that missed its version, raced another import.
    if (result.upsertedCount !== inserts || result.matchedCount !== writes.length - inserts)
      throw jurisdictionImportConflict();
  }

  async descendants(query: DescendantsQuery): Promise<JurisdictionPage> {
    const page = await this.page(cityWide, {
      filter: {
        jurisdictionPath: query.ancestorCode,
        code: { $ne: query.ancestorCode },
        ...(query.level === undefined ? {} : { level: query.level }),
      },
      sort: { field: 'code', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }

  async *streamDescendants(
    ancestorCode: string,
    levels: readonly JurisdictionLevel[],
    batchSize: number,
  ): AsyncIterable<StoredJurisdiction[]> {
    const cursor = this.model
      .find(
        this.scoped(
          cityWide,
          {
            jurisdictionPath: ancestorCode,
            code: { $ne: ancestorCode },
            ...(levels.length === 0 ? {} : { level: { $in: [...levels] } }),
          },
          'streamDescendants',
        ),
      )
      .sort({ code: 1 })
      .lean<JurisdictionDocument>()
      .cursor({ batchSize });
    let batch: StoredJurisdiction[] = [];
    for await (const doc of cursor) {
      batch.push(toStored(doc));
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

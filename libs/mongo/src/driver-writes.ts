/**
 * Writes that go straight to the driver on hot paths (a sign-up, an import
 * batch), skipping mongoose's per-document casting and validation, while
 * keeping the model's document type and its schema as the one definition of
 * what a stored document is.
 */
import { mongo, type Error as MongooseError, type Model } from 'mongoose';
import { DUPLICATE_KEY, writeErrorsOf } from './write-errors.js';

/** The driver's collection behind `model`, typed by the model's documents. */
export function driverCollection<T extends mongo.Document>(model: Model<T>): mongo.Collection<T> {
  return model.db.collection<T>(model.collection.collectionName);
}

/**
 * The schema's verdict on a document built for a driver write: undefined when
 * valid, else the failing paths. Tests run every such document builder through
 * it, so the schema stays the one place that says what may be stored.
 */
export function schemaViolations<T>(model: Model<T>, doc: T): string[] | undefined {
  // Typed as null when valid, but mongoose 8 returns undefined.
  const error: MongooseError.ValidationError | null | undefined = new model(doc).validateSync();
  return error == null ? undefined : Object.keys(error.errors).sort();
}

export type InsertResult = 'created' | 'existing' | 'failed';

/**
 * Inserts each document unless one with its `_id` exists, in one unordered
 * bulk write, and says per document what happened. A document whose natural
 * key (another unique index) is held by a record with another id also counts
 * as existing.
 */
export async function insertAbsent<T extends { _id: string }>(
  model: Model<T>,
  docs: readonly T[],
): Promise<InsertResult[]> {
  if (docs.length === 0) return [];
  const operations = docs.map((doc): mongo.AnyBulkWriteOperation<T> => ({
    updateOne: {
      // The driver's Filter<T> cannot see `_id: string` through an unresolved T.
      filter: { _id: doc._id } as mongo.Filter<T>,
      update: { $setOnInsert: doc },
      upsert: true,
    },
  }));
  const results: InsertResult[] = docs.map(() => 'existing');
  let upserted: Record<number, unknown>;
  try {
    upserted = (await driverCollection(model).bulkWrite(operations, { ordered: false }))
      .upsertedIds;
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    upserted = error.result.upsertedIds;
    for (const writeError of writeErrorsOf(error))
      results[writeError.index] = writeError.code === DUPLICATE_KEY ? 'existing' : 'failed';
  }
  for (const index of Object.keys(upserted)) results[Number(index)] = 'created';
  return results;
}

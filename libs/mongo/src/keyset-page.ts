/**
 * Keyset pagination on (sort field, _id) over one model: stable under inserts,
 * no skipped or repeated items, with an opaque cursor valid only for the
 * query that made it. Scoped repositories page through it with their scope
 * ANDed in; city-wide reference data (a catalogue, a pool of people) pages
 * through it directly.
 */
import { mongo, type Model, type Require_id, type RootFilterQuery } from 'mongoose';
import type { Page } from '@learning/domain';
import { decodeCursor, encodeCursor, type CursorPosition } from './cursor.js';

export type Stored<TDoc> = Require_id<TDoc>;

export type SortField<TDoc> = Extract<keyof Stored<TDoc>, string>;

export interface PageRequest<TDoc> {
  filter?: RootFilterQuery<TDoc>;
  /** The field must be present on every document (required in the schema). */
  sort: { field: SortField<TDoc>; direction: 'asc' | 'desc' };
  /** The `nextCursor` of the previous page, unchanged. */
  after?: string | null;
  /** Clamped to 1..200. */
  limit: number;
}

const MAX_PAGE_SIZE = 200;

const clampLimit = (limit: number): number =>
  Number.isNaN(limit) ? 1 : Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));

/**
 * One page of `model`. `restrict` wraps the final filter (a scope's); the
 * cursor's context is the request's own filter, so it stays valid whoever asks.
 */
export async function keysetPage<TDoc>(
  model: Model<TDoc>,
  request: PageRequest<TDoc>,
  restrict: (filter: RootFilterQuery<TDoc>) => RootFilterQuery<TDoc> = (filter) => filter,
): Promise<Page<Stored<TDoc>>> {
  const { field, direction } = request.sort;
  const order = direction === 'asc' ? 1 : -1;
  const filter = request.filter ?? {};
  // A cursor is valid only for the query that made it.
  const context = [
    model.collection.collectionName,
    field,
    direction,
    mongo.BSON.EJSON.stringify(filter),
  ].join('\n');
  const conditions = [filter];
  if (request.after != null)
    conditions.push(keysetAfter(field, order, decodeCursor(request.after, context)));
  const limit = clampLimit(request.limit);
  // One extra item says whether another page exists.
  const found = await model
    .find(restrict({ $and: conditions }))
    .sort(field === '_id' ? { _id: order } : { [field]: order, _id: order })
    .limit(limit + 1)
    .lean<Stored<TDoc>[]>();
  const items = found.slice(0, limit);
  const last = items.at(-1);
  if (found.length <= limit || last === undefined) return { items, nextCursor: null };
  const value: unknown = last[field];
  // null sorts apart from every other type in MongoDB, so a range after it is meaningless.
  if (value == null)
    throw new TypeError(
      `${model.modelName}.${field} is missing; only required fields can be sorted on`,
    );
  return { items, nextCursor: encodeCursor({ value, id: last._id }, context) };
}

function keysetAfter(
  field: string,
  order: 1 | -1,
  position: CursorPosition,
): Record<string, unknown> {
  const beyond = order === 1 ? '$gt' : '$lt';
  if (field === '_id') return { _id: { [beyond]: position.id } };
  return {
    $or: [
      { [field]: { [beyond]: position.value } },
      { [field]: position.value, _id: { [beyond]: position.id } },
    ],
  };
}

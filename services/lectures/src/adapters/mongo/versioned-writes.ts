/**
 * Writes to the lectures' city-wide documents (series, forums, experts),
 * which are not jurisdiction-scoped and so have no ScopedRepository: an
 * insert at version 1 and a change applied only at the version read, each
 * with its outbox entries in the same single-document write, and a unique
 * index's refusal said as the slice's own conflict.
 */
import {
  insertWithEvents,
  updateWithEvents,
  type OutboxEntry,
  type WithOutbox,
} from '@learning/events';
import { AppError } from '@learning/errors';
import { isDuplicateKey } from '@learning/mongo';
import mongoose, { type Model } from 'mongoose';

export interface VersionedDocument extends WithOutbox {
  _id: string;
  version: number;
}

export interface WriteRefusals {
  /** Thrown when the document is not there (any more). */
  readonly notFound: () => AppError;
  /** Thrown when a unique index refuses the write. */
  readonly duplicate: () => AppError;
}

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The record was changed by someone else; reload it and try again.',
  );

export async function insertVersioned<T extends VersionedDocument>(
  model: Model<T>,
  doc: Omit<T, 'version' | 'outbox'>,
  events: readonly OutboxEntry[],
  refusals: WriteRefusals,
): Promise<T> {
  try {
    const created = await model.create({ ...doc, version: 1, ...insertWithEvents(events) });
    return created.toObject<T>();
  } catch (error) {
    if (isDuplicateKey(error)) throw refusals.duplicate();
    throw error;
  }
}

export async function changeVersioned<T extends VersionedDocument>(
  model: Model<T>,
  change: {
    readonly id: string;
    readonly expectedVersion: number;
    readonly set: Record<string, unknown>;
    readonly events: readonly OutboxEntry[];
  },
  refusals: WriteRefusals,
): Promise<T> {
  let updated: T | null;
  try {
    updated = await model
      .findOneAndUpdate(
        { _id: change.id, version: change.expectedVersion },
        updateWithEvents<T>({ $set: change.set, $inc: { version: 1 } }, change.events),
        { new: true, runValidators: true },
      )
      .lean<T>();
  } catch (error) {
    if (isDuplicateKey(error)) throw refusals.duplicate();
    if (error instanceof mongoose.Error.CastError && error.path === '_id')
      throw refusals.notFound();
    throw error;
  }
  if (updated !== null) return updated;
  if ((await model.exists({ _id: change.id })) === null) throw refusals.notFound();
  throw versionConflict();
}

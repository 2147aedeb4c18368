/**
 * Turns what MongoDB and mongoose reject into AppErrors a person can act on.
 * Field names are kept; values never are: a duplicate key or a failed cast
 * would otherwise repeat a phone or ID number back into messages and logs.
 */
import { AppError, type FieldIssue } from '@learning/errors';
import mongoose from 'mongoose';

export const DUPLICATE_KEY = 11000;

/** A write refused by a unique index (E11000). */
export const isDuplicateKey = (error: unknown): error is mongoose.mongo.MongoServerError =>
  error instanceof mongoose.mongo.MongoServerError && error.code === DUPLICATE_KEY;

/** The per-document errors of a failed bulk write (the driver gives one or a list). */
export const writeErrorsOf = (
  error: mongoose.mongo.MongoBulkWriteError,
): mongoose.mongo.WriteError[] => ([] as mongoose.mongo.WriteError[]).concat(error.writeErrors);

/**
 * A bulk write that failed only where documents with the same keys were
 * already stored: a batch written again, or by a concurrent writer.
 */
export const failedOnlyOnDuplicates = (
  error: unknown,
): error is mongoose.mongo.MongoBulkWriteError =>
  error instanceof mongoose.mongo.MongoBulkWriteError &&
  writeErrorsOf(error).every((writeError) => writeError.code === DUPLICATE_KEY);

function duplicateKeyFields(error: unknown): string[] | undefined {
  if (!isDuplicateKey(error)) return undefined;
  const keyPattern: unknown = error['keyPattern'];
  return typeof keyPattern === 'object' && keyPattern !== null ? Object.keys(keyPattern) : [];
}

const toPointer = (path: string): string => `/${path.replaceAll('.', '/')}`;

/** The AppError for a failed write, or `error` itself when it is not the caller's fault. */
export function translateWriteError(error: unknown, entity: string, label: string): unknown {
  const duplicateFields = duplicateKeyFields(error);
  if (duplicateFields !== undefined) {
    return new AppError(
      'conflict',
      `${entity}_ALREADY_EXISTS`,
      `A ${label} with the same unique key already exists.`,
      {
        details: duplicateFields.map((field) => ({
          field: toPointer(field),
          message: 'is already in use',
        })),
      },
    );
  }
  if (error instanceof mongoose.Error.ValidationError) {
    const details: FieldIssue[] = Object.values(error.errors).map((issue) => ({
      field: toPointer(issue.path),
      message: issue.kind === 'required' ? 'is required' : 'is not valid',
    }));
    return new AppError('invalid_argument', 'VALIDATION_FAILED', `The ${label} is not valid.`, {
      details,
    });
  }
  if (error instanceof mongoose.Error.CastError) {
    return new AppError('invalid_argument', 'VALIDATION_FAILED', `The ${label} is not valid.`, {
      details: [{ field: toPointer(error.path), message: 'is not valid' }],
    });
  }
  return error;
}

/** A malformed id cannot name a stored document: callers answer "not found". */
export const isIdCastError = (error: unknown): boolean =>
  error instanceof mongoose.Error.CastError && error.path === '_id';

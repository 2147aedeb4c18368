/**
 * The base of every repository over jurisdiction-scoped data. Each read and
 * write takes a Scope first and ANDs its filter into the query, and the model
 * is protected, so a query outside the caller's reach cannot be written by
 * accident from outside a repository.
 *
 * Filters are built by repository and use-case code from validated values,
 * never passed through from a request body or query string: a raw object
 * could carry operators ($where, $ne) the caller was never meant to use.
 */
import { AppError } from '@learning/errors';
import type { Logger } from '@learning/logger';
import type { Model, RootFilterQuery, UpdateQuery } from 'mongoose';
import { keysetPage, type PageRequest, type Stored } from './keyset-page.js';
import { Scope, scopeAllows } from '@learning/auth';
import type { Page } from '@learning/domain';
import { scopeFilter } from './scope.js';

export type { PageRequest, SortField, Stored } from './keyset-page.js';
import { isIdCastError, translateWriteError } from './write-errors.js';

/** The fields every scoped document has; spread `scopedFields` into its schema. */
export interface ScopedDocument {
  /** Jurisdiction codes from the city root down to the document's own node. */
  jurisdictionPath: string[];
  /** Incremented by every write; the token of optimistic concurrency. */
  version: number;
}

export const scopedFields = {
  jurisdictionPath: {
    type: [String],
    required: true,
    index: true,
    validate: {
      validator: (path: string[]) => path.length > 0,
      message: 'must name at least one jurisdiction',
    },
  },
  version: { type: Number, required: true, min: 1 },
};

export interface ScopedRepositoryOptions {
  /** Upper snake case, e.g. 'PARTICIPANT': prefixes codes such as PARTICIPANT_ALREADY_EXISTS. */
  entity: string;
  logger: Logger;
}

const outOfScope = (): AppError =>
  new AppError('permission_denied', 'OUT_OF_SCOPE', 'That jurisdiction is outside your scope.');

export abstract class ScopedRepository<TDoc extends ScopedDocument> {
  protected readonly entity: string;
  protected readonly logger: Logger;
  /** Lower-case words for messages: 'LEARNING_ORGANIZATION' -> 'learning organization'. */
  private readonly label: string;

  constructor(
    protected readonly model: Model<TDoc>,
    options: ScopedRepositoryOptions,
  ) {
    const indexed = model.schema
      .indexes()
      .some(([keys]) => Object.keys(keys)[0] === 'jurisdictionPath');
    if (!indexed || model.schema.pathType('version') !== 'real') {
      throw new TypeError(
        `${model.modelName}: a scoped schema needs an indexed jurisdictionPath and a version`,
      );
    }
    this.entity = options.entity;
    this.label = options.entity.toLowerCase().replaceAll('_', ' ');
    this.logger = options.logger.child({ collection: model.collection.collectionName });
  }

  async findById(scope: Scope, id: string): Promise<Stored<TDoc> | null> {
    try {
      return await this.findOne(scope, { _id: id });
    } catch (error) {
      if (isIdCastError(error)) return null;
      throw error;
    }
  }

  async findOne(scope: Scope, filter: RootFilterQuery<TDoc>): Promise<Stored<TDoc> | null> {
    return this.model.findOne(this.scoped(scope, filter, 'findOne')).lean<Stored<TDoc>>();
  }

  async count(scope: Scope, filter: RootFilterQuery<TDoc>): Promise<number> {
    return this.model.countDocuments(this.scoped(scope, filter, 'count'));
  }

  /** Keyset pagination on (sort field, _id): stable under inserts, no skipped or repeated items. */
  async page(scope: Scope, request: PageRequest<TDoc>): Promise<Page<Stored<TDoc>>> {
    return keysetPage(this.model, request, (filter) => this.scoped(scope, filter, 'page'));
  }

  /** Version 1 is assigned here. Refuses a document outside `scope`. */
  async insert(scope: Scope, doc: Omit<TDoc, 'version'>): Promise<Stored<TDoc>> {
    if (!scopeAllows(scope, doc.jurisdictionPath)) throw outOfScope();
    this.noteSystemUse(scope, 'insert');
    try {
      const created = await this.model.create({ ...doc, version: 1 });
      return created.toObject<Stored<TDoc>>();
    } catch (error) {
      throw translateWriteError(error, this.entity, this.label);
    }
  }

  /**
   * Applies `update` only if the document is still at `expectedVersion`, and
   * increments the version. Returns the updated document.
   */
  async updateVersioned(
    scope: Scope,
    id: string,
    expectedVersion: number,
    update: UpdateQuery<TDoc>,
  ): Promise<Stored<TDoc>> {
    assertMoveInScope(scope, update);
    let updated: Stored<TDoc> | null;
    try {
      updated = await this.model
        .findOneAndUpdate(
          this.scoped(scope, { _id: id, version: expectedVersion }, 'update'),
          { ...update, $inc: { ...update.$inc, version: 1 } },
          { new: true, runValidators: true },
        )
        .lean<Stored<TDoc>>();
    } catch (error) {
      if (isIdCastError(error)) throw this.notFound();
      throw translateWriteError(error, this.entity, this.label);
    }
    return updated ?? (await this.missOrConflict(scope, id));
  }

  /** Deletes the document only if it is still at `expectedVersion`; returns what was deleted. */
  async deleteVersioned(scope: Scope, id: string, expectedVersion: number): Promise<Stored<TDoc>> {
    let deleted: Stored<TDoc> | null;
    try {
      deleted = await this.model
        .findOneAndDelete(this.scoped(scope, { _id: id, version: expectedVersion }, 'delete'))
        .lean<Stored<TDoc>>();
    } catch (error) {
      if (isIdCastError(error)) throw this.notFound();
      throw error;
    }
    return deleted ?? (await this.missOrConflict(scope, id));
  }

  /** `filter` restricted to `scope`; subclasses use it for their own queries. */
  protected scoped(
    scope: Scope,
    filter: RootFilterQuery<TDoc>,
    operation: string,
  ): RootFilterQuery<TDoc> {
    this.noteSystemUse(scope, operation);
    // $and, not a spread: a filter on jurisdictionPath can narrow the scope but never replace it.
    return { $and: [scopeFilter(scope), filter] };
  }

  private noteSystemUse(scope: Scope, operation: string): void {
    const description = Scope.describe(scope);
    if (description.kind === 'system')
      this.logger.debug({ operation, reason: description.reason }, 'system-scope access');
  }

  /** A versioned write matched nothing: say "not found" unless the caller may know it exists. */
  private async missOrConflict(scope: Scope, id: string): Promise<never> {
    const exists = await this.model.exists(this.scoped(scope, { _id: id }, 'exists'));
    if (exists === null) throw this.notFound();
    throw new AppError(
      'aborted',
      'VERSION_CONFLICT',
      `The ${this.label} was changed by someone else; reload it and try again.`,
    );
  }

  private notFound(): AppError {
    return new AppError(
      'not_found',
      `${this.entity}_NOT_FOUND`,
      `The ${this.label} was not found.`,
    );
  }
}

/** A write may move a document only to where the caller can still see it, and only as a whole path. */
function assertMoveInScope(scope: Scope, update: Readonly<Record<string, unknown>>): void {
  for (const [operator, operand] of Object.entries(update)) {
    // Top-level fields are an implicit $set in mongoose.
    const fields: unknown = operator.startsWith('$') ? operand : { [operator]: operand };
    if (typeof fields !== 'object' || fields === null) continue;
    for (const [key, value] of Object.entries(fields)) {
      if (key !== 'jurisdictionPath' && !key.startsWith('jurisdictionPath.')) continue;
      const wholePath =
        key === 'jurisdictionPath' && (operator === '$set' || !operator.startsWith('$'));
      if (!wholePath || !isPath(value) || !scopeAllows(scope, value)) throw outOfScope();
    }
  }
}

const isPath = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((code: unknown) => typeof code === 'string');

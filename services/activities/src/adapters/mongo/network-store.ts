/** What the network's stores do alike: read one record as the use cases see it, and page in id order. */
import type { Logger } from '@learning/logger';
import type { Scope } from '@learning/auth';
import {
  ScopedRepository,
  type ScopedDocument,
  type SortField,
  type Stored,
} from '@learning/mongo';
import type { Model, RootFilterQuery } from 'mongoose';
import type { Page } from '../../application/network/ports.js';

export abstract class NetworkStore<
  TDoc extends ScopedDocument,
  TStored,
> extends ScopedRepository<TDoc> {
  constructor(
    model: Model<TDoc>,
    entity: string,
    logger: Logger,
    private readonly toStored: (doc: Stored<TDoc>) => TStored,
  ) {
    super(model, { entity, logger });
  }

  async get(scope: Scope, id: string): Promise<TStored | null> {
    const doc = await this.findById(scope, id);
    return doc === null ? null : this.toStored(doc);
  }

  /** The records matching `filter` within `scope`, a page at a time in id order. */
  protected async pageById(
    scope: Scope,
    filter: RootFilterQuery<TDoc>,
    query: { readonly pageSize: number; readonly pageToken?: string },
  ): Promise<Page<TStored>> {
    const page = await this.page(scope, {
      filter,
      sort: { field: '_id' as SortField<TDoc>, direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(this.toStored), nextPageToken: page.nextCursor };
  }
}

/**
 * Enterprise-village pairings (百村百企百书架) in MongoDB. A pairing carries
 * its library's jurisdiction path, so an officer's scope applies to it as to
 * the library; an enterprise is paired with a library once (unique key).
 */
import { insertWithEvents, outboxPlugin, type WithOutbox } from '@learning/events';
import type { Logger } from '@learning/logger';
import type { Scope } from '@learning/auth';
import { scopedFields, type ScopedDocument, type Stored } from '@learning/mongo';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import type {
  NewPairing,
  Page,
  PairingQuery,
  PairingRepository,
  StoredPairing,
} from '../../application/network/ports.js';
import { NetworkStore } from './network-store.js';

export interface PairingDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  enterpriseId: string;
  libraryId: string;
  createdBy: string;
  createdAt: Date;
}

const pairingSchema = new Schema<PairingDocument>(
  {
    _id: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    libraryId: { type: String, required: true },
    // The compound index below starts with it, so the single-field one would be redundant.
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'network_pairings', versionKey: false, strict: 'throw' },
);
pairingSchema.plugin(outboxPlugin);
pairingSchema.index({ jurisdictionPath: 1, _id: 1 });
// An enterprise's admins list their pairings; also the unique pairing of an enterprise and a library.
pairingSchema.index({ enterpriseId: 1, libraryId: 1 }, { unique: true });
pairingSchema.index({ libraryId: 1, _id: 1 });

export function pairingModel(connection: Connection): Model<PairingDocument> {
  return connection.model<PairingDocument>('NetworkPairing', pairingSchema);
}

const toStored = (doc: Stored<PairingDocument>): StoredPairing => ({
  id: doc._id,
  enterpriseId: doc.enterpriseId,
  libraryId: doc.libraryId,
  jurisdictionPath: doc.jurisdictionPath,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  version: doc.version,
});

export class MongoPairingRepository
  extends NetworkStore<PairingDocument, StoredPairing>
  implements PairingRepository
{
  constructor(model: Model<PairingDocument>, logger: Logger) {
    super(model, 'NETWORK_PAIRING', logger, toStored);
  }

  async create(scope: Scope, pairing: NewPairing): Promise<StoredPairing> {
    const { id, events, ...fields } = pairing;
    const doc = await this.insert(scope, {
      _id: id,
      ...fields,
      jurisdictionPath: [...fields.jurisdictionPath],
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async list(scope: Scope, query: PairingQuery): Promise<Page<StoredPairing>> {
    const filter: RootFilterQuery<PairingDocument> = {};
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.libraryId !== undefined) filter.libraryId = query.libraryId;
    if (query.enterpriseIds !== undefined) filter.enterpriseId = { $in: [...query.enterpriseIds] };
    return this.pageById(scope, filter, query);
  }

  async figuresUnder(
    scope: Scope,
    rootCode: string,
  ): Promise<Pick<StoredPairing, 'id' | 'libraryId'>[]> {
    const docs = await this.model
      .find(this.scoped(scope, { jurisdictionPath: rootCode }, 'coverage'), { libraryId: 1 })
      .lean<Pick<PairingDocument, '_id' | 'libraryId'>[]>();
    return docs.map((doc) => ({ id: doc._id, libraryId: doc.libraryId }));
  }
}

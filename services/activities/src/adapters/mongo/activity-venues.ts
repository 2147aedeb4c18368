/** The venue catalogue in MongoDB: one document per place, scoped by the jurisdiction it is in. */
import { insertWithEvents, outboxPlugin, type WithOutbox } from '@learning/events';
import type { Logger } from '@learning/logger';
import type { Scope } from '@learning/auth';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import type {
  NewVenue,
  StoredVenue,
  VenuePage,
  VenueQuery,
  VenueRepository,
} from '../../application/activities/venue-repository.js';

export interface VenueDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  name: string;
  address: string | null;
  createdBy: string;
  createdAt: Date;
}

const venueSchema = new Schema<VenueDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, minlength: 1, maxlength: 200 },
    address: { type: String, default: null },
    // The compound index below starts with it, so the single-field one would be redundant.
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'venues', versionKey: false, strict: 'throw' },
);
venueSchema.plugin(outboxPlugin);
// A subtree's venues, paged in id order.
venueSchema.index({ jurisdictionPath: 1, _id: 1 });

export function venueModel(connection: Connection): Model<VenueDocument> {
  return connection.model<VenueDocument>('Venue', venueSchema);
}

const toStored = (doc: VenueDocument): StoredVenue => ({
  id: doc._id,
  name: doc.name,
  address: doc.address ?? null,
  jurisdictionPath: doc.jurisdictionPath,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  version: doc.version,
});

export class MongoVenueRepository
  extends ScopedRepository<VenueDocument>
  implements VenueRepository
{
  constructor(model: Model<VenueDocument>, logger: Logger) {
    super(model, { entity: 'VENUE', logger });
  }

  async get(scope: Scope, id: string): Promise<StoredVenue | null> {
    const doc = await this.findById(scope, id);
    return doc === null ? null : toStored(doc);
  }

  async getMany(scope: Scope, ids: readonly string[]): Promise<StoredVenue[]> {
    const docs = await this.model
      .find(this.scoped(scope, { _id: { $in: [...ids] } }, 'getMany'))
      .lean<VenueDocument[]>();
    return docs.map(toStored);
  }

  async create(scope: Scope, venue: NewVenue): Promise<StoredVenue> {
    const { id, events, ...fields } = venue;
    const doc = await this.insert(scope, {
      _id: id,
      ...fields,
      jurisdictionPath: [...fields.jurisdictionPath],
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async list(scope: Scope, query: VenueQuery): Promise<VenuePage> {
    const filter: RootFilterQuery<VenueDocument> = {};
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    const page = await this.page(scope, {
      filter,
      sort: { field: '_id', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }
}

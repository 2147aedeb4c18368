/**
 * Knowledge supermarkets and farmhouse libraries in MongoDB, one document
 * each, unique per jurisdiction node. A library's donations are embedded:
 * a receipt changes the donation, the holdings, the milestone flag and the
 * outbox in one single-document write.
 */
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type OutboxEntry,
  type WithOutbox,
} from '@learning/events';
import type { Logger } from '@learning/logger';
import type { Scope } from '@learning/auth';
import { scopedFields, type ScopedDocument, type Stored } from '@learning/mongo';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import type {
  CategoryCounts,
  DonationStatus,
  Keeper,
  NewPlace,
  Page,
  PlaceChange,
  PlaceFigures,
  PlaceQuery,
  PlaceRepository,
  StoredDonation,
  StoredPlace,
} from '../../application/network/ports.js';
import { NetworkStore } from './network-store.js';
import {
  NETWORK_PLACE_KINDS,
  NETWORK_SERVICES,
  type NetworkPlaceKind,
  type NetworkService,
} from '../../domain/library-standard.js';

interface DonationDocument {
  id: string;
  pairingId: string;
  enterpriseId: string;
  count: number;
  byCategory: CategoryCounts;
  donatedOn: string;
  status: DonationStatus;
  recordedBy: string;
  recordedAt: Date;
  receivedBy: string | null;
  receivedAt: Date | null;
}

export interface PlaceDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  kind: NetworkPlaceKind;
  name: string;
  /** The node the place serves: one place per node. */
  jurisdictionCode: string;
  keeper: Keeper | null;
  openingHours: string;
  services: NetworkService[];
  holdings: CategoryCounts;
  /** The sum of `holdings`, kept beside them for coverage. */
  totalBooks: number;
  standardReachedOn: string | null;
  donations: DonationDocument[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const keeperSchema = new Schema<Keeper>(
  {
    participantId: { type: String, required: true },
    subject: { type: String, required: true },
  },
  { _id: false, strict: 'throw' },
);

const donationSchema = new Schema<DonationDocument>(
  {
    id: { type: String, required: true },
    pairingId: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    count: { type: Number, required: true, min: 1 },
    byCategory: { type: Schema.Types.Mixed, required: true },
    donatedOn: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'received'] },
    recordedBy: { type: String, required: true },
    recordedAt: { type: Date, required: true },
    receivedBy: { type: String, default: null },
    receivedAt: { type: Date, default: null },
  },
  { _id: false, strict: 'throw', minimize: false },
);

const placeSchema = new Schema<PlaceDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: NETWORK_PLACE_KINDS },
    name: { type: String, required: true, minlength: 1, maxlength: 100 },
    jurisdictionCode: { type: String, required: true },
    // The compound index below starts with it, so the single-field one would be redundant.
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    keeper: { type: keeperSchema, default: null },
    openingHours: { type: String, default: '' },
    services: { type: [String], enum: NETWORK_SERVICES, default: [] },
    holdings: { type: Schema.Types.Mixed, default: {} },
    totalBooks: { type: Number, required: true, min: 0 },
    standardReachedOn: { type: String, default: null },
    donations: { type: [donationSchema], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  // minimize off: empty holdings are stored as {} rather than dropped.
  { collection: 'network_places', versionKey: false, strict: 'throw', minimize: false },
);
placeSchema.plugin(outboxPlugin);
// Listing and coverage within a subtree, by kind, paged in id order.
placeSchema.index({ jurisdictionPath: 1, kind: 1, _id: 1 });
// One supermarket per township/street, one library per village/community: the kinds never share a level.
placeSchema.index({ jurisdictionCode: 1 }, { unique: true });
// A keeper's own places, wherever they are.
placeSchema.index({ 'keeper.subject': 1, _id: 1 });

export function placeModel(connection: Connection): Model<PlaceDocument> {
  return connection.model<PlaceDocument>('NetworkPlace', placeSchema);
}

const toDonation = (doc: DonationDocument): StoredDonation => ({
  id: doc.id,
  pairingId: doc.pairingId,
  enterpriseId: doc.enterpriseId,
  count: doc.count,
  byCategory: { ...doc.byCategory },
  donatedOn: doc.donatedOn,
  status: doc.status,
  recordedBy: doc.recordedBy,
  recordedAt: doc.recordedAt,
  receivedBy: doc.receivedBy ?? null,
  receivedAt: doc.receivedAt ?? null,
});

const toStored = (doc: Stored<PlaceDocument>): StoredPlace => ({
  id: doc._id,
  kind: doc.kind,
  name: doc.name,
  jurisdictionCode: doc.jurisdictionCode,
  jurisdictionPath: doc.jurisdictionPath,
  keeper:
    doc.keeper == null
      ? null
      : { participantId: doc.keeper.participantId, subject: doc.keeper.subject },
  openingHours: doc.openingHours,
  services: doc.services,
  holdings: { ...doc.holdings },
  totalBooks: doc.totalBooks,
  standardReachedOn: doc.standardReachedOn ?? null,
  donations: doc.donations.map(toDonation),
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

export class MongoPlaceRepository
  extends NetworkStore<PlaceDocument, StoredPlace>
  implements PlaceRepository
{
  constructor(model: Model<PlaceDocument>, logger: Logger) {
    super(model, 'NETWORK_PLACE', logger, toStored);
  }

  async create(scope: Scope, place: NewPlace): Promise<StoredPlace> {
    const { id, events, ...fields } = place;
    const doc = await this.insert(scope, {
      _id: id,
      ...fields,
      jurisdictionPath: [...fields.jurisdictionPath],
      services: [...fields.services],
      donations: [],
      ...insertWithEvents(events),
    });
    return toStored(doc);
  }

  async change(scope: Scope, change: PlaceChange): Promise<StoredPlace> {
    const set: Record<string, unknown> = { updatedAt: change.updatedAt };
    if (change.name !== undefined) set['name'] = change.name;
    if (change.keeper !== undefined) set['keeper'] = change.keeper;
    if (change.openingHours !== undefined) set['openingHours'] = change.openingHours;
    if (change.services !== undefined) set['services'] = [...change.services];
    if (change.holdings !== undefined) set['holdings'] = { ...change.holdings };
    if (change.totalBooks !== undefined) set['totalBooks'] = change.totalBooks;
    if (change.standardReachedOn !== undefined) set['standardReachedOn'] = change.standardReachedOn;
    if (change.received !== undefined) {
      // The version guard makes the position safe: the list is as it was read.
      const at = `donations.${change.received.index}`;
      set[`${at}.status`] = 'received';
      set[`${at}.receivedBy`] = change.received.receivedBy;
      set[`${at}.receivedAt`] = change.received.receivedAt;
    }
    const doc = await this.updateVersioned(
      scope,
      change.id,
      change.expectedVersion,
      updateWithEvents<PlaceDocument>({ $set: set }, change.events),
    );
    return toStored(doc);
  }

  async appendDonation(
    scope: Scope,
    libraryId: string,
    donation: StoredDonation,
    updatedAt: Date,
    events: readonly OutboxEntry[],
  ): Promise<StoredPlace | null> {
    const doc = await this.model
      .findOneAndUpdate(
        this.scoped(scope, { _id: libraryId, kind: 'farmhouse_library' }, 'appendDonation'),
        updateWithEvents<PlaceDocument>(
          {
            $push: { donations: { ...donation, byCategory: { ...donation.byCategory } } },
            $set: { updatedAt },
            $inc: { version: 1 },
          },
          events,
        ),
        { new: true, runValidators: true },
      )
      .lean<Stored<PlaceDocument>>();
    return doc === null ? null : toStored(doc);
  }

  async list(scope: Scope, query: PlaceQuery): Promise<Page<StoredPlace>> {
    const filter: RootFilterQuery<PlaceDocument> = {};
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.kind !== undefined) filter.kind = query.kind;
    if (query.keeperSubject !== undefined) filter['keeper.subject'] = query.keeperSubject;
    return this.pageById(scope, filter, query);
  }

  async figuresUnder(scope: Scope, rootCode: string): Promise<PlaceFigures[]> {
    const docs = await this.model
      .find(this.scoped(scope, { jurisdictionPath: rootCode }, 'coverage'), {
        kind: 1,
        jurisdictionCode: 1,
        totalBooks: 1,
        'donations.pairingId': 1,
        'donations.donatedOn': 1,
        'donations.status': 1,
      })
      .lean<
        Pick<PlaceDocument, '_id' | 'kind' | 'jurisdictionCode' | 'totalBooks' | 'donations'>[]
      >();
    return docs.map((doc) => ({
      id: doc._id,
      kind: doc.kind,
      jurisdictionCode: doc.jurisdictionCode,
      totalBooks: doc.totalBooks,
      donations: doc.donations
        .filter((donation) => donation.status === 'received')
        .map((donation) => ({ pairingId: donation.pairingId, donatedOn: donation.donatedOn })),
    }));
  }
}

/**
 * Officers' duty contacts in MongoDB, `_id` the token subject. Contacts are
 * stored sealed (with their masked forms); lookups never need them in clear.
 */
import { keysetPage } from '@learning/mongo';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import type {
  OfficerListQuery,
  OfficerRepository,
  SealedContact,
  StoredOfficer,
} from '../../application/officers/officer-repository.js';
import {
  officerMatches,
  OFFICER_DIRECTORY_ROLES,
  OFFICER_LANGUAGES,
  type DirectoryRole,
  type OfficerCriteria,
  type OfficerLanguage,
} from '../../domain/officers.js';

export interface OfficerDocument {
  _id: string;
  name: string;
  language: OfficerLanguage;
  roles: DirectoryRole[];
  cityWide: boolean;
  jurisdictionCodes: string[];
  departmentCode: string | null;
  phone: SealedContact | null;
  email: SealedContact | null;
  createdAt: Date;
  updatedAt: Date;
}

const contactSchema = new Schema(
  { sealed: { type: String, required: true }, masked: { type: String, required: true } },
  { _id: false, strict: 'throw' },
);

const officerSchema = new Schema<OfficerDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    language: { type: String, required: true, enum: OFFICER_LANGUAGES },
    roles: { type: [String], required: true, enum: OFFICER_DIRECTORY_ROLES },
    cityWide: { type: Boolean, required: true },
    jurisdictionCodes: { type: [String], default: [] },
    departmentCode: { type: String, default: null },
    phone: { type: contactSchema, default: null },
    email: { type: contactSchema, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'officers', versionKey: false, strict: 'throw' },
);
officerSchema.index({ roles: 1 });
officerSchema.index({ jurisdictionCodes: 1 });
officerSchema.index({ departmentCode: 1 });

export function officerModel(connection: Connection): Model<OfficerDocument> {
  return connection.model<OfficerDocument>('Officer', officerSchema);
}

const toStored = (doc: OfficerDocument): StoredOfficer => ({
  subject: doc._id,
  name: doc.name,
  language: doc.language,
  roles: [...doc.roles],
  cityWide: doc.cityWide,
  jurisdictionCodes: [...doc.jurisdictionCodes],
  departmentCode: doc.departmentCode,
  phone: doc.phone === null ? null : { sealed: doc.phone.sealed, masked: doc.phone.masked },
  email: doc.email === null ? null : { sealed: doc.email.sealed, masked: doc.email.masked },
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

export class MongoOfficerRepository implements OfficerRepository {
  constructor(private readonly model: Model<OfficerDocument>) {}

  async put(officer: StoredOfficer): Promise<StoredOfficer> {
    const { subject, createdAt, ...fields } = officer;
    const doc = await this.model
      .findOneAndUpdate(
        { _id: subject },
        { $set: fields, $setOnInsert: { createdAt } },
        { upsert: true, new: true, lean: true },
      )
      .exec();
    return toStored(doc as OfficerDocument);
  }

  async get(subject: string): Promise<StoredOfficer | null> {
    const doc = await this.model.findById(subject).lean().exec();
    return doc === null ? null : toStored(doc);
  }

  async remove(subject: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: subject }).exec();
    return result.deletedCount > 0;
  }

  async list(query: OfficerListQuery) {
    const filter: RootFilterQuery<OfficerDocument> = {
      ...(query.role === undefined ? {} : { roles: query.role }),
      ...(query.jurisdictionCode === undefined
        ? {}
        : { jurisdictionCodes: query.jurisdictionCode }),
      ...(query.departmentCode === undefined ? {} : { departmentCode: query.departmentCode }),
    };
    const page = await keysetPage(this.model, {
      filter,
      sort: { field: '_id', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return {
      items: page.items.map((doc) => toStored(doc)),
      nextPageToken: page.nextCursor,
    };
  }

  async find(criteria: OfficerCriteria): Promise<StoredOfficer[]> {
    const { nodePath, departmentCode } = criteria;
    const coverage = [
      ...(nodePath === null
        ? []
        : [{ cityWide: true }, { jurisdictionCodes: { $in: [...nodePath] } }]),
      ...(departmentCode === null ? [] : [{ departmentCode }]),
    ];
    const filter: RootFilterQuery<OfficerDocument> = {
      ...(criteria.roles.length === 0 ? {} : { roles: { $in: [...criteria.roles] } }),
      ...(coverage.length === 0 ? {} : { $or: coverage }),
    };
    const docs = await this.model.find(filter).sort({ _id: 1 }).lean().exec();
    // The domain rule decides; the query only narrows what is read.
    return docs
      .map((doc) => toStored(doc as OfficerDocument))
      .filter((officer) => officerMatches(officer, criteria));
  }
}

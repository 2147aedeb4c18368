/**
 * Learning organizations in MongoDB. The document's `jurisdictionPath` is the
 * path of the organization's jurisdiction node, so area officers' scopes apply
 * to it like to any scoped document. Lead and co-responsible departments are
 * copied from the table in force at registration and never recomputed.
 */
import { outboxPlugin, updateWithEvents, type WithOutbox } from '@learning/events';
import type { Logger } from '@learning/logger';
import type { Scope } from '@learning/auth';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import { Schema, type Connection, type Model, type RootFilterQuery } from 'mongoose';
import type {
  NewOrganization,
  OrganizationChange,
  OrganizationPage,
  OrganizationQuery,
  OrganizationRepository,
  StoredOrganization,
} from '../../application/organizations/organization-repository.js';
import { ORGANIZATION_KINDS, type OrganizationKind } from '../../domain/departments.js';
import {
  ORGANIZATION_STATUSES,
  type LearningSystem,
  type OrganizationStatus,
  type StatusChange,
} from '../../domain/organizations.js';

export interface OrganizationDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  kind: OrganizationKind;
  name: string;
  /** 统一社会信用代码; absent (not null) when the organization has none, so the sparse unique index skips it. */
  creditCode?: string;
  leadDepartment: string;
  coDepartments: string[];
  learningSystem: LearningSystem | null;
  status: OrganizationStatus;
  history: StatusChange[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const learningSystemSchema = new Schema<LearningSystem>(
  {
    studyRules: { type: String, required: true },
    trainingPlan: { type: String, required: true },
    trainingHoursPerYear: { type: Number, required: true, min: 0 },
  },
  { _id: false, strict: 'throw' },
);

const statusChangeSchema = new Schema<StatusChange>(
  {
    status: { type: String, required: true, enum: ORGANIZATION_STATUSES },
    reason: { type: String, default: null },
    decidedBy: { type: String, required: true },
    decidedAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const organizationSchema = new Schema<OrganizationDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ORGANIZATION_KINDS },
    name: { type: String, required: true, minlength: 1, maxlength: 100 },
    creditCode: { type: String },
    // The compound indexes below start with it, so the single-field one would be redundant.
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    leadDepartment: { type: String, required: true },
    coDepartments: { type: [String], default: [] },
    learningSystem: { type: learningSystemSchema, default: null },
    status: { type: String, required: true, enum: ORGANIZATION_STATUSES },
    history: { type: [statusChangeSchema], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'organizations', versionKey: false, strict: 'throw' },
);
organizationSchema.plugin(outboxPlugin);
// Searches within a subtree by kind and status, paged in id order.
organizationSchema.index({ jurisdictionPath: 1, kind: 1, status: 1, _id: 1 });
// Name-prefix searches within a subtree, paged in name order.
organizationSchema.index({ jurisdictionPath: 1, name: 1, _id: 1 });
// A department's own work list: what it leads, by status.
organizationSchema.index({ leadDepartment: 1, status: 1, _id: 1 });
organizationSchema.index({ creditCode: 1 }, { unique: true, sparse: true });

export function organizationModel(connection: Connection): Model<OrganizationDocument> {
  // The same schema object each time, so every slice that calls this shares one model.
  return connection.model<OrganizationDocument>('Organization', organizationSchema);
}

export const toStored = (doc: OrganizationDocument): StoredOrganization => ({
  id: doc._id,
  kind: doc.kind,
  name: doc.name,
  creditCode: doc.creditCode ?? null,
  jurisdictionPath: doc.jurisdictionPath,
  leadDepartment: doc.leadDepartment,
  coDepartments: doc.coDepartments,
  learningSystem: doc.learningSystem ?? null,
  status: doc.status,
  history: doc.history.map((change) => ({
    status: change.status,
    reason: change.reason ?? null,
    decidedBy: change.decidedBy,
    decidedAt: change.decidedAt,
  })),
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  version: doc.version,
});

/** `^` plus the text with every regex metacharacter escaped: a prefix match, never a pattern. */
const prefixPattern = (prefix: string): RegExp =>
  new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

export class MongoOrganizationRepository
  extends ScopedRepository<OrganizationDocument>
  implements OrganizationRepository
{
  constructor(model: Model<OrganizationDocument>, logger: Logger) {
    super(model, { entity: 'ORGANIZATION', logger });
  }

  async get(scope: Scope, id: string): Promise<StoredOrganization | null> {
    const doc = await this.findById(scope, id);
    return doc === null ? null : toStored(doc);
  }

  async byIds(scope: Scope, ids: readonly string[]): Promise<StoredOrganization[]> {
    if (ids.length === 0) return [];
    const docs = await this.model
      .find(this.scoped(scope, { _id: { $in: [...ids] } }, 'byIds'))
      .lean<OrganizationDocument[]>();
    return docs.map(toStored);
  }

  async create(scope: Scope, organization: NewOrganization): Promise<StoredOrganization> {
    const { id, creditCode, events, ...fields } = organization;
    const doc = await this.insert(scope, {
      _id: id,
      ...fields,
      ...(creditCode === null ? {} : { creditCode }),
      jurisdictionPath: [...fields.jurisdictionPath],
      coDepartments: [...fields.coDepartments],
      history: [...fields.history],
      outbox: [...events],
      ...(events[0] === undefined ? {} : { outboxSince: events[0].time }),
    });
    return toStored(doc);
  }

  async change(scope: Scope, change: OrganizationChange): Promise<StoredOrganization> {
    const set: Record<string, unknown> = { updatedAt: change.updatedAt };
    if (change.name !== undefined) set['name'] = change.name;
    if (change.learningSystem !== undefined) set['learningSystem'] = change.learningSystem;
    if (change.status !== undefined) set['status'] = change.status.status;
    const update = {
      $set: set,
      ...(change.status === undefined ? {} : { $push: { history: change.status } }),
    };
    const doc = await this.updateVersioned(
      scope,
      change.id,
      change.expectedVersion,
      updateWithEvents<OrganizationDocument>(update, change.events),
    );
    return toStored(doc);
  }

  async search(scope: Scope, query: OrganizationQuery): Promise<OrganizationPage> {
    const filter: RootFilterQuery<OrganizationDocument> = {};
    if (query.jurisdictionCode !== undefined) filter.jurisdictionPath = query.jurisdictionCode;
    if (query.kind !== undefined) filter.kind = query.kind;
    if (query.status !== undefined) filter.status = query.status;
    if (query.leadDepartment !== undefined) filter.leadDepartment = query.leadDepartment;
    if (query.namePrefix !== undefined) filter.name = prefixPattern(query.namePrefix);
    if (query.organizationIds !== undefined) filter._id = { $in: [...query.organizationIds] };
    const page = await this.page(scope, {
      filter,
      sort: { field: query.namePrefix === undefined ? '_id' : 'name', direction: 'asc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toStored), nextPageToken: page.nextCursor };
  }
}

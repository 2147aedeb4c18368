/**
 * Imports in MongoDB: the jobs (`import_jobs`, leased to one worker at a
 * time, carrying their audit records in their outbox), their row errors
 * (`import_errors`), and the registry writer that inserts imported rows into
 * the participants, organizations and memberships collections.
 */
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type OutboxEntry,
  type WithOutbox,
} from '@learning/events';
import type { Logger } from '@learning/logger';
import { Scope } from '@learning/auth';
import {
  driverCollection,
  failedOnlyOnDuplicates,
  insertAbsent,
  isDuplicateKey,
  ScopedRepository,
  scopedFields,
  type ScopedDocument,
} from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  IMPORT_KINDS,
  IMPORT_STATUSES,
  NO_PROGRESS,
  type ClaimedJob,
  type ImportErrorStore,
  type ImportFailure,
  type ImportJob,
  type ImportJobPage,
  type ImportJobStore,
  type ImportKind,
  type ImportOutcome,
  type ImportProgress,
  type ImportReach,
  type ImportStatus,
  type NewImportJob,
  type RowError,
} from '../../application/imports/import-job.js';
import type {
  NewMembership,
  OrganizationRef,
  RegistryWriter,
  WriteResult,
} from '../../application/imports/sinks.js';
import type { NewOrganization } from '../../application/organizations/organization-repository.js';
import type { NewParticipant } from '../../application/participants/participant-repository.js';
import { membershipModel, type MembershipDocument } from './memberships.js';
import { organizationModel, type OrganizationDocument } from './organizations.js';
import { participantModel, type ParticipantDocument } from './participants.js';

interface ImportJobDocument extends ScopedDocument, WithOutbox {
  _id: string;
  dedupeKey: string;
  kind: ImportKind;
  status: ImportStatus;
  sha256: string;
  fileName: string;
  totalBytes: number;
  columns: string[];
  createdBy: { subject: string; roles: string[]; service?: string };
  reach: { cityWide: boolean; jurisdictions: string[] };
  progress: ImportProgress;
  errorsStored: number;
  failure: ImportFailure | null;
  createdAt: Date;
  startedAt: Date | null;
  runStartedAt: Date | null;
  runStartRows: number;
  finishedAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
}

const importJobSchema = new Schema<ImportJobDocument>(
  {
    _id: { type: String, required: true },
    dedupeKey: { type: String, required: true, unique: true },
    kind: { type: String, required: true, enum: IMPORT_KINDS },
    status: { type: String, required: true, enum: IMPORT_STATUSES },
    sha256: { type: String, required: true },
    fileName: { type: String, required: true },
    totalBytes: { type: Number, required: true },
    columns: { type: [String], required: true },
    createdBy: { type: Schema.Types.Mixed, required: true },
    reach: { type: Schema.Types.Mixed, required: true },
    progress: { type: Schema.Types.Mixed, required: true },
    errorsStored: { type: Number, required: true },
    failure: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    runStartedAt: { type: Date, default: null },
    runStartRows: { type: Number, default: 0 },
    finishedAt: { type: Date, default: null },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    version: scopedFields.version,
  },
  { collection: 'import_jobs', versionKey: false, strict: 'throw' },
);
importJobSchema.plugin(outboxPlugin);
// Lists within a scope, newest first.
importJobSchema.index({ jurisdictionPath: 1, createdAt: -1, _id: -1 });
// The worker's search for work.
importJobSchema.index({ status: 1, leaseUntil: 1, createdAt: 1 });

export function importJobModel(connection: Connection): Model<ImportJobDocument> {
  return connection.model<ImportJobDocument>('ImportJob', importJobSchema);
}

const toJob = (doc: ImportJobDocument): ImportJob => ({
  id: doc._id,
  kind: doc.kind,
  status: doc.status,
  sha256: doc.sha256,
  fileName: doc.fileName,
  totalBytes: doc.totalBytes,
  columns: doc.columns,
  createdBy: doc.createdBy,
  reach: doc.reach,
  jurisdictionPath: doc.jurisdictionPath,
  progress: { ...NO_PROGRESS, ...doc.progress },
  errorsStored: doc.errorsStored,
  failure: doc.failure ?? null,
  createdAt: doc.createdAt,
  startedAt: doc.startedAt ?? null,
  runStartedAt: doc.runStartedAt ?? null,
  runStartRows: doc.runStartRows,
  finishedAt: doc.finishedAt ?? null,
  version: doc.version,
});

/** The worker acts for the platform: its reads and writes run in a system scope. */
const workerScope = Scope.system('import worker');

export class MongoImportJobStore
  extends ScopedRepository<ImportJobDocument>
  implements ImportJobStore
{
  constructor(model: Model<ImportJobDocument>, logger: Logger) {
    super(model, { entity: 'IMPORT', logger });
  }

  async createOrFind(job: NewImportJob, events: readonly OutboxEntry[]) {
    const reach: ImportReach = job.reach;
    try {
      const doc = await this.model.create({
        _id: job.id,
        dedupeKey: job.dedupeKey,
        kind: job.kind,
        status: 'queued',
        sha256: job.sha256,
        fileName: job.fileName,
        totalBytes: job.totalBytes,
        columns: [...job.columns],
        createdBy: job.createdBy,
        reach: { cityWide: reach.cityWide, jurisdictions: [...reach.jurisdictions] },
        progress: NO_PROGRESS,
        errorsStored: 0,
        failure: null,
        createdAt: job.createdAt,
        jurisdictionPath: [...job.jurisdictionPath],
        version: 1,
        ...insertWithEvents(events),
      });
      return { job: toJob(doc.toObject()), created: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await this.model
      .findOne(this.scoped(workerScope, { dedupeKey: job.dedupeKey }, 'createOrFind'))
      .lean<ImportJobDocument>();
    if (existing === null) throw new Error('an import job vanished after a duplicate key');
    return { job: toJob(existing), created: false };
  }

  async get(scope: Scope, id: string): Promise<ImportJob | null> {
    const doc = await this.findById(scope, id);
    return doc === null ? null : toJob(doc);
  }

  async list(scope: Scope, pageSize: number, pageToken?: string): Promise<ImportJobPage> {
    const page = await this.page(scope, {
      sort: { field: 'createdAt', direction: 'desc' },
      after: pageToken ?? null,
      limit: pageSize,
    });
    return { items: page.items.map(toJob), nextPageToken: page.nextCursor };
  }

  async claimNext(owner: string, now: Date, leaseMs: number): Promise<ImportJob | null> {
    const claimable = {
      status: { $in: ['queued', 'running'] },
      $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }],
    };
    // Found first, then taken at its version: the run's start row is read from the job itself.
    const candidates = await this.model
      .find(this.scoped(workerScope, claimable, 'claimNext'))
      .sort({ createdAt: 1 })
      .limit(5)
      .lean<ImportJobDocument[]>();
    for (const candidate of candidates) {
      const claimed = await this.model
        .findOneAndUpdate(
          this.scoped(
            workerScope,
            { _id: candidate._id, version: candidate.version, ...claimable },
            'claim',
          ),
          {
            $set: {
              status: 'running',
              leaseOwner: owner,
              leaseUntil: new Date(now.getTime() + leaseMs),
              startedAt: candidate.startedAt ?? now,
              runStartedAt: now,
              runStartRows: candidate.progress.rowsRead,
            },
            $inc: { version: 1 },
          },
          { new: true },
        )
        .lean<ImportJobDocument>();
      if (claimed !== null) return toJob(claimed);
    }
    return null;
  }

  private held(claim: ClaimedJob) {
    return this.scoped(
      workerScope,
      { _id: claim.job.id, leaseOwner: claim.owner, status: 'running' },
      'held',
    );
  }

  async checkpoint(
    claim: ClaimedJob,
    progress: ImportProgress,
    errorsStored: number,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    const result = await this.model.updateOne(this.held(claim), {
      $set: { progress, errorsStored, leaseUntil: new Date(now.getTime() + leaseMs) },
      $inc: { version: 1 },
    });
    return result.matchedCount === 1;
  }

  async release(claim: ClaimedJob): Promise<void> {
    await this.model.updateOne(this.held(claim), {
      $set: { leaseOwner: null, leaseUntil: null },
      $inc: { version: 1 },
    });
  }

  async finish(
    claim: ClaimedJob,
    outcome: ImportOutcome,
    events: readonly OutboxEntry[],
  ): Promise<boolean> {
    const result = await this.model.updateOne(
      this.held(claim),
      updateWithEvents<ImportJobDocument>(
        {
          $set: {
            status: outcome.status,
            progress: outcome.progress,
            errorsStored: outcome.errorsStored,
            failure: outcome.failure,
            finishedAt: outcome.now,
            leaseOwner: null,
            leaseUntil: null,
          },
          $inc: { version: 1 },
        },
        events,
      ),
    );
    return result.matchedCount === 1;
  }
}

interface ImportErrorDocument extends RowError {
  /** `<job id>:<row, 10 digits>:<index within the row, 3 digits>`: row order, and one copy per error. */
  _id: string;
  jobId: string;
}

const importErrorSchema = new Schema<ImportErrorDocument>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    row: { type: Number, required: true },
    line: { type: Number, required: true },
    column: { type: String, default: null },
    code: { type: String, required: true },
    message: { type: String, required: true },
  },
  { collection: 'import_errors', versionKey: false, strict: 'throw' },
);
importErrorSchema.index({ jobId: 1, _id: 1 });

export function importErrorModel(connection: Connection): Model<ImportErrorDocument> {
  return connection.model<ImportErrorDocument>('ImportError', importErrorSchema);
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

export class MongoImportErrorStore implements ImportErrorStore {
  constructor(private readonly model: Model<ImportErrorDocument>) {}

  async append(jobId: string, errors: readonly RowError[]): Promise<void> {
    const perRow = new Map<number, number>();
    const docs = errors.map((error) => {
      const index = perRow.get(error.row) ?? 0;
      perRow.set(error.row, index + 1);
      return { _id: `${jobId}:${pad(error.row, 10)}:${pad(index, 3)}`, jobId, ...error };
    });
    try {
      await driverCollection(this.model).insertMany(docs, { ordered: false });
    } catch (error) {
      // Errors of a batch written again after a resume are already there.
      if (!failedOnlyOnDuplicates(error)) throw error;
    }
  }

  async *read(jobId: string): AsyncGenerator<RowError> {
    const cursor = driverCollection(this.model).find(
      { jobId },
      { sort: { _id: 1 }, batchSize: 1_000 },
    );
    try {
      for await (const { row, line, column, code, message } of cursor) {
        yield { row, line, column: column ?? null, code, message };
      }
    } finally {
      await cursor.close();
    }
  }
}

/** Imported rows go to the driver whole; these builders are checked against the schemas in tests. */
export const importedParticipantDocument = ({
  record,
  events,
}: {
  record: NewParticipant;
  events: readonly OutboxEntry[];
}): ParticipantDocument => ({
  // Imported people have no account: accountSubject stays absent for the sparse index.
  _id: record.id,
  name: record.name,
  tier: record.tier,
  jurisdictionPath: [...record.jurisdictionPath],
  birthDate: record.birthDate,
  idNumber: { ...record.idNumber },
  phone: record.phone === null ? null : { ...record.phone },
  language: record.language,
  consent: { ...record.consent },
  employer: record.employer,
  source: record.source,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
  version: 1,
  ...insertWithEvents(events),
});

export const importedOrganizationDocument = ({
  organization,
  events,
}: {
  organization: NewOrganization;
  events: readonly OutboxEntry[];
}): OrganizationDocument => ({
  _id: organization.id,
  kind: organization.kind,
  name: organization.name,
  // Absent, not null: the sparse unique index skips only missing fields.
  ...(organization.creditCode === null ? {} : { creditCode: organization.creditCode }),
  jurisdictionPath: [...organization.jurisdictionPath],
  leadDepartment: organization.leadDepartment,
  coDepartments: [...organization.coDepartments],
  learningSystem: organization.learningSystem,
  status: organization.status,
  history: organization.history.map((change) => ({ ...change })),
  createdBy: organization.createdBy,
  createdAt: organization.createdAt,
  updatedAt: organization.updatedAt,
  version: 1,
  ...insertWithEvents(events),
});

export const importedMembershipDocument = ({
  membership,
  events,
}: {
  membership: NewMembership;
  events: readonly OutboxEntry[];
}): MembershipDocument => ({
  _id: membership.id,
  organizationId: membership.organizationId,
  participantId: membership.participantId,
  organizationKind: membership.organizationKind,
  role: membership.role,
  status: 'active',
  since: membership.since,
  endedAt: null,
  jurisdictionPath: [...membership.jurisdictionPath],
  version: 1,
  ...insertWithEvents(events),
});

export class MongoRegistryWriter implements RegistryWriter {
  private readonly participants: Model<ParticipantDocument>;
  private readonly organizations: Model<OrganizationDocument>;
  private readonly memberships: Model<MembershipDocument>;

  constructor(connection: Connection) {
    // The owning modules register these models; the import writes into the same collections.
    this.participants =
      (connection.models['Participant'] as Model<ParticipantDocument> | undefined) ??
      participantModel(connection);
    this.organizations = organizationModel(connection);
    this.memberships = membershipModel(connection);
  }

  async insertParticipants(
    items: readonly { record: NewParticipant; events: readonly OutboxEntry[] }[],
  ): Promise<WriteResult[]> {
    return insertAbsent(this.participants, items.map(importedParticipantDocument));
  }

  async insertOrganizations(
    items: readonly { organization: NewOrganization; events: readonly OutboxEntry[] }[],
  ): Promise<WriteResult[]> {
    return insertAbsent(this.organizations, items.map(importedOrganizationDocument));
  }

  async insertMemberships(
    items: readonly { membership: NewMembership; events: readonly OutboxEntry[] }[],
  ): Promise<WriteResult[]> {
    return insertAbsent(this.memberships, items.map(importedMembershipDocument));
  }

  async participantIdsByHash(hashes: readonly string[]): Promise<Map<string, string>> {
    if (hashes.length === 0) return new Map();
    const found = await driverCollection(this.participants)
      .find(
        { 'idNumber.hash': { $in: [...hashes] } },
        { projection: { _id: 1, 'idNumber.hash': 1 } },
      )
      .toArray();
    return new Map(found.map((doc) => [doc.idNumber.hash, doc._id]));
  }

  async organizationsByCreditCode(codes: readonly string[]): Promise<Map<string, OrganizationRef>> {
    if (codes.length === 0) return new Map();
    const found = await this.organizations
      .find({ creditCode: { $in: [...codes] } })
      .select({
        _id: 1,
        creditCode: 1,
        kind: 1,
        status: 1,
        leadDepartment: 1,
        coDepartments: 1,
        jurisdictionPath: 1,
      })
      .lean<OrganizationDocument[]>();
    return new Map(
      found.map((doc) => [
        doc.creditCode ?? '',
        {
          id: doc._id,
          kind: doc.kind,
          status: doc.status,
          leadDepartment: doc.leadDepartment,
          coDepartments: doc.coDepartments,
          jurisdictionPath: doc.jurisdictionPath,
        },
      ]),
    );
  }
}

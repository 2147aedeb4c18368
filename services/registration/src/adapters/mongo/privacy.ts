/**
 * A person's rights in MongoDB: consents on the participant record
 * (`participants.consentRecords`), the copies of their data being gathered
 * (`data_exports`) and the requests to close an account (`erasure_requests`),
 * each with its outbox.
 */
import type { ErasingService } from '@learning/contracts';
import {
  insertWithEvents,
  outboxPlugin,
  updateWithEvents,
  type OutboxEntry,
  type WithOutbox,
} from '@learning/events';
import { isDuplicateKey } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  ConsentRecord,
  ConsentStore,
  ConsentWrite,
  DataExport,
  DataExportStore,
  ErasureProgress,
  ErasureRequest,
  ErasureRequestStore,
  Requester,
  RequesterDirectory,
  StoredSection,
} from '../../application/privacy/ports.js';
import type { Language } from '../../domain/participants.js';
import { EXPORT_PART_STATUSES, type ConsentPurpose } from '../../domain/privacy.js';
import type { ParticipantDocument } from './participants.js';

export class MongoConsentStore implements ConsentStore {
  constructor(private readonly participants: Model<ParticipantDocument>) {}

  async recordsOf(participantId: string): Promise<Partial<Record<ConsentPurpose, ConsentRecord>>> {
    const doc = await this.participants
      .findById(participantId, { consentRecords: 1 })
      .lean<Pick<ParticipantDocument, 'consentRecords'>>();
    return doc?.consentRecords ?? {};
  }

  async write(
    participantId: string,
    expectedVersion: number,
    write: ConsentWrite,
    events: readonly OutboxEntry[],
  ): Promise<boolean> {
    const set: Record<string, unknown> = { updatedAt: write.updatedAt };
    for (const [purpose, record] of Object.entries(write.records))
      set[`consentRecords.${purpose}`] = record;
    if (write.channels !== undefined)
      set['consent'] = {
        notifications: write.channels.notifications,
        updatedAt: write.updatedAt,
        channels: write.channels.channels,
      };
    const result = await this.participants.updateOne(
      { _id: participantId, version: expectedVersion },
      updateWithEvents<ParticipantDocument>(
        { $set: set, $inc: { version: write.versions } },
        events,
      ),
      { runValidators: true },
    );
    return result.matchedCount === 1;
  }
}

/** The person behind an account: their record's id and language, nothing more. */
export class MongoRequesterDirectory implements RequesterDirectory {
  constructor(private readonly participants: Model<ParticipantDocument>) {}

  async ofAccount(accountSubject: string): Promise<Requester | null> {
    const doc = await this.participants
      .findOne({ accountSubject }, { _id: 1, language: 1, jurisdictionPath: 1 })
      .lean<Pick<ParticipantDocument, '_id' | 'language' | 'jurisdictionPath'>>();
    return doc === null
      ? null
      : { participantId: doc._id, language: doc.language, jurisdictionPath: doc.jurisdictionPath };
  }
}

const localizedSchema = new Schema(
  { zhCn: { type: String, default: '' }, en: { type: String, default: '' } },
  { _id: false, strict: 'throw' },
);

const sectionSchema = new Schema<StoredSection>(
  {
    kind: { type: String, required: true },
    title: { type: localizedSchema, required: true },
    purpose: { type: localizedSchema, required: true },
    retention: { type: localizedSchema, required: true },
    // The records as the service sent them: JSON keys need not be valid MongoDB field names.
    recordsJson: { type: String, required: true },
    recordCount: { type: Number, required: true },
  },
  { _id: false, strict: 'throw' },
);

interface ExportPartField {
  service: ErasingService;
  status: (typeof EXPORT_PART_STATUSES)[number];
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  doneAt: Date | null;
  sections: StoredSection[];
}

export interface DataExportDocument extends WithOutbox {
  _id: string;
  participantId: string;
  accountSubject: string;
  language: Language;
  requestedAt: Date;
  completedAt: Date | null;
  expiresAt: Date;
  /** Present while some part is missing: the worker's index. */
  gathering?: boolean;
  parts: ExportPartField[];
}

const partSchema = new Schema<ExportPartField>(
  {
    service: { type: String, required: true },
    status: { type: String, required: true, enum: EXPORT_PART_STATUSES },
    attempts: { type: Number, required: true },
    lastError: { type: String, default: null },
    nextAttemptAt: { type: Date, default: null },
    doneAt: { type: Date, default: null },
    sections: { type: [sectionSchema], default: [] },
  },
  { _id: false, strict: 'throw' },
);

const dataExportSchema = new Schema<DataExportDocument>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true, index: true },
    accountSubject: { type: String, required: true },
    language: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    expiresAt: { type: Date, required: true, index: true },
    gathering: { type: Boolean },
    parts: { type: [partSchema], required: true },
  },
  { collection: 'data_exports', versionKey: false, strict: 'throw' },
);
dataExportSchema.plugin(outboxPlugin);
dataExportSchema.index({ gathering: 1, requestedAt: 1 }, { sparse: true });

export function dataExportModel(connection: Connection): Model<DataExportDocument> {
  return (
    (connection.models['DataExport'] as Model<DataExportDocument> | undefined) ??
    connection.model<DataExportDocument>('DataExport', dataExportSchema)
  );
}

const toDataExport = (doc: DataExportDocument): DataExport => ({
  id: doc._id,
  participantId: doc.participantId,
  accountSubject: doc.accountSubject,
  language: doc.language,
  requestedAt: doc.requestedAt,
  completedAt: doc.completedAt,
  expiresAt: doc.expiresAt,
  parts: doc.parts.map((part) => ({ ...part, sections: part.sections })),
});

export class MongoDataExportStore implements DataExportStore {
  constructor(private readonly model: Model<DataExportDocument>) {}

  async create(dataExport: DataExport, events: readonly OutboxEntry[]): Promise<void> {
    const { id, parts, ...fields } = dataExport;
    await this.model.create({
      _id: id,
      ...fields,
      gathering: true,
      parts: parts.map((part) => ({ ...part, sections: [...part.sections] })),
      ...insertWithEvents(events),
    });
  }

  async ofAccount(id: string, accountSubject: string): Promise<DataExport | null> {
    const doc = await this.model
      .findOne({ _id: id, accountSubject }, { outbox: 0 })
      .lean<DataExportDocument>();
    return doc === null ? null : toDataExport(doc);
  }

  async due(now: Date, limit: number): Promise<DataExport[]> {
    const docs = await this.model
      .find(
        {
          gathering: true,
          parts: { $elemMatch: { status: { $ne: 'done' }, nextAttemptAt: { $lte: now } } },
        },
        { outbox: 0 },
      )
      .sort({ requestedAt: 1 })
      .limit(limit)
      .lean<DataExportDocument[]>();
    return docs.map(toDataExport);
  }

  async partDone(
    id: string,
    service: ErasingService,
    sections: StoredSection[],
    at: Date,
  ): Promise<void> {
    await this.model.updateOne(
      { _id: id, parts: { $elemMatch: { service, status: { $ne: 'done' } } } },
      {
        $set: {
          'parts.$.status': 'done',
          'parts.$.sections': sections,
          'parts.$.doneAt': at,
          'parts.$.nextAttemptAt': null,
          'parts.$.lastError': null,
        },
        $inc: { 'parts.$.attempts': 1 },
      },
      { runValidators: true },
    );
  }

  async partFailed(
    id: string,
    service: ErasingService,
    error: string,
    nextAttemptAt: Date,
  ): Promise<void> {
    await this.model.updateOne(
      { _id: id, parts: { $elemMatch: { service, status: { $ne: 'done' } } } },
      {
        $set: {
          'parts.$.status': 'failed',
          'parts.$.lastError': error,
          'parts.$.nextAttemptAt': nextAttemptAt,
        },
        $inc: { 'parts.$.attempts': 1 },
      },
    );
  }

  async completed(id: string, at: Date): Promise<void> {
    await this.model.updateOne(
      // Only when no part is missing any more: a part failing meanwhile keeps it gathering.
      { _id: id, gathering: true, 'parts.status': { $nin: ['pending', 'failed'] } },
      { $set: { completedAt: at }, $unset: { gathering: 1 } },
    );
  }
}

interface ProgressField {
  service: ErasingService;
  completedAt: Date | null;
  erased: { kind: string; count: number }[];
  kept: { kind: string; count: number; reason: string }[];
}

export interface ErasureRequestDocument extends WithOutbox {
  _id: string;
  /** Pseudonymous once every service has erased: a random id nothing links to a person. */
  participantId: string;
  /** The person's account until every service has confirmed: how they read the progress. */
  accountSubject?: string;
  /** The account while the request is open: one open request per account. */
  openFor?: string;
  requestedAt: Date;
  completedAt: Date | null;
  services: ProgressField[];
}

const progressSchema = new Schema<ProgressField>(
  {
    service: { type: String, required: true },
    completedAt: { type: Date, default: null },
    erased: { type: [{ kind: String, count: Number, _id: false }], default: [] },
    kept: { type: [{ kind: String, count: Number, reason: String, _id: false }], default: [] },
  },
  { _id: false, strict: 'throw' },
);

const erasureRequestSchema = new Schema<ErasureRequestDocument>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true, index: true },
    accountSubject: { type: String },
    openFor: { type: String },
    requestedAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    services: { type: [progressSchema], required: true },
  },
  { collection: 'erasure_requests', versionKey: false, strict: 'throw' },
);
erasureRequestSchema.plugin(outboxPlugin);
erasureRequestSchema.index({ openFor: 1 }, { unique: true, sparse: true });
erasureRequestSchema.index({ accountSubject: 1 }, { sparse: true });
// The operators' list of requests still waiting for a service.
erasureRequestSchema.index({ completedAt: 1, requestedAt: 1 });

export function erasureRequestModel(connection: Connection): Model<ErasureRequestDocument> {
  return (
    (connection.models['ErasureRequest'] as Model<ErasureRequestDocument> | undefined) ??
    connection.model<ErasureRequestDocument>('ErasureRequest', erasureRequestSchema)
  );
}

const toRequest = (doc: ErasureRequestDocument): ErasureRequest => ({
  id: doc._id,
  participantId: doc.participantId,
  accountSubject: doc.accountSubject ?? null,
  requestedAt: doc.requestedAt,
  completedAt: doc.completedAt,
  services: doc.services.map((progress): ErasureProgress => ({
    service: progress.service,
    completedAt: progress.completedAt,
    erased: progress.erased.map(({ kind, count }) => ({ kind, count })),
    kept: progress.kept.map(({ kind, count, reason }) => ({ kind, count, reason })),
  })),
});

export class MongoErasureRequestStore implements ErasureRequestStore {
  constructor(private readonly model: Model<ErasureRequestDocument>) {}

  async createOrOpen(
    request: ErasureRequest,
    events: readonly OutboxEntry[],
  ): Promise<ErasureRequest> {
    const { id, accountSubject, services, ...fields } = request;
    try {
      await this.model.create({
        _id: id,
        ...fields,
        ...(accountSubject === null ? {} : { accountSubject, openFor: accountSubject }),
        services: services.map((progress) => ({ ...progress, erased: [], kept: [] })),
        ...insertWithEvents(events),
      });
      return request;
    } catch (error) {
      // Two requests at once: the one stored first is the person's request.
      if (!isDuplicateKey(error) || accountSubject === null) throw error;
      const open = await this.openOfAccount(accountSubject);
      if (open === null) throw error;
      return open;
    }
  }

  async openOfAccount(accountSubject: string): Promise<ErasureRequest | null> {
    const doc = await this.model
      .findOne({ openFor: accountSubject }, { outbox: 0 })
      .lean<ErasureRequestDocument>();
    return doc === null ? null : toRequest(doc);
  }

  async ofAccount(id: string, accountSubject: string): Promise<ErasureRequest | null> {
    const doc = await this.model
      .findOne({ _id: id, accountSubject }, { outbox: 0 })
      .lean<ErasureRequestDocument>();
    return doc === null ? null : toRequest(doc);
  }

  async open(limit: number): Promise<ErasureRequest[]> {
    const docs = await this.model
      .find({ completedAt: null }, { outbox: 0 })
      .sort({ requestedAt: 1 })
      .limit(limit)
      .lean<ErasureRequestDocument[]>();
    return docs.map(toRequest);
  }

  async recordCompletion(
    id: string,
    progress: ErasureProgress & { readonly completedAt: Date },
  ): Promise<'recorded' | 'repeated' | 'unknown'> {
    const result = await this.model.updateOne(
      { _id: id, services: { $elemMatch: { service: progress.service, completedAt: null } } },
      {
        $set: {
          'services.$.completedAt': progress.completedAt,
          'services.$.erased': progress.erased.map((tally) => ({ ...tally })),
          'services.$.kept': progress.kept.map((tally) => ({ ...tally })),
        },
      },
    );
    if (result.matchedCount === 1) return 'recorded';
    return (await this.model.exists({ _id: id })) === null ? 'unknown' : 'repeated';
  }

  async completeIfConfirmed(id: string, at: Date): Promise<boolean> {
    const doc = await this.model
      .findById(id, { services: 1, completedAt: 1 })
      .lean<Pick<ErasureRequestDocument, 'services' | 'completedAt'>>();
    if (doc === null || doc.completedAt !== null) return false;
    if (doc.services.some((progress) => progress.completedAt === null)) return false;
    const result = await this.model.updateOne(
      { _id: id, completedAt: null },
      { $set: { completedAt: at }, $unset: { accountSubject: 1, openFor: 1 } },
    );
    return result.modifiedCount === 1;
  }
}

/**
 * The readable audit log: one document per record, keyed by the event id so
 * a redelivered record is filed once. Records are never changed, except that
 * erasure empties what a record showed of an erased person's own records
 * (who did what, and when, stays); they are deleted only by the retention
 * sweep once past the retention period.
 */
import { subscribeRuns, type ConsumedEvent, type Subscription } from '@learning/events';
import type { Logger } from '@learning/logger';
import type { Scope } from '@learning/auth';
import { ScopedRepository, scopedFields, type ScopedDocument } from '@learning/mongo';
import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditActor, AuditPayload, AuditTrail } from './record.js';

export interface AuditDocument extends ScopedDocument {
  _id: string;
  at: Date;
  actor: AuditActor;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason?: string;
  correlationId?: string;
}

const auditSchema = new Schema<AuditDocument>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: {
      subject: { type: String, required: true },
      roles: { type: [String], default: [] },
      service: { type: String },
    },
    action: { type: String, required: true },
    entityType: { type: String, required: true },
    entityId: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    reason: { type: String },
    correlationId: { type: String },
    jurisdictionPath: { ...scopedFields.jurisdictionPath, index: false },
    version: scopedFields.version,
  },
  { collection: 'audit_log', versionKey: false, minimize: false },
);
// Newest first within a subtree; one entity's history.
auditSchema.index({ jurisdictionPath: 1, at: -1, _id: -1 });
auditSchema.index({ entityType: 1, entityId: 1, at: -1 });

export function auditModel(connection: Connection): Model<AuditDocument> {
  return connection.model<AuditDocument>('AuditRecord', auditSchema);
}

/** A published audit record, as the sink files it under its event id. */
export interface AuditRecordToFile {
  readonly id: string;
  readonly at: Date;
  readonly payload: AuditPayload;
  readonly correlationId?: string;
}

export interface AuditQuery {
  readonly entityType?: string;
  readonly entityId?: string;
  readonly actorSubject?: string;
  readonly action?: string;
  /** Inclusive. */
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface AuditEntryView {
  readonly id: string;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly jurisdictionPath: string[];
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly correlationId: string | null;
}

const toView = (doc: AuditDocument): AuditEntryView => ({
  id: doc._id,
  at: doc.at,
  actor: doc.actor,
  action: doc.action,
  entityType: doc.entityType,
  entityId: doc.entityId,
  jurisdictionPath: doc.jurisdictionPath,
  before: doc.before,
  after: doc.after,
  reason: doc.reason ?? null,
  correlationId: doc.correlationId ?? null,
});

export class AuditLog extends ScopedRepository<AuditDocument> {
  constructor(model: Model<AuditDocument>, logger: Logger) {
    super(model, { entity: 'AUDIT_RECORD', logger });
  }

  /** Files the records in one round trip; a record already filed (a redelivery) is left as it is. */
  async file(records: readonly AuditRecordToFile[]): Promise<void> {
    if (records.length === 0) return;
    await this.model.bulkWrite(
      records.map(({ id, at, payload, correlationId }) => ({
        updateOne: {
          filter: { _id: id },
          update: {
            $setOnInsert: {
              at,
              actor: payload.actor,
              action: payload.action,
              entityType: payload.entityType,
              entityId: payload.entityId,
              jurisdictionPath: payload.jurisdictionPath,
              before: payload.before ?? null,
              after: payload.after ?? null,
              ...(payload.reason === undefined ? {} : { reason: payload.reason }),
              ...(correlationId === undefined ? {} : { correlationId }),
              version: 1,
            },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** Deletes the records filed before `cutoff`; returns how many. */
  async removeOlderThan(cutoff: Date): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({ at: { $lt: cutoff } });
    return deletedCount;
  }

  /**
   * The records a person's accounts made, and those describing one of the
   * person's own records (their copy of their data), oldest first.
   */
  async concerning(
    actorSubjects: readonly string[],
    entities: readonly { entityType: string; entityIds: readonly string[] }[],
  ): Promise<AuditEntryView[]> {
    const either: Record<string, unknown>[] = [];
    if (actorSubjects.length > 0) either.push({ 'actor.subject': { $in: [...actorSubjects] } });
    for (const { entityType, entityIds } of entities)
      if (entityIds.length > 0) either.push({ entityType, entityId: { $in: [...entityIds] } });
    if (either.length === 0) return [];
    const docs = await this.model
      .find({ $or: either })
      .sort({ at: 1, _id: 1 })
      .lean<AuditDocument[]>();
    return docs.map(toView);
  }

  /**
   * Erasure: empties what the records of these entities showed of them (a
   * profile's name, say); who changed them, how and when stays, as the audit
   * log must keep it. Returns how many records changed (none on a second run).
   */
  async redactEntities(entityType: string, entityIds: readonly string[]): Promise<number> {
    if (entityIds.length === 0) return 0;
    const { modifiedCount } = await this.model.updateMany(
      {
        entityType,
        entityId: { $in: [...entityIds] },
        $or: [{ before: { $ne: null } }, { after: { $ne: null } }],
      },
      { $set: { before: null, after: null } },
    );
    return modifiedCount;
  }

  async search(
    scope: Scope,
    query: AuditQuery,
  ): Promise<{ items: AuditEntryView[]; nextPageToken: string | null }> {
    const at: Record<string, Date> = {};
    if (query.from !== undefined) at['$gte'] = query.from;
    if (query.to !== undefined) at['$lt'] = query.to;
    const page = await this.page(scope, {
      filter: {
        ...(query.entityType === undefined ? {} : { entityType: query.entityType }),
        ...(query.entityId === undefined ? {} : { entityId: query.entityId }),
        ...(query.actorSubject === undefined ? {} : { 'actor.subject': query.actorSubject }),
        ...(query.action === undefined ? {} : { action: query.action }),
        ...(Object.keys(at).length === 0 ? {} : { at }),
      },
      sort: { field: 'at', direction: 'desc' },
      after: query.pageToken ?? null,
      limit: query.pageSize,
    });
    return { items: page.items.map(toView), nextPageToken: page.nextCursor };
  }
}

/**
 * The subscription that files a service's audit records as they are published,
 * a run of them per write. Records are filed under the event id: a redelivery
 * finds its record.
 */
export function auditSink(trail: AuditTrail, log: AuditLog): Subscription<unknown> {
  return subscribeRuns(trail.event, (events: readonly ConsumedEvent<AuditPayload>[]) =>
    log.file(
      events.map((event) => ({
        id: event.id,
        at: new Date(event.time),
        payload: event.data,
        correlationId: event.correlationId,
      })),
    ),
  );
}

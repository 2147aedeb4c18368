/**
 * The responsibility table in MongoDB: one document, `_id` 'current', holding
 * the table as rows and a version. It is city-wide reference data, not
 * jurisdiction-scoped, so it has no ScopedRepository. The policy's defaults
 * are stored on first read, so the office always edits a stored version.
 */
import { outboxPlugin, updateWithEvents, type WithOutbox } from '@learning/events';
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  DepartmentTableReplacement,
  DepartmentTableRepository,
  StoredDepartmentTable,
} from '../../application/departments/department-table-repository.js';
import { versionConflict } from '../../application/departments/errors.js';
import {
  DEFAULT_RESPONSIBILITY_TABLE,
  DEPARTMENTS,
  parseResponsibilityTable,
  ROUTED_KINDS,
  rowsOf,
  type RoutedKind,
} from '../../domain/departments.js';

const CURRENT = 'current';

export interface DepartmentTableDocument extends WithOutbox {
  _id: string;
  rows: { kind: RoutedKind; lead: string; coResponsible: string[] }[];
  version: number;
  updatedBy: string | null;
  updatedAt: Date | null;
}

const rowSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ROUTED_KINDS },
    lead: { type: String, required: true },
    coResponsible: { type: [String], default: [] },
  },
  { _id: false, strict: 'throw' },
);

const departmentTableSchema = new Schema<DepartmentTableDocument>(
  {
    _id: { type: String, required: true },
    rows: { type: [rowSchema], required: true },
    version: { type: Number, required: true, min: 1 },
    updatedBy: { type: String, default: null },
    updatedAt: { type: Date, default: null },
  },
  { collection: 'department_tables', versionKey: false, strict: 'throw' },
);
departmentTableSchema.plugin(outboxPlugin);

export function departmentTableModel(connection: Connection): Model<DepartmentTableDocument> {
  return connection.model<DepartmentTableDocument>('DepartmentTable', departmentTableSchema);
}

/** Stored rows were valid when written; parsing them again gives the keyed table back. */
const toStored = (doc: DepartmentTableDocument): StoredDepartmentTable => ({
  table: parseResponsibilityTable(doc.rows, DEPARTMENTS),
  version: doc.version,
  updatedBy: doc.updatedBy ?? null,
  updatedAt: doc.updatedAt ?? null,
});

export class MongoDepartmentTableRepository implements DepartmentTableRepository {
  constructor(private readonly model: Model<DepartmentTableDocument>) {}

  async current(): Promise<StoredDepartmentTable> {
    // Inserts the defaults only when nothing is stored; concurrent first reads store them once.
    const doc = await this.model
      .findOneAndUpdate(
        { _id: CURRENT },
        {
          $setOnInsert: {
            rows: rowsOf(DEFAULT_RESPONSIBILITY_TABLE),
            version: 1,
            updatedBy: null,
            updatedAt: null,
            outbox: [],
          },
        },
        { upsert: true, new: true },
      )
      .lean<DepartmentTableDocument>();
    return toStored(doc);
  }

  async replace(replacement: DepartmentTableReplacement): Promise<StoredDepartmentTable> {
    await this.current();
    const doc = await this.model
      .findOneAndUpdate(
        { _id: CURRENT, version: replacement.expectedVersion },
        updateWithEvents<DepartmentTableDocument>(
          {
            $set: {
              rows: rowsOf(replacement.table),
              updatedBy: replacement.updatedBy,
              updatedAt: replacement.updatedAt,
            },
            $inc: { version: 1 },
          },
          replacement.events,
        ),
        { new: true, runValidators: true },
      )
      .lean<DepartmentTableDocument>();
    if (doc === null) throw versionConflict();
    return toStored(doc);
  }
}

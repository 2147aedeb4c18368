/**
 * The departments and the responsibility table: read by anyone signed in,
 * replaced as a whole by the city admin (the campaign office). A new table
 * routes only organizations registered afterwards; those already registered
 * keep the departments they were given.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import {
  DEPARTMENTS,
  parseResponsibilityTable,
  responsibilitiesOf,
  rowsOf,
  type Department,
  type ResponsibilityRow,
  type RoutedKind,
} from '../../domain/departments.js';
import { domainCall } from '../errors.js';
import type {
  DepartmentTableRepository,
  StoredDepartmentTable,
} from './department-table-repository.js';

export interface DepartmentTableDeps {
  readonly tables: DepartmentTableRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export interface DepartmentWithResponsibilities extends Department {
  readonly leads: RoutedKind[];
  readonly coOwns: RoutedKind[];
}

export interface DepartmentTableView {
  readonly rows: ResponsibilityRow[];
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
}

const viewOf = (stored: StoredDepartmentTable): DepartmentTableView => ({
  rows: rowsOf(stored.table),
  version: stored.version,
  updatedBy: stored.updatedBy,
  updatedAt: stored.updatedAt,
});

export function listDepartments(deps: Pick<DepartmentTableDeps, 'tables'>) {
  return async (): Promise<DepartmentWithResponsibilities[]> => {
    const { table } = await deps.tables.current();
    return DEPARTMENTS.map((department) => ({
      ...department,
      ...responsibilitiesOf(department.code, table),
    }));
  };
}

export function getDepartmentTable(deps: Pick<DepartmentTableDeps, 'tables'>) {
  return async (): Promise<DepartmentTableView> => viewOf(await deps.tables.current());
}

export interface ReplaceDepartmentTableRequest {
  /** The version the editor read: a table changed meanwhile is not overwritten. */
  readonly version: number;
  readonly rows: readonly ResponsibilityRow[];
  readonly reason?: string;
}

export function replaceDepartmentTable(deps: DepartmentTableDeps) {
  return async (
    principal: Principal,
    request: ReplaceDepartmentTableRequest,
  ): Promise<DepartmentTableView> => {
    const table = domainCall(() => parseResponsibilityTable(request.rows, DEPARTMENTS));
    const before = await deps.tables.current();
    const now = deps.clock();
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'department_table.replace',
      entityType: 'department_table',
      entityId: 'current',
      jurisdictionPath: CITY_WIDE_PATH,
      before: { version: before.version, rows: rowsOf(before.table) },
      after: { version: request.version + 1, rows: rowsOf(table) },
      ...(request.reason === undefined ? {} : { reason: request.reason }),
    });
    const stored = await deps.tables.replace({
      table,
      expectedVersion: request.version,
      updatedBy: principal.subject,
      updatedAt: now,
      events: [audit],
    });
    return viewOf(stored);
  };
}

export type ListDepartments = ReturnType<typeof listDepartments>;
export type GetDepartmentTable = ReturnType<typeof getDepartmentTable>;
export type ReplaceDepartmentTable = ReturnType<typeof replaceDepartmentTable>;

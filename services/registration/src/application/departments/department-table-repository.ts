/** The port the responsibility table is stored through: one current table, versioned. */
import type { OutboxEntry } from '@learning/events';
import type { ResponsibilityTable } from '../../domain/departments.js';

export interface StoredDepartmentTable {
  readonly table: ResponsibilityTable;
  /** 1 for the policy's defaults, seeded when no table is stored; +1 on every edit. */
  readonly version: number;
  /** Null while the table is the seeded defaults. */
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
}

export interface DepartmentTableReplacement {
  readonly table: ResponsibilityTable;
  readonly expectedVersion: number;
  readonly updatedBy: string;
  readonly updatedAt: Date;
  readonly events: readonly OutboxEntry[];
}

export interface DepartmentTableRepository {
  /** The table in force; the defaults are stored first when there is none. */
  current(): Promise<StoredDepartmentTable>;
  /** Fails with VERSION_CONFLICT when the table is no longer at `expectedVersion`. */
  replace(replacement: DepartmentTableReplacement): Promise<StoredDepartmentTable>;
}

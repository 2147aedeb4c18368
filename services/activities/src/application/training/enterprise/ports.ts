/**
 * How enterprises' training reports are stored: one report per enterprise
 * and year, its revisions kept inside it, and what the platform recorded of
 * the enterprise's own programmes beside it.
 */
import type { Fen } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { ReportFigures } from '../../../domain/enterprise-training.js';

/** One revision of a year's figures, as its admin reported it. */
export interface ReportRevision extends ReportFigures {
  readonly revision: number;
  readonly reportedBy: string;
  readonly reportedAt: Date;
}

export interface StoredReport extends ReportFigures {
  /** `<organizationId>:<year>`: the events' key, so revisions stay in order. */
  readonly id: string;
  readonly organizationId: string;
  /** The enterprise's name in registration when it last reported. */
  readonly organizationName: string;
  readonly year: number;
  /** The enterprise's lead department and place in registration when it last reported. */
  readonly leadDepartment: string;
  readonly jurisdictionPath: readonly string[];
  /** 1 for the first report, one more for each change; also the ETag. */
  readonly revision: number;
  readonly reportedBy: string;
  readonly reportedAt: Date;
  readonly createdAt: Date;
  /** Every revision, oldest first, the current one last. */
  readonly revisions: readonly ReportRevision[];
}

/** Figures and routing of a new revision, with the events written in the same write. */
export interface ReportWrite extends ReportFigures {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly year: number;
  readonly leadDepartment: string;
  readonly jurisdictionPath: readonly string[];
  readonly reportedBy: string;
  readonly reportedAt: Date;
  readonly events: readonly OutboxEntry[];
}

/** Whom a list shows reports to: everything, or the union of some subtrees and one department's. */
export type ReportVisibility =
  | { readonly everything: true }
  | {
      readonly everything: false;
      /** Reports of enterprises in the subtrees under these codes (an area officer's). */
      readonly underJurisdictions: readonly string[];
      /** Reports of enterprises this department leads (a department officer's). */
      readonly leadDepartment: string | null;
    };

export interface ReportQuery {
  readonly year: number;
  /** Only enterprises in the subtree of this node. */
  readonly jurisdictionCode?: string;
  readonly leadDepartment?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface ReportSums {
  readonly reports: number;
  readonly trainees: number;
  readonly trainingMinutes: number;
  readonly spendFen: Fen;
}

export interface ReportPage {
  readonly items: readonly StoredReport[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
  /** Over every report the query matches within the visibility, not just this page. */
  readonly sums: ReportSums;
}

export interface EnterpriseReportRepository {
  get(organizationId: string, year: number): Promise<StoredReport | null>;
  /** Revision 1; VERSION_CONFLICT when the year was reported meanwhile. */
  create(report: ReportWrite): Promise<StoredReport>;
  /** The next revision if the report is still at `expectedRevision`; VERSION_CONFLICT otherwise. */
  revise(expectedRevision: number, report: ReportWrite): Promise<StoredReport>;
  list(visibility: ReportVisibility, query: ReportQuery): Promise<ReportPage>;
}

export interface RecordedTraining {
  /**
   * Minutes the platform recorded in `year` (session check-ins) for the
   * programmes each enterprise runs for its staff, by enterprise; an
   * enterprise without any is absent.
   */
  minutesOf(organizationIds: readonly string[], year: number): Promise<ReadonlyMap<string, number>>;
}

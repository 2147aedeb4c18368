/**
 * What the funding slice stores and asks (policy §6.4): the city's lines,
 * receipts from sponsors and donors, enterprises' yearly training reports,
 * their totals, the places they name, and the commitments the awards make
 * against a line.
 */
import type { Fen } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type { RawFundingTotals } from '../../domain/funding.js';

export interface FundingLine {
  readonly id: string;
  readonly year: number;
  readonly code: string;
  readonly name: string;
  readonly purpose: string;
  readonly amountFen: Fen;
  readonly remainingFen: Fen;
  /** Bumped by every change; a change applies only at the revision read. */
  readonly revision: number;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewFundingLine extends Omit<FundingLine, 'revision' | 'remainingFen'> {
  readonly events: readonly OutboxEntry[];
}

export interface LineAmountChange {
  readonly id: string;
  readonly expectedRevision?: number;
  readonly amountFen: Fen;
  readonly updatedAt: Date;
  /** Built from the line as it stood, once the store has read it. */
  readonly events: (before: FundingLine) => readonly OutboxEntry[];
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface PageAsk {
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface FundingLines {
  /** FUNDING_LINE_EXISTS when the year has a line of that code. */
  create(line: NewFundingLine): Promise<FundingLine>;
  get(id: string): Promise<FundingLine | undefined>;
  /** Of a year (all years when absent), by code. */
  list(year: number | undefined, page: PageAsk): Promise<Page<FundingLine>>;
  /**
   * Sets the amount, moving what remains by the difference, unless that
   * would leave less than is committed (FUNDING_LINE_BELOW_COMMITTED) or the
   * line changed since `expectedRevision` (VERSION_CONFLICT).
   */
  changeAmount(change: LineAmountChange): Promise<FundingLine>;
}

export type ReceiptSource = 'sponsorship' | 'donation';

export interface FundingReceipt {
  readonly id: string;
  readonly year: number;
  readonly source: ReceiptSource;
  readonly donor: string;
  readonly amountFen: Fen;
  readonly inKind: string;
  readonly programme: string;
  readonly jurisdictionPath: readonly string[];
  readonly receivedOn: string;
  readonly recordedBy: string;
  readonly createdAt: Date;
}

export interface ReceiptQuery {
  readonly year?: number;
  readonly source?: ReceiptSource;
  readonly programme?: string;
  /** Receipts for this place or anywhere under it. */
  readonly jurisdictionCode?: string;
  /** The caller's reach: receipts under any of these codes only; undefined: the whole city. */
  readonly within?: readonly string[];
}

export interface FundingReceipts {
  record(receipt: FundingReceipt, events: readonly OutboxEntry[]): Promise<FundingReceipt>;
  /** Newest first. */
  list(query: ReceiptQuery, page: PageAsk): Promise<Page<FundingReceipt>>;
}

export interface EnterpriseReport {
  readonly organizationId: string;
  readonly year: number;
  readonly reportId: string;
  readonly revision: number;
  readonly trainees: number;
  readonly trainingMinutes: number;
  readonly spendFen: Fen;
  /** The department leading enterprises, as the report's routing named it. */
  readonly leadDepartment: string;
  readonly jurisdictionPath: readonly string[];
  readonly reportedAt: Date;
}

export interface EnterpriseReportQuery {
  readonly year: number;
  /** Only these enterprises' reports (an organization admin's own). */
  readonly organizationIds?: readonly string[];
  /** Only reports routed to this lead department. */
  readonly leadDepartment?: string;
}

export interface EnterpriseReports {
  /** Keeps the report unless the stored one has this revision or a higher one; true when it was kept. */
  keep(report: EnterpriseReport): Promise<boolean>;
  /** By organization id. */
  list(query: EnterpriseReportQuery, page: PageAsk): Promise<Page<EnterpriseReport>>;
}

export interface TotalsQuery {
  readonly year: number;
  /** Receipts and enterprise spend under this place only; lines (city-wide) are counted only for the whole city. */
  readonly jurisdictionCode?: string;
}

/** One aggregation per figure group. */
export interface FundingTotalsReader {
  totals(query: TotalsQuery): Promise<RawFundingTotals>;
}

/** A place the city knows, from registration's directory. */
export interface Place {
  readonly code: string;
  readonly name: string;
  readonly path: readonly string[];
}

export interface Places {
  /** The known ones among `codes`, by code. */
  find(codes: readonly string[]): Promise<ReadonlyMap<string, Place>>;
}

/**
 * Money committed against a line (material awards): what remains goes down
 * by the amount only when enough remains, and a reference committed once is
 * never committed again, so a retried or doubled approval spends once.
 */
export interface FundingCommitments {
  /**
   * FUNDING_LINE_NOT_FOUND when there is no such line; FUNDING_LINE_EXHAUSTED
   * when less than `amountFen` remains. Committing a reference again returns
   * the line as it is and changes nothing.
   */
  commit(lineId: string, amountFen: Fen, reference: string): Promise<FundingLine>;
}

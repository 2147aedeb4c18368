/**
 * A bulk import of the city's registry from one CSV file: what a job records,
 * and the ports the import use cases store jobs, row errors and rows through.
 */
import type { AuditActor } from '@learning/audit';
import type { OutboxEntry } from '@learning/events';
import type { Scope } from '@learning/auth';

export const IMPORT_KINDS = ['participants', 'organizations', 'memberships'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Whose rows the import may write: the uploader's reach, kept for the worker. */
export interface ImportReach {
  readonly cityWide: boolean;
  readonly jurisdictions: readonly string[];
}

/** How far the worker got: everything up to here is written and counted. */
export interface ImportProgress {
  /** Data rows consumed (the header is not a row). */
  readonly rowsRead: number;
  /** Bytes of the file up to the last row consumed. */
  readonly bytesRead: number;
  /** Rows that created a record. */
  readonly imported: number;
  /** Valid rows whose record already existed (an earlier import, or a person who registered). */
  readonly duplicates: number;
  /** Rows refused, each with at least one entry in the error report. */
  readonly failed: number;
}

export const NO_PROGRESS: ImportProgress = {
  rowsRead: 0,
  bytesRead: 0,
  imported: 0,
  duplicates: 0,
  failed: 0,
};

/** Why a whole job stopped (a row's own problems are row errors, not this). */
export interface ImportFailure {
  readonly code: string;
  readonly message: string;
  /** The file line where reading stopped, when known. */
  readonly line: number | null;
}

export interface ImportJob {
  readonly id: string;
  readonly kind: ImportKind;
  readonly status: ImportStatus;
  /** Hex SHA-256 of the uploaded file: the same file of the same kind is one job. */
  readonly sha256: string;
  readonly fileName: string;
  readonly totalBytes: number;
  /** The header as uploaded, so a resumed run reads the rows as the first run did. */
  readonly columns: readonly string[];
  readonly createdBy: AuditActor;
  readonly reach: ImportReach;
  /** Where the job sits for scoped reads: the uploader's first jurisdiction, or the city. */
  readonly jurisdictionPath: readonly string[];
  readonly progress: ImportProgress;
  /** Row errors kept for the report; the report stops at the cap, `progress.failed` never does. */
  readonly errorsStored: number;
  readonly failure: ImportFailure | null;
  readonly createdAt: Date;
  /** When the first run began; null while queued. */
  readonly startedAt: Date | null;
  /** When the current (or last) run began and how many rows had been read by then, for rows/s. */
  readonly runStartedAt: Date | null;
  readonly runStartRows: number;
  readonly finishedAt: Date | null;
  readonly version: number;
}

/** One refused row (or one of its fields). Messages never carry an ID or phone number. */
export interface RowError {
  /** The data row, 1 for the first row after the header. */
  readonly row: number;
  /** The file line the row ends on (rows with quoted line breaks span several). */
  readonly line: number;
  /** The column at fault; null when the row as a whole is. */
  readonly column: string | null;
  readonly code: string;
  readonly message: string;
}

export interface NewImportJob extends Pick<
  ImportJob,
  | 'id'
  | 'kind'
  | 'sha256'
  | 'fileName'
  | 'totalBytes'
  | 'columns'
  | 'createdBy'
  | 'reach'
  | 'jurisdictionPath'
  | 'createdAt'
> {
  /** Kind, file hash and reach, hashed: a second job with the same key is the same import. */
  readonly dedupeKey: string;
}

export interface ImportJobPage {
  readonly items: ImportJob[];
  readonly nextPageToken: string | null;
}

/** A job held by one worker; the lease ends if it is not renewed in time. */
export interface ClaimedJob {
  readonly job: ImportJob;
  readonly owner: string;
}

/** How a job ended, as its last write records it. */
export interface ImportOutcome {
  readonly status: 'completed' | 'failed';
  readonly progress: ImportProgress;
  readonly errorsStored: number;
  readonly failure: ImportFailure | null;
  readonly now: Date;
}

export interface ImportJobStore {
  /**
   * Stores a new queued job, with the audit record of its start, unless a job
   * for the same file and kind exists: then that job is returned instead.
   */
  createOrFind(
    job: NewImportJob,
    events: readonly OutboxEntry[],
  ): Promise<{ job: ImportJob; created: boolean }>;
  get(scope: Scope, id: string): Promise<ImportJob | null>;
  list(scope: Scope, pageSize: number, pageToken?: string): Promise<ImportJobPage>;
  /** Takes the oldest queued job, or a running one whose lease expired, for `owner`. */
  claimNext(owner: string, now: Date, leaseMs: number): Promise<ImportJob | null>;
  /**
   * Records progress and renews the lease; false when the lease was lost to
   * another worker, which then owns the job.
   */
  checkpoint(
    claim: ClaimedJob,
    progress: ImportProgress,
    errorsStored: number,
    now: Date,
    leaseMs: number,
  ): Promise<boolean>;
  /** Gives the job up at once (a graceful stop), so the next worker need not wait for the lease. */
  release(claim: ClaimedJob): Promise<void>;
  /** Ends the job, writing `events` (its audit record) with it; false when the lease was lost. */
  finish(
    claim: ClaimedJob,
    outcome: ImportOutcome,
    events: readonly OutboxEntry[],
  ): Promise<boolean>;
}

export interface ImportErrorStore {
  /** Keeps the errors; a row's errors written twice (after a resume) are kept once. */
  append(jobId: string, errors: readonly RowError[]): Promise<void>;
  /** Every kept error of the job, in row order, read as they are needed. */
  read(jobId: string): AsyncIterable<RowError>;
}

/** What writing a batch of valid rows came to. */
export interface BatchOutcome {
  readonly imported: number;
  readonly duplicates: number;
  /** Valid rows the store refused (a reference that does not exist, a row outside the reach). */
  readonly failures: RowError[];
}

/** The job a batch belongs to, for events, audit records and scope checks. */
export interface BatchContext {
  readonly jobId: string;
  readonly actor: AuditActor;
  readonly reach: ImportReach;
  readonly now: Date;
}

/**
 * Writes valid rows of one kind. Writes are keyed by the rows' natural keys,
 * so writing the same rows again (a resumed batch, the same file twice) adds
 * nothing and counts them as duplicates.
 */
export interface RowSink<Row> {
  writeBatch(rows: readonly Row[], context: BatchContext): Promise<BatchOutcome>;
}

/** A data row as read from the file: its fields in header order. */
export interface CsvRecord {
  readonly row: number;
  readonly line: number;
  /** Bytes of the file up to the end of this row. */
  readonly bytes: number;
  readonly fields: readonly string[];
}

/** The CSV file could not be read on (an unclosed quote, a row too large). */
export class CsvReadError extends Error {
  override readonly name = 'CsvReadError';

  constructor(
    readonly code: string,
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

/** Reads uploaded files; the adapter decides where they live. */
export interface ImportFiles {
  /** The header row's fields, as written (at most the first 64 KiB are read). */
  readHeader(fileName: string): Promise<string[]>;
  /** The data rows after `skipRows`, in order; throws CsvReadError for a file it cannot read on. */
  records(fileName: string, skipRows: number): AsyncIterable<CsvRecord>;
  remove(fileName: string): Promise<void>;
}

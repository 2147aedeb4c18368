/**
 * Runs one claimed import job: streams its file from the last checkpoint,
 * checks each row, writes the valid ones in batches and records a checkpoint
 * after each batch. A run that dies anywhere resumes from the last
 * checkpoint; the rows of the batch it was writing are written again, which
 * adds nothing because every write is keyed by the row's natural key.
 */
import type { AuditTrail } from '@learning/audit';
import type { Logger } from '@learning/logger';
import { chinaDateOf } from '../../domain/participants.js';
import type { JurisdictionRepository } from '../jurisdiction-repository.js';
import {
  CsvReadError,
  type BatchOutcome,
  type ClaimedJob,
  type CsvRecord,
  type ImportErrorStore,
  type ImportFailure,
  type ImportFiles,
  type ImportJobStore,
  type ImportKind,
  type ImportProgress,
  type RowError,
  type RowSink,
} from './import-job.js';
import {
  checkRecord,
  layoutOf,
  ROW_CHECKERS,
  type ImportRows,
  type RowChecker,
  type RowContext,
} from './rows.js';

export type ImportSinks = { readonly [K in ImportKind]: RowSink<ImportRows[K]> };

export interface RunImportDeps {
  readonly jobs: ImportJobStore;
  readonly errors: ImportErrorStore;
  readonly files: ImportFiles;
  readonly jurisdictions: JurisdictionRepository;
  readonly sinks: ImportSinks;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** Rows per write and per checkpoint. */
  readonly batchSize: number;
  readonly leaseMs: number;
  /** Row errors kept per job for the report; counting goes on past it. */
  readonly maxStoredErrors: number;
}

/** How a run ended: done either way, its lease lost to another worker, or asked to stop. */
export type RunOutcome = 'completed' | 'failed' | 'lost' | 'stopped';

export const IMPORT_HEADER_CHANGED = 'IMPORT_HEADER_CHANGED';

const summaryOf = (progress: ImportProgress) => ({
  rowsRead: progress.rowsRead,
  imported: progress.imported,
  duplicates: progress.duplicates,
  failed: progress.failed,
});

export function runImport(deps: RunImportDeps) {
  async function treeOf(): Promise<Map<string, readonly string[]>> {
    const nodes = await deps.jurisdictions.listAll();
    return new Map(nodes.map((node) => [node.code, node.path]));
  }

  return async (claim: ClaimedJob, signal: AbortSignal): Promise<RunOutcome> => {
    const { job } = claim;
    let progress = job.progress;
    let errorsStored = job.errorsStored;
    const log = deps.logger.child({ importJob: job.id, kind: job.kind });

    const finish = async (failure: ImportFailure | null): Promise<RunOutcome> => {
      const status = failure === null ? 'completed' : 'failed';
      const finished = await deps.jobs.finish(
        claim,
        { status, progress, errorsStored, failure, now: deps.clock() },
        [
          deps.audit.entry({
            actor: job.createdBy,
            action: 'import.finish',
            entityType: 'import',
            entityId: job.id,
            jurisdictionPath: job.jurisdictionPath,
            before: null,
            after: { status, ...summaryOf(progress), failure: failure?.code ?? null },
          }),
        ],
      );
      if (!finished) return 'lost';
      // The job keeps its counts and error report; the file has served its purpose.
      await deps.files.remove(job.fileName);
      log.info({ status, ...summaryOf(progress) }, 'import finished');
      return status;
    };

    const layout = layoutOf(job.kind, job.columns);
    if (!layout.ok)
      return finish({
        code: IMPORT_HEADER_CHANGED,
        message: 'The stored header no longer fits this import kind; upload the file again.',
        line: 1,
      });
    const context: RowContext = {
      jurisdictions: await treeOf(),
      reach: job.reach,
      today: chinaDateOf(deps.clock()),
    };
    const check = ROW_CHECKERS[job.kind] as RowChecker<ImportRows[ImportKind]>;
    const sink = deps.sinks[job.kind] as RowSink<ImportRows[ImportKind]>;

    let valid: ImportRows[ImportKind][] = [];
    let rowErrors: RowError[] = [];
    let failedRows = 0;
    let last: CsvRecord | undefined;

    /** Writes what the batch holds, then the checkpoint; false when the lease is gone. */
    const flush = async (): Promise<boolean> => {
      if (last === undefined) return true;
      const outcome: BatchOutcome =
        valid.length === 0
          ? { imported: 0, duplicates: 0, failures: [] }
          : await sink.writeBatch(valid, {
              jobId: job.id,
              actor: job.createdBy,
              reach: job.reach,
              now: deps.clock(),
            });
      const errors = [...rowErrors, ...outcome.failures].sort((a, b) => a.row - b.row);
      const kept = errors.slice(0, Math.max(0, deps.maxStoredErrors - errorsStored));
      if (kept.length > 0) await deps.errors.append(job.id, kept);
      errorsStored += kept.length;
      progress = {
        rowsRead: last.row,
        bytesRead: last.bytes,
        imported: progress.imported + outcome.imported,
        duplicates: progress.duplicates + outcome.duplicates,
        failed: progress.failed + failedRows + outcome.failures.length,
      };
      valid = [];
      rowErrors = [];
      failedRows = 0;
      last = undefined;
      return deps.jobs.checkpoint(claim, progress, errorsStored, deps.clock(), deps.leaseMs);
    };

    try {
      for await (const record of deps.files.records(job.fileName, progress.rowsRead)) {
        const checked = checkRecord(record, job.columns.length, layout.indexes, context, check);
        if (checked.ok) valid.push(checked.row);
        else {
          rowErrors.push(...checked.errors);
          failedRows += 1;
        }
        last = record;
        if (valid.length + failedRows >= deps.batchSize) {
          if (!(await flush())) return 'lost';
          if (signal.aborted) {
            await deps.jobs.release(claim);
            return 'stopped';
          }
        }
      }
    } catch (error) {
      if (!(error instanceof CsvReadError)) throw error;
      // What was read before the bad spot counts; the job stops there.
      if (!(await flush())) return 'lost';
      return finish({ code: error.code, message: error.message, line: error.line });
    }
    if (!(await flush())) return 'lost';
    return finish(null);
  };
}

export type RunImport = ReturnType<typeof runImport>;

/**
 * Reading imports: a job's progress, the jobs within the reader's scope, and
 * a job's row errors for the downloadable report. A job outside the reader's
 * scope is "not found", so its existence does not leak.
 */
import { type Principal, Scope } from '@learning/auth';
import { importNotFound } from './errors.js';
import type {
  ImportErrorStore,
  ImportJob,
  ImportJobPage,
  ImportJobStore,
  RowError,
} from './import-job.js';

export interface ReadImportsDeps {
  readonly jobs: ImportJobStore;
  readonly errors: ImportErrorStore;
}

export function getImport(deps: ReadImportsDeps) {
  return async (principal: Principal, id: string): Promise<ImportJob> => {
    const job = await deps.jobs.get(Scope.of(principal), id);
    if (job === null) throw importNotFound();
    return job;
  };
}

export function listImports(deps: ReadImportsDeps) {
  return async (
    principal: Principal,
    page: { pageSize: number; pageToken?: string },
  ): Promise<ImportJobPage> => deps.jobs.list(Scope.of(principal), page.pageSize, page.pageToken);
}

/** The job (checked first, so an unknown id is a 404 before any byte is sent) and its errors. */
export function importErrors(deps: ReadImportsDeps) {
  const get = getImport(deps);
  return async (
    principal: Principal,
    id: string,
  ): Promise<{ job: ImportJob; errors: AsyncIterable<RowError> }> => {
    const job = await get(principal, id);
    return { job, errors: deps.errors.read(job.id) };
  };
}

/** Rows per second of the current (or last) run; null before a run has read anything. */
export function rowsPerSecond(job: ImportJob, now: Date): number | null {
  if (job.runStartedAt === null) return null;
  const end = job.finishedAt ?? now;
  const seconds = (end.getTime() - job.runStartedAt.getTime()) / 1000;
  const rows = job.progress.rowsRead - job.runStartRows;
  return seconds <= 0 || rows <= 0 ? null : Math.round(rows / seconds);
}

export type GetImport = ReturnType<typeof getImport>;
export type ListImports = ReturnType<typeof listImports>;
export type ImportErrors = ReturnType<typeof importErrors>;

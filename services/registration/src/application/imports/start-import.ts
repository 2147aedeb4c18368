/**
 * A city admin or area officer uploads a CSV file: its header is checked at
 * once, and a queued job is stored for the worker. The same file of the same
 * kind from the same reach is one job: uploading it again returns that job.
 */
import { createHash } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE, type Principal } from '@learning/auth';
import type { JurisdictionRepository } from '../jurisdiction-repository.js';
import { headerMalformed, importHeaderInvalid } from './errors.js';
import {
  CsvReadError,
  type ImportFiles,
  type ImportJob,
  type ImportJobStore,
  type ImportKind,
} from './import-job.js';
import { layoutOf } from './rows.js';

export interface Upload {
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface StartImportDeps {
  readonly jobs: ImportJobStore;
  readonly files: ImportFiles;
  readonly jurisdictions: JurisdictionRepository;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId: () => string;
  /** Tells the worker there is work, so it need not wait for its next poll. */
  readonly wake: () => void;
}

export interface StartImportInput {
  readonly principal: Principal;
  readonly kind: ImportKind;
  readonly upload: Upload;
}

/** The reach as one stable string: part of what makes two uploads "the same import". */
const reachKey = (principal: Principal): string =>
  principal.cityWide ? '*' : [...new Set(principal.jurisdictions)].sort().join(',');

export function startImport(deps: StartImportDeps) {
  /**
   * Where the job is read from: a city-wide upload at the city level (as the
   * department table's records are), an officer's at their first area, so
   * the officers of that area see it.
   */
  async function jobPathOf(principal: Principal): Promise<readonly string[]> {
    const [first] = principal.jurisdictions;
    if (principal.cityWide || first === undefined) return [CITY_WIDE];
    const [node] = await deps.jurisdictions.findByCodes([first]);
    return node?.path ?? [first];
  }

  return async (input: StartImportInput): Promise<{ job: ImportJob; created: boolean }> => {
    const { principal, kind, upload } = input;
    let adopted = false;
    try {
      const columns = await deps.files.readHeader(upload.fileName).catch((error: unknown) => {
        throw error instanceof CsvReadError ? headerMalformed(error) : error;
      });
      const layout = layoutOf(kind, columns);
      if (!layout.ok) throw importHeaderInvalid(kind, layout.problems);
      const actor = actorOf(principal);
      const reach = { cityWide: principal.cityWide, jurisdictions: [...principal.jurisdictions] };
      const dedupeKey = createHash('sha256')
        .update(`${kind}\n${upload.sha256}\n${reachKey(principal)}`)
        .digest('hex');
      const id = deps.newId();
      const now = deps.clock();
      const jurisdictionPath = await jobPathOf(principal);
      const result = await deps.jobs.createOrFind(
        {
          id,
          dedupeKey,
          kind,
          sha256: upload.sha256,
          fileName: upload.fileName,
          totalBytes: upload.bytes,
          columns,
          createdBy: actor,
          reach,
          jurisdictionPath,
          createdAt: now,
        },
        [
          deps.audit.entry({
            actor,
            action: 'import.start',
            entityType: 'import',
            entityId: id,
            jurisdictionPath,
            before: null,
            after: { kind, sha256: upload.sha256, totalBytes: upload.bytes },
          }),
        ],
      );
      adopted = result.created;
      if (result.created) deps.wake();
      return { job: result.job, created: result.created };
    } finally {
      // A refused upload, or one that repeats a stored job, leaves no file behind.
      if (!adopted) await deps.files.remove(upload.fileName);
    }
  };
}

export type StartImport = ReturnType<typeof startImport>;

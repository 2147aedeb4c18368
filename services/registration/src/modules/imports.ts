/** Bulk CSV import of the city's registry: upload, the worker that runs jobs, progress and error reports. */
import { randomUUID } from 'node:crypto';
import { DiskImportFiles } from '../adapters/csv/files.js';
import { registerImportRoutes } from '../adapters/http/imports.js';
import {
  departmentTableModel,
  MongoDepartmentTableRepository,
} from '../adapters/mongo/departments.js';
import {
  importErrorModel,
  importJobModel,
  MongoImportErrorStore,
  MongoImportJobStore,
  MongoRegistryWriter,
} from '../adapters/mongo/imports.js';
import { jurisdictionModel, MongoJurisdictionRepository } from '../adapters/mongo/jurisdictions.js';
import { ImportWorker } from '../application/imports/import-worker.js';
import { getImport, importErrors, listImports } from '../application/imports/read-imports.js';
import { runImport } from '../application/imports/run-import.js';
import { membershipSink, organizationSink, participantSink } from '../application/imports/sinks.js';
import { startImport } from '../application/imports/start-import.js';
import type { Module } from '../platform.js';

/** Row errors kept per job for its report; the counts go on past it. */
export const MAX_STORED_ERRORS = 100_000;

export const importsModule: Module = (platform) => {
  const { mongo, logger, http, audit, clock, pii, config } = platform;
  const jobModel = importJobModel(mongo);
  // The job's own outbox carries the audit records of its start and finish.
  platform.publishOutboxOf(jobModel);
  const jobs = new MongoImportJobStore(jobModel, logger);
  const errors = new MongoImportErrorStore(importErrorModel(mongo));
  const files = new DiskImportFiles(config.IMPORT_DIRECTORY, config.IMPORT_MAX_BYTES);
  const jurisdictions = new MongoJurisdictionRepository(jurisdictionModel(mongo), logger);
  const sinkDeps = {
    writer: new MongoRegistryWriter(mongo),
    pii,
    audit,
    tables: new MongoDepartmentTableRepository(departmentTableModel(mongo)),
  };

  const worker = new ImportWorker({
    jobs,
    run: runImport({
      jobs,
      errors,
      files,
      jurisdictions,
      sinks: {
        participants: participantSink(sinkDeps),
        organizations: organizationSink(sinkDeps),
        memberships: membershipSink(sinkDeps),
      },
      audit,
      clock,
      logger,
      batchSize: config.IMPORT_BATCH_SIZE,
      leaseMs: config.IMPORT_LEASE_MS,
      maxStoredErrors: MAX_STORED_ERRORS,
    }),
    clock,
    logger,
    leaseMs: config.IMPORT_LEASE_MS,
    pollMs: config.IMPORT_POLL_MS,
  });

  registerImportRoutes(
    http,
    {
      startImport: startImport({
        jobs,
        files,
        jurisdictions,
        audit,
        clock,
        newId: randomUUID,
        wake: () => {
          worker.wake();
        },
      }),
      getImport: getImport({ jobs, errors }),
      listImports: listImports({ jobs, errors }),
      importErrors: importErrors({ jobs, errors }),
    },
    { files, maxBytes: config.IMPORT_MAX_BYTES, clock },
  );

  platform.runWorker('import worker', worker);
};

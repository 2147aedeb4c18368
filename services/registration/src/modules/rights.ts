/**
 * A person's rights, coordinated here for the whole platform: consents per
 * purpose, the copy of their data gathered from every service, and closing
 * their account with its progress counted from every service's completion.
 */
import { randomUUID } from 'node:crypto';
import { serviceTokenProvider } from '@learning/auth';
import { erasureCompletedBy, type ErasingService } from '@learning/contracts';
import { consumerGroups, subscribe } from '@learning/events';
import { tickingWorker } from '@learning/runtime';
import {
  connectPersonalDataPeers,
  localPersonalDataSource,
} from '../adapters/grpc/personal-data-sources.js';
import { registerPrivacyRoutes } from '../adapters/http/privacy.js';
import { MongoParticipantRepository, participantModel } from '../adapters/mongo/participants.js';
import {
  dataExportModel,
  erasureRequestModel,
  MongoConsentStore,
  MongoDataExportStore,
  MongoErasureRequestStore,
  MongoRequesterDirectory,
} from '../adapters/mongo/privacy.js';
import { changeOwnConsents, getOwnConsents } from '../application/privacy/consents.js';
import {
  getErasureRequest,
  openErasureRequests,
  recordErasureCompletion,
  requestErasure,
} from '../application/privacy/erasure.js';
import {
  dataExportArchive,
  dataExportSummary,
  gatherDueExports,
  getDataExport,
  requestDataExport,
} from '../application/privacy/exports.js';
import type { PersonalDataSource } from '../application/privacy/ports.js';
import type { Module } from '../platform.js';
import { personalDataOf } from './personal-data.js';

/** A service's whole part of one person, read in one call. */
const PEER_DEADLINE_MS = 10_000;
/** Exports the worker looks at per run. */
const EXPORT_BATCH = 20;
const DAY_SECONDS = 86_400;

export const rightsModule: Module = (platform) => {
  const { mongo, config, logger, audit, clock, redis } = platform;
  const participantDocuments = participantModel(mongo);
  const exportModel = dataExportModel(mongo);
  const requestModel = erasureRequestModel(mongo);
  platform.publishOutboxOf(exportModel);
  platform.publishOutboxOf(requestModel);
  const participants = new MongoParticipantRepository(participantDocuments, logger);
  const requesters = new MongoRequesterDirectory(participantDocuments);
  const exports = new MongoDataExportStore(exportModel);
  const requests = new MongoErasureRequestStore(requestModel);

  const tokenProvider = serviceTokenProvider(config, config.PERSONAL_DATA_SERVICE_TOKEN);
  const peers = connectPersonalDataPeers({
    addresses: {
      activities: config.ACTIVITIES_GRPC_ADDRESS,
      lectures: config.LECTURES_GRPC_ADDRESS,
      scoring: config.SCORING_GRPC_ADDRESS,
      notifications: config.NOTIFICATIONS_GRPC_ADDRESS,
    },
    logger,
    deadlineMs: PEER_DEADLINE_MS,
    ...(tokenProvider === undefined ? {} : { tokenProvider }),
  });
  platform.onClose('personal data peers', async () => {
    peers.close();
  });
  const own = personalDataOf(platform);
  const sources: PersonalDataSource[] = [
    localPersonalDataSource(own.kinds, own.obligations),
    ...peers.sources,
  ];
  const services: ErasingService[] = sources.map((source) => source.service);

  registerPrivacyRoutes(
    platform.http,
    {
      getConsents: getOwnConsents({
        participants,
        consents: new MongoConsentStore(participantDocuments),
      }),
      changeConsents: changeOwnConsents({
        participants,
        consents: new MongoConsentStore(participantDocuments),
        audit,
        clock,
      }),
      requestExport: requestDataExport({
        requesters,
        exports,
        services,
        audit,
        clock,
        newId: randomUUID,
        retentionDays: config.DATA_EXPORT_RETENTION_DAYS,
      }),
      getExport: getDataExport({ exports }),
      archive: dataExportArchive({ exports }),
      summary: dataExportSummary({ exports }),
      requestErasure: requestErasure({
        requesters,
        requests,
        sources,
        audit,
        clock,
        newId: randomUUID,
        logger,
      }),
      getErasure: getErasureRequest({ requests }),
      openErasures: openErasureRequests({ requests }),
    },
    { exportLimit: { points: config.DATA_EXPORTS_PER_DAY, durationSeconds: DAY_SECONDS } },
  );

  const gather = gatherDueExports({
    exports,
    sources: new Map(sources.map((source) => [source.service, source])),
    clock,
    logger,
    retryBaseMs: config.DATA_EXPORT_RETRY_BASE_MS,
    retryMaxMs: config.DATA_EXPORT_RETRY_MAX_MS,
    batch: EXPORT_BATCH,
  });
  platform.runWorker(
    'data export gatherer',
    tickingWorker({
      // Per database: replicas of one deployment share the ticks, other deployments do not.
      name: `registration:data-exports:${config.MONGODB_DATABASE}`,
      everyMs: config.DATA_EXPORT_POLL_MS,
      redis,
      logger,
      clock,
      run: (_tickAt, signal) => gather(signal),
    }),
  );

  const completion = recordErasureCompletion({ requests, clock, logger, services });
  platform.consume(
    consumerGroups.registrationErasureProgress,
    ...services.map((service) =>
      subscribe(erasureCompletedBy[service], (event) => completion(event.data)),
    ),
  );
};

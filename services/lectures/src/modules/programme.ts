/**
 * The programme: the public listing and session pages (cached, and dropped
 * whenever any session event is published, whoever wrote it), sessions'
 * materials and recordings, experts' own sessions, and the gRPC reads.
 */
import { publicMaxAgeSeconds } from '@learning/http';
import { PublicPageCache } from '@learning/redis';
import { lectureEvents } from '@learning/contracts';
import { consumerGroups, subscribe, type EventDefinition } from '@learning/events';
import { registerLectureProgrammeService } from '../adapters/grpc/lecture-programme-service.js';
import { registerProgrammeRoutes } from '../adapters/http/programme.js';
import { forumModel } from '../adapters/mongo/catalogue.js';
import { expertModel } from '../adapters/mongo/experts.js';
import { GridFsMaterialFiles } from '../adapters/mongo/material-files.js';
import { MongoProgrammeDirectory } from '../adapters/mongo/programme-directory.js';
import { MongoProgrammeRepository } from '../adapters/mongo/programme-sessions.js';
import { sessionModel } from '../adapters/mongo/sessions.js';
import { sessionMaterials } from '../application/programme/materials.js';
import { programmeReads } from '../application/programme/read-programme.js';
import type { Module } from '../platform.js';

export const programmeModule: Module = (platform) => {
  const { mongo, redis, config, logger, http, grpc, audit, clock, jurisdictions } = platform;
  const sessionsModel = sessionModel(mongo);
  // Materials and recordings are written here with their events; the sessions module relays them.
  const sessions = new MongoProgrammeRepository(sessionsModel, logger);
  const directory = new MongoProgrammeDirectory(forumModel(mongo), expertModel(mongo));
  // Named after the database, so two deployments sharing a Redis never serve each other's pages.
  const pages = new PublicPageCache(
    redis,
    { name: `public-programme-${config.MONGODB_DATABASE}`, ttlMs: config.PUBLIC_CACHE_TTL_MS },
    logger,
  );
  const reads = programmeReads({ sessions, directory, jurisdictions, clock });

  registerProgrammeRoutes(http, {
    reads,
    materials: sessionMaterials({
      sessions,
      directory,
      files: new GridFsMaterialFiles(mongo, logger),
      audit,
      clock,
      maxBytes: config.MATERIALS_MAX_BYTES,
    }),
    pages,
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
    materialMaxBytes: config.MATERIALS_MAX_BYTES,
  });
  registerLectureProgrammeService(grpc, reads);

  // The pages are dropped from the events, not by the writers: any slice that changes a
  // session publishes one of these, and none needs to know the cache.
  const dropPages = <T>(event: EventDefinition<T>) =>
    subscribe(event, async () => {
      await pages.invalidate();
    });
  platform.consume(
    consumerGroups.lecturesProgrammeCache,
    dropPages(lectureEvents.SessionScheduled),
    dropPages(lectureEvents.SessionRescheduled),
    dropPages(lectureEvents.SessionCancelled),
    dropPages(lectureEvents.SessionHeld),
    dropPages(lectureEvents.MaterialsPublished),
  );
};

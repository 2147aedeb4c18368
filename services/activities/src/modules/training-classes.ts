/**
 * Training classes (培训班): drafts, publishing, moves and cancelling under a
 * launched programme, the managers' and the public lists, and the trainers
 * from lectures' expert pool. Registration's seats for a class are answered
 * by the one SeatedEventSourceService the activities module registers (see
 * `trainingClassSeats`).
 */
import { serviceTokenProvider } from '@learning/auth';
import { publicMaxAgeSeconds } from '@learning/http';
import { PublicPageCache } from '@learning/redis';
import { connectLecturesExperts } from '../adapters/grpc/lectures-experts.js';
import type { SeatedEventFinder } from '../adapters/grpc/seated-event-source.js';
import { classSeatedEvents } from '../adapters/grpc/training-seated-events.js';
import { registerTrainingClassRoutes } from '../adapters/http/training-classes.js';
import { MongoTrainingClassRepository } from '../adapters/mongo/training-classes.js';
import {
  MongoProgrammeReader,
  programmeModel,
  trainingClassModel,
} from '../adapters/mongo/training-models.js';
import {
  cancelClass,
  createClass,
  publishClass,
  rescheduleClass,
  updateDraft,
} from '../application/training/classes/manage-classes.js';
import { classReads } from '../application/training/classes/read-classes.js';
import type { Module, Platform } from '../platform.js';

/** The class reads every caller shares: the routes and registration's seats. */
function classStores(platform: Platform) {
  const { mongo, logger, clock } = platform;
  const classes = new MongoTrainingClassRepository(trainingClassModel(mongo), logger);
  const programmes = new MongoProgrammeReader(programmeModel(mongo));
  return { classes, programmes, reads: classReads({ classes, programmes, clock }) };
}

/** Registration's question about a class, for the activities module's seated-event service. */
export const trainingClassSeats = (platform: Platform): SeatedEventFinder => {
  const { reads, programmes } = classStores(platform);
  return classSeatedEvents(reads, programmes);
};

export const trainingClassesModule: Module = (platform) => {
  const { mongo, redis, config, logger, http, audit, clock } = platform;
  const { jurisdictions, organizations, departments } = platform;
  platform.publishOutboxOf(trainingClassModel(mongo));
  const { classes, programmes, reads } = classStores(platform);
  const tokenProvider = serviceTokenProvider(config, config.LECTURES_SERVICE_TOKEN);
  const experts = connectLecturesExperts({
    address: config.LECTURES_GRPC_ADDRESS,
    logger,
    ...(tokenProvider === undefined ? {} : { tokenProvider }),
  });
  platform.onClose('lectures expert client', async () => {
    experts.close();
  });
  // Named after the database, so two deployments sharing a Redis never serve each other's pages.
  const publicPages = new PublicPageCache(
    redis,
    {
      name: `public-training-classes-${config.MONGODB_DATABASE}`,
      ttlMs: config.PUBLIC_CACHE_TTL_MS,
    },
    logger,
  );
  const deps = {
    classes,
    programmes,
    jurisdictions,
    organizations,
    departments,
    experts,
    publicPages,
    seats: platform.classEnrollments,
    audit,
    clock,
  };
  registerTrainingClassRoutes(http, {
    createClass: createClass(deps),
    updateDraft: updateDraft(deps),
    publishClass: publishClass(deps),
    rescheduleClass: rescheduleClass(deps),
    cancelClass: cancelClass(deps),
    reads,
    publicPages,
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
};
